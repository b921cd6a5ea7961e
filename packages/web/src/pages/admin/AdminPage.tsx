/** /admin/*: work centers, calendars, users, MQTT devices and CSV import, one tab each. */
import type { ReactNode } from 'react';
import type { Permission } from '../../api/models';
import { useAuth } from '../../auth';
import { Link } from '../../router';
import { CalendarsAdmin } from './CalendarsAdmin';
import { DevicesAdmin } from './DevicesAdmin';
import { ImportAdmin } from './ImportAdmin';
import { UsersAdmin } from './UsersAdmin';
import { WorkCentersAdmin } from './WorkCentersAdmin';

const TABS: { id: string; label: string; needs: Permission; render: () => ReactNode }[] = [
  { id: 'work-centers', label: 'Work centers', needs: 'user:admin', render: () => <WorkCentersAdmin /> },
  { id: 'calendars', label: 'Calendars', needs: 'user:admin', render: () => <CalendarsAdmin /> },
  { id: 'users', label: 'Users', needs: 'user:admin', render: () => <UsersAdmin /> },
  { id: 'devices', label: 'MQTT devices', needs: 'machine:config', render: () => <DevicesAdmin /> },
  { id: 'import', label: 'CSV import', needs: 'user:admin', render: () => <ImportAdmin /> },
];

export function AdminPage({ tab }: { tab: string }) {
  const { can } = useAuth();
  const tabs = TABS.filter((t) => can(t.needs));
  const current = tabs.find((t) => t.id === tab) ?? tabs[0]!;
  return (
    <div className="page admin">
      <h1>Admin</h1>
      <nav aria-label="Admin sections" className="tabs">
        <ul>
          {tabs.map((t) => (
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
