import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { applyKeypad, NumericKeypad, type KeypadKey } from './NumericKeypad';

interface PinEntryProps {
  /** Resolves with an error message to show, or null on success. */
  onSubmit(pin: string): Promise<string | null>;
  busy?: boolean;
  error?: string | null;
  testId: string;
  submitLabel: string;
}

/** A PIN field for the keyboard (digits, Backspace, Enter) with a big touch pad under it. */
export function PinEntry({ onSubmit, busy = false, error = null, testId, submitLabel }: PinEntryProps) {
  const { t } = useTranslation();
  const [pinState, setPin] = useState('');
  const [ownError, setOwnError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const shown = ownError ?? error;
  const field = useRef<HTMLInputElement>(null);

  // Digits typed while the focus is elsewhere (after a tap on the language button …) still go to the PIN.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const active = document.activeElement;
      if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) return;
      if (event.ctrlKey || event.altKey || event.metaKey || !/^[0-9]$/.test(event.key)) return;
      event.preventDefault();
      field.current?.focus();
      setOwnError(null);
      setPin((p) => applyKeypad(p, event.key as KeypadKey, 8));
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (working || busy) return;
    const pin = field.current?.value ?? pinState;
    if (!/^[0-9]{4,8}$/.test(pin)) {
      setOwnError(t('pin.tooShort'));
      return;
    }
    setWorking(true);
    setOwnError(null);
    const failure = await onSubmit(pin);
    setWorking(false);
    if (failure !== null) {
      setOwnError(failure);
      setPin('');
    }
  };

  const onKey = (key: KeypadKey) => {
    setOwnError(null);
    setPin((p) => applyKeypad(p, key, 8));
  };

  return (
    <form className="pin-entry" onSubmit={submit} data-testid={testId}>
      <input ref={field} className="pin-field" type="password" inputMode="numeric" autoComplete="off" maxLength={8}
        value={pinState} data-autofocus autoFocus aria-label={t('pin.label')} placeholder={t('pin.placeholder')}
        onChange={(e) => { setOwnError(null); setPin(e.target.value.replace(/\D/g, '').slice(0, 8)); }}
        data-testid={`${testId}-input`} readOnly={working || busy} />
      <div className="pin-error" role="alert" data-testid={`${testId}-error`}>{shown ?? ''}</div>
      <NumericKeypad onKey={onKey} testId={`${testId}-pad`} />
      <button type="submit" className="btn btn-primary btn-block" disabled={working || busy} data-testid={`${testId}-submit`}>
        {working || busy ? t('common.wait') : submitLabel}
      </button>
    </form>
  );
}
