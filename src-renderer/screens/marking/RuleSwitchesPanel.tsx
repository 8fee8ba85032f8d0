import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MarkingRuleSwitch } from '../../../src-main/contract';
import { attempt } from '../../state/actions';
import { call } from '../../transport/pos';

/**
 * The administrator switches a permissive-mode rule off for a product group — temporarily, with an
 * expiry and a reason (both land in the audit log): shops need this when a new marking type arrives
 * or the national system has an outage.
 */
export function RuleSwitchesPanel() {
  const { t } = useTranslation();
  const [switches, setSwitches] = useState<MarkingRuleSwitch[]>([]);
  const [rules, setRules] = useState<string[]>([]);
  const [group, setGroup] = useState('*');
  const [rule, setRule] = useState('');
  const [hours, setHours] = useState(24);
  const [reason, setReason] = useState('');

  useEffect(() => void attempt(async () => {
    const answer = await call('marking.listSwitches', {});
    setSwitches(answer.switches);
    setRules(answer.rules);
    setRule((r) => r || answer.rules[0] || '');
  }), []);

  const add = () => void attempt(async () => {
    const offUntil = new Date(Date.now() + hours * 3_600_000).toISOString();
    const answer = await call('marking.setSwitch', { switch: { productGroup: group.trim() || '*', rule, offUntil, reason } });
    setSwitches(answer.switches);
    setReason('');
  });
  const clear = (s: MarkingRuleSwitch) => void attempt(async () => {
    setSwitches((await call('marking.clearSwitch', { productGroup: s.productGroup, rule: s.rule })).switches);
  });

  return (
    <div className="panel" data-testid="marking-switches">
      <h2 className="panel-title">{t('markingJournal.switchesTitle')}</h2>
      <ul className="marking-switches">
        {switches.map((s) => (
          <li key={`${s.productGroup}/${s.rule}`}>
            <strong>{s.productGroup}</strong> · {s.rule} · {t('markingJournal.until')} {new Date(s.offUntil).toLocaleString()} · {s.reason}
            <button type="button" className="btn btn-secondary" onClick={() => clear(s)}>{t('markingJournal.switchOn')}</button>
          </li>
        ))}
      </ul>
      <div className="marking-filter">
        <label>{t('markingJournal.group')} <input value={group} onChange={(e) => setGroup(e.target.value)} size={10} data-testid="switch-group" /></label>
        <label>{t('markingJournal.rule')} <select value={rule} onChange={(e) => setRule(e.target.value)} data-testid="switch-rule">
          {rules.map((r) => <option key={r} value={r}>{r}</option>)}
        </select></label>
        <label>{t('markingJournal.hours')} <input type="number" min={1} max={744} value={hours} onChange={(e) => setHours(Number(e.target.value))} data-testid="switch-hours" /></label>
        <label>{t('markingJournal.reason')} <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="switch-reason" /></label>
        <button type="button" className="btn btn-primary" disabled={reason.trim().length < 3 || !rule} onClick={add} data-testid="switch-add">{t('markingJournal.switchOff')}</button>
      </div>
    </div>
  );
}
