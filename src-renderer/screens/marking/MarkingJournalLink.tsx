import { useTranslation } from 'react-i18next';
import { useSession } from '../../state/session';
import { useUi } from '../../state/ui';

/** The way to the marking violation journal: supervisors and administrators (the lane checks the right again). */
export function MarkingJournalLink() {
  const { t } = useTranslation();
  const role = useSession((s) => s.user?.role);
  const setView = useUi((s) => s.setView);
  if (role !== 'supervisor' && role !== 'administrator') return null;
  return (
    <button type="button" className="btn btn-secondary btn-block" onClick={() => setView('markingJournal')} data-testid="shift-marking-journal">
      {t('markingJournal.open')}
    </button>
  );
}
