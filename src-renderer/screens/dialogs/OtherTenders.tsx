import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CardOperation, InternalPaymentType, TerminalStatus } from '../../../src-main/contract';
import { formatMoney } from '../../format/money';
import { callOverridable, reportError } from '../../state/actions';
import { useUi } from '../../state/ui';
import { call, subscribe } from '../../transport/pos';

export interface InternalTender { typeId: string; name: string; amountKopecks: number; reference: string | null }

interface Props {
  receiptId: string;
  remainder: number;
  /** The amount typed in the dialog's field, or null: a card takes it, else the whole remainder. */
  typedAmount: number | null;
  cards: CardOperation[];
  internals: InternalTender[];
  onCardsChanged(cards: CardOperation[]): void;
  onAddInternal(tender: InternalTender): void;
  working: boolean;
  setWorking(working: boolean): void;
}

/**
 * Cards on any of the lane's terminals and the administrator's internal payment types. A card payment
 * runs on the terminal while the dialog shows its prompts; an unknown outcome is a supervisor's decision,
 * taken with the facts (amount, terminal, what the terminal said) on screen.
 */
export function OtherTenders({ receiptId, remainder, typedAmount, cards, internals, onCardsChanged, onAddInternal, working, setWorking }: Props) {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const [terminals, setTerminals] = useState<TerminalStatus[]>([]);
  const [types, setTypes] = useState<InternalPaymentType[]>([]);
  const [progress, setProgress] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ text: string; operation: CardOperation | null } | null>(null);
  const [typeId, setTypeId] = useState('');
  const [reference, setReference] = useState('');

  useEffect(() => {
    void (async () => {
      try {
        const [{ terminals: list }, { types: kinds }, { operations }] = await Promise.all([
          call('payment.terminals', {}), call('payment.internalTypes', {}), call('payment.forReceipt', { receiptId })]);
        setTerminals(list);
        setTypes(kinds);
        setTypeId(kinds[0]?.id ?? '');
        onCardsChanged(operations.filter((o) => o.kind === 'purchase' && (o.state === 'approved' || o.state === 'unknown' || o.state === 'needs_supervisor')));
      } catch (error) { reportError(error); }
    })();
    return subscribe('payment.progress', ({ message }) => setProgress(message));
    // Loaded once per open dialog: the callbacks change on every render of the dialog.
  }, [receiptId]);

  const pay = async (terminalId: string) => {
    const amount = typedAmount !== null && typedAmount > 0 && typedAmount <= remainder ? typedAmount : remainder;
    if (working || amount <= 0) return;
    setWorking(true);
    setProblem(null);
    setProgress(t('payment.cardWaiting'));
    try {
      const { operation } = await call('payment.card', { receiptId, amountKopecks: amount, terminalId });
      if (operation.state === 'approved') onCardsChanged([...cards, operation]);
      else if (operation.state === 'declined') setProblem({ text: t('payment.declined', { message: operation.outcome?.message ?? '' }), operation: null });
      else setProblem({ text: t('payment.unknown'), operation });
      const { terminals: list } = await call('payment.terminals', {});
      setTerminals(list);
    } catch (error) {
      reportError(error);
    } finally {
      setProgress(null);
      setWorking(false);
    }
  };

  const resolve = async (operation: CardOperation, decision: 'approved' | 'declined') => {
    try {
      const { operation: resolved } = await callOverridable('payment.resolve', { operationId: operation.id, decision });
      setProblem(null);
      if (resolved.state === 'approved') onCardsChanged([...cards.filter((c) => c.id !== resolved.id), resolved]);
    } catch (error) { reportError(error); }
  };

  const cancelCard = async (operation: CardOperation) => {
    setWorking(true);
    try {
      await callOverridable('payment.cancel', { operationId: operation.id });
      onCardsChanged(cards.filter((c) => c.id !== operation.id));
    } catch (error) { reportError(error); } finally { setWorking(false); }
  };

  const addInternal = () => {
    const type = types.find((x) => x.id === typeId);
    const amount = typedAmount !== null && typedAmount > 0 && typedAmount <= remainder ? typedAmount : remainder;
    if (!type || amount <= 0) return;
    onAddInternal({ typeId: type.id, name: type.name, amountKopecks: amount, reference: reference.trim() || null });
    setReference('');
  };

  return (
    <div className="other-tenders" data-testid="other-tenders">
      <div className="terminal-buttons">
        {terminals.filter((x) => x.enabled).map((x) => (
          <button key={x.id} type="button" className={x.up ? 'btn btn-secondary' : 'btn btn-secondary terminal-down'} disabled={working || remainder <= 0}
            onClick={() => void pay(x.id)} data-testid={`pay-card-${x.id}`} title={x.message}>
            {t('payment.card', { name: x.name })}{x.up ? '' : ` — ${t('payment.terminalDown')}`}
          </button>
        ))}
      </div>
      {progress && <p className="terminal-progress" role="status" data-testid="terminal-progress"><span className="spinner" aria-hidden="true" /> {t('payment.cardWorking', { message: progress })}</p>}
      {problem && (
        <div className="payment-problem" role="alert" data-testid="payment-problem">
          <p>{problem.text}</p>
          {problem.operation && (
            <>
              <p className="facts">{formatMoney(problem.operation.amountKopecks, lang)} · {problem.operation.terminalId} · {problem.operation.outcome?.message ?? problem.operation.attention ?? ''}</p>
              <button type="button" className="btn btn-secondary" onClick={() => void resolve(problem.operation!, 'approved')} data-testid="resolve-approved">{t('payment.resolveApproved')}</button>
              <button type="button" className="btn btn-secondary" onClick={() => void resolve(problem.operation!, 'declined')} data-testid="resolve-declined">{t('payment.resolveDeclined')}</button>
            </>
          )}
        </div>
      )}
      <ul className="tender-list" data-testid="tender-list">
        {cards.map((c) => (
          <li key={c.id}>
            {t('payment.tenderCard', { card: c.approved?.cardMasked ?? '', terminal: terminals.find((x) => x.id === c.terminalId)?.name ?? c.terminalId })}
            <strong>{formatMoney(c.amountKopecks, lang)}</strong>
            <button type="button" className="btn btn-link" disabled={working} onClick={() => void cancelCard(c)}>{t('payment.cancelCard')}</button>
          </li>
        ))}
        {internals.map((x, i) => <li key={`${x.typeId}-${i}`}>{t('payment.tenderInternal', { name: x.name })} {x.reference ?? ''} <strong>{formatMoney(x.amountKopecks, lang)}</strong></li>)}
      </ul>
      {types.length > 0 && (
        <div className="internal-tender">
          <label>{t('payment.internal')} <select value={typeId} onChange={(e) => setTypeId(e.target.value)} data-testid="internal-type">
            {types.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
          </select></label>
          <input className="field" placeholder={t('payment.reference')} value={reference} onChange={(e) => setReference(e.target.value.slice(0, 64))} data-testid="internal-reference" />
          <button type="button" className="btn btn-secondary" disabled={working || remainder <= 0} onClick={addInternal} data-testid="internal-add">{t('payment.internalAdd')}</button>
        </div>
      )}
    </div>
  );
}
