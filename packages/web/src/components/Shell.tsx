/** The app frame: navigation filtered by the caller's permissions, theme toggle, logout. */
import { useEffect, useRef, type ReactNode } from 'react';
import type { Permission } from '../api/models';
import { useAuth } from '../auth';
import { Link, usePath } from '../router';
import { shopZone } from '../format';
import { useTheme } from '../theme';

export interface NavEntry {
  to: string;
  label: string;
  needs: Permission;
}

// Operators hold schedule:view, job:view and machine:view only: Queue, Dashboard, Machines, Jobs.
// CTP and Sigmanest are readable with job:view / machine:view but listed for planners only.
export const NAV: NavEntry[] = [
  { to: '/queue', label: 'Queue', needs: 'schedule:view' },
  { to: '/planner', label: 'Planner', needs: 'schedule:edit' },
  { to: '/plan-runs', label: 'Plan runs', needs: 'schedule:edit' },
  { to: '/promise', label: 'CTP', needs: 'schedule:edit' },
  { to: '/bottlenecks', label: 'Bottlenecks', needs: 'report:view' },
  { to: '/departments', label: 'Dashboard', needs: 'machine:view' },
  { to: '/machines', label: 'Machines', needs: 'machine:view' },
  { to: '/jobs', label: 'Jobs', needs: 'job:view' },
  { to: '/nesting', label: 'Sigmanest', needs: 'schedule:edit' },
  { to: '/admin', label: 'Admin', needs: 'user:admin' },
];

export function Shell({ children }: { children: ReactNode }) {
  const { me, can, logout } = useAuth();
  const path = usePath();
  const [theme, toggleTheme] = useTheme();
  const first = useRef(true);
  // After a navigation, keyboard and screen-reader users continue in the new page.
  useEffect(() => {
    if (first.current) first.current = false;
    else document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span className="brand">Kerf</span>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((n) => can(n.needs)).map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={path.startsWith(n.to) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span className="zone muted" title="Every time is shown in the shop's time zone">
          Times: {shopZone()}
        </span>
        <span className="who" aria-label="Logged in as">
          {me?.name} ({me?.role})
        </span>
        <button
          type="button"
          onClick={toggleTheme}
          aria-label={`Switch to ${theme === 'light' ? 'dark' : 'light'} theme`}
        >
          {theme === 'light' ? 'Dark' : 'Light'}
        </button>
        <button type="button" onClick={logout}>
          Log out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
