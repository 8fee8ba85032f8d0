import { useTranslation } from 'react-i18next';
import { attempt } from '../../state/actions';
import { useReceipt } from '../../state/receipt';
import { useUi } from '../../state/ui';
import { applyKeypad, NumericKeypad } from '../NumericKeypad';

/** A touch keypad for the manual barcode entry (for screens without a keyboard). */
export function KeypadPanel() {
  const { t } = useTranslation();
  const code = useUi((s) => s.manualCode);
  const setCode = useUi((s) => s.setManualCode);
  const enter = () => {
    const value = code.trim();
    if (!value) return;
    setCode('');
    void attempt(() => useReceipt.getState().scan(value, 'manual'));
  };
  return (
    <section className="panel panel-keypad" data-testid="panel-keypad">
      <NumericKeypad testId="code-pad" onKey={(key) => setCode(applyKeypad(code, key, 48))} />
      <button type="button" className="btn btn-primary btn-block" onMouseDown={(e) => e.preventDefault()} onClick={enter} data-testid="code-pad-enter">
        {t('barcode.add')}
      </button>
    </section>
  );
}
