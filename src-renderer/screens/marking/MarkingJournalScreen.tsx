import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MarkingCheckEntry } from '../../../src-main/contract';
import { attempt } from '../../state/actions';
import { useSession } from '../../state/session';
import { useUi } from '../../state/ui';
import { call } from '../../transport/pos';
import { RuleSwitchesPanel } from './RuleSwitchesPanel';

/** The violation journal: every refused marking code, filterable, exportable as CSV for the chain's office. */
export function MarkingJournalScreen() {
  const { t } = useTranslation();
  const lang = useUi((s) => s.lang);
  const role = useSession((s) => s.user?.role);
  const [entries, setEntries] = useState<MarkingCheckEntry[]>([]);
  const [refusedOnly, setRefusedOnly] = useState(true);
  const [rule, setRule] = useState('');
  const [from, setFrom] = useState('');

  const filter = useCallback(() => ({ refusedOnly, ...(rule ? { rule } : {}), ...(from ? { from: `${from}T00:00:00` } : {}) }), [refusedOnly, rule, from]);
  const load = useCallback(() => attempt(async () => {
    const { entries: rows } = await call('marking.journal', { ...filter(), limit: 200 });
    setEntries(rows);
  }), [filter]);
  useEffect(() => { void load(); }, [load]);

  const exportCsv = () => void attempt(async () => {
    const { fileName, csv } = await call('marking.exportJournal', filter());
    // A BOM so that spreadsheet programs read the Cyrillic as UTF-8.
    const url = URL.createObjectURL(new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    URL.revokeObjectURL(url);
  });

  const rules = [...new Set(entries.map((e) => e.rule).filter((r): r is string => r !== null))];
  return (
    <main className="journal-screen" data-testid="marking-journal-screen">
      <div className="panel journal-panel">
        <h1 className="panel-title">{t('markingJournal.title')}</h1>
        <div className="marking-filter">
          <label><input type="checkbox" checked={refusedOnly} onChange={(e) => setRefusedOnly(e.target.checked)} data-testid="marking-refused-only" /> {t('markingJournal.refusedOnly')}</label>
          <label>{t('markingJournal.from')} <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="marking-from" /></label>
          <label>{t('markingJournal.rule')} <select value={rule} onChange={(e) => setRule(e.target.value)} data-testid="marking-rule">
            <option value="">{t('markingJournal.anyRule')}</option>
            {[...new Set([...rules, rule].filter(Boolean))].map((r) => <option key={r} value={r}>{r}</option>)}
          </select></label>
          <button type="button" className="btn btn-secondary" onClick={exportCsv} data-testid="marking-export">{t('markingJournal.export')}</button>
        </div>
        <table className="marking-table" data-testid="marking-journal-rows">
          <thead><tr><th>{t('markingJournal.at')}</th><th>{t('markingJournal.rule')}</th><th>{t('markingJournal.checkedBy')}</th><th>GTIN</th><th>{t('markingJournal.message')}</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} className={e.allowed ? 'allowed' : 'refused'}>
                <td>{new Date(e.at).toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU')}</td>
                <td>{e.rule ?? '—'}</td>
                <td>{e.checkedBy}</td>
                <td>{e.gtin ?? ''}</td>
                <td>{lang === 'en' ? e.message.en : e.message.ru}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {entries.length === 0 && <p className="empty">{t('markingJournal.empty')}</p>}
      </div>
      {role === 'administrator' && <RuleSwitchesPanel />}
    </main>
  );
}
