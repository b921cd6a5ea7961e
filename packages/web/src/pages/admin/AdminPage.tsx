/** /admin/*: work centers, calendars, users and CSV import, one tab each. */
import { Link } from '../../router';
import { CalendarsAdmin } from './CalendarsAdmin';
import { ImportAdmin } from './ImportAdmin';
import { UsersAdmin } from './UsersAdmin';
import { WorkCentersAdmin } from './WorkCentersAdmin';

const TABS = [
  { id: 'work-centers', label: 'Work centers', render: () => <WorkCentersAdmin /> },
  { id: 'calendars', label: 'Calendars', render: () => <CalendarsAdmin /> },
  { id: 'users', label: 'Users', render: () => <UsersAdmin /> },
  { id: 'import', label: 'CSV import', render: () => <ImportAdmin /> },
];

export function AdminPage({ tab }: { tab: string }) {
  const current = TABS.find((t) => t.id === tab) ?? TABS[0]!;
  return (
    <div className="page admin">
      <h1>Admin</h1>
      <nav aria-label="Admin sections" className="tabs">
        <ul>
          {TABS.map((t) => (
            <li key={t.id}>
              <Link to={`/admin/${t.id}`} aria-current={t.id === current.id ? 'page' : undefined}>
                {t.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {current.render()}
    </div>
  );
}
