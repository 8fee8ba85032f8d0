import { useTranslation } from 'react-i18next';

export type KeypadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | ',' | 'back' | 'clear';

interface NumericKeypadProps {
  onKey(key: KeypadKey): void;
  /** Show the decimal comma (amounts, weights) or not (PIN, barcodes). */
  decimal?: boolean;
  testId?: string;
}

const ROWS: KeypadKey[][] = [['7', '8', '9'], ['4', '5', '6'], ['1', '2', '3']];

/** A touch keypad. Buttons never take focus, so the field being typed into keeps the caret. */
export function NumericKeypad({ onKey, decimal = false, testId = 'keypad' }: NumericKeypadProps) {
  const { t } = useTranslation();
  const last: KeypadKey[] = decimal ? ['00', '0', ','] : ['clear', '0', 'back'];
  const press = (key: KeypadKey) => () => onKey(key);
  return (
    <div className="keypad" data-testid={testId}>
      {[...ROWS, last].flat().map((key) => (
        <button key={key} type="button" tabIndex={-1} className={`keypad-key key-${key === ',' ? 'comma' : key}`}
          onMouseDown={(e) => e.preventDefault()} onClick={press(key)} data-testid={`${testId}-${key === ',' ? 'comma' : key}`}
          aria-label={key === 'back' ? t('keypad.back') : key === 'clear' ? t('keypad.clear') : key}>
          {key === 'back' ? '⌫' : key === 'clear' ? t('keypad.clearShort') : key}
        </button>
      ))}
      {decimal && (
        <>
          <button type="button" tabIndex={-1} className="keypad-key key-clear" onMouseDown={(e) => e.preventDefault()} onClick={press('clear')} data-testid={`${testId}-clear`}>{t('keypad.clearShort')}</button>
          <button type="button" tabIndex={-1} className="keypad-key key-back" onMouseDown={(e) => e.preventDefault()} onClick={press('back')} data-testid={`${testId}-back`} aria-label={t('keypad.back')}>⌫</button>
        </>
      )}
    </div>
  );
}

/** Applies a keypad key to the text of a field. */
export function applyKeypad(text: string, key: KeypadKey, maxLength = 12): string {
  if (key === 'back') return text.slice(0, -1);
  if (key === 'clear') return '';
  if (key === ',' && (text.includes(',') || text.includes('.'))) return text;
  const next = text + (key === ',' && text === '' ? '0,' : key);
  return next.length > maxLength ? text : next;
}
