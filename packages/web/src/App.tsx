import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import type { Permission } from './api/models';
import { useShopSettings } from './api/hooks';
import { useAuth } from './auth';
import { setShopZone, shopZone } from './format';
import { NAV, Shell } from './components/Shell';
import { AccessDenied, Loading } from './components/Status';
import { AdminPage } from './pages/admin/AdminPage';
import { DepartmentPage, DepartmentsPage } from './pages/DepartmentPage';
import { JobDetailPage, JobsPage } from './pages/JobsPage';
import { LoginPage } from './pages/LoginPage';
import { AlarmsPage, MachinesPage } from './pages/machines/MachinesPage';
import { MachineRegistration } from './pages/machines/MachineRegistration';
import { NestingPage } from './pages/nesting/NestingPage';
import { PromisePage } from './pages/PromisePage';
import { PlanRunsPage } from './pages/PlanRunsPage';
import { QueuePage } from './pages/QueuePage';
import { match, navigate, usePath } from './router';

// vis-timeline is large: load the planner only when it is opened.
const loadPlanner = () => import('./pages/planner/PlannerPage');
const PlannerPage = lazy(loadPlanner);
// ECharts likewise: only the bottleneck page needs it.
const BottlenecksPage = lazy(() => import('./pages/BottlenecksPage').then((m) => ({ default: m.BottlenecksPage })));

interface Route {
  pattern: string;
  needs: Permission;
  render: (params: Record<string, string>) => ReactNode;
}

const ROUTES: Route[] = [
  { pattern: '/planner', needs: 'schedule:edit', render: () => <PlannerPage /> },
  { pattern: '/plan-runs', needs: 'schedule:edit', render: () => <PlanRunsPage /> },
  { pattern: '/bottlenecks', needs: 'report:view', render: () => <BottlenecksPage /> },
  { pattern: '/queue', needs: 'schedule:view', render: () => <QueuePage /> },
  { pattern: '/departments', needs: 'machine:view', render: () => <DepartmentsPage /> },
  { pattern: '/departments/:id', needs: 'machine:view', render: (p) => <DepartmentPage id={p.id ?? ''} /> },
  { pattern: '/jobs', needs: 'job:view', render: () => <JobsPage /> },
  { pattern: '/jobs/:id', needs: 'job:view', render: (p) => <JobDetailPage id={p.id ?? ''} /> },
  { pattern: '/promise', needs: 'job:view', render: () => <PromisePage /> },
  { pattern: '/machines', needs: 'machine:view', render: () => <MachinesPage /> },
  { pattern: '/machines/register', needs: 'machine:config', render: () => <MachineRegistration /> },
  { pattern: '/alarms', needs: 'machine:view', render: () => <AlarmsPage /> },
  { pattern: '/nesting', needs: 'machine:view', render: () => <NestingPage /> },
  { pattern: '/admin', needs: 'user:admin', render: () => <AdminPage tab="work-centers" /> },
  // Production managers hold machine:config without user:admin: the devices tab is theirs too.
  { pattern: '/admin/devices', needs: 'machine:config', render: () => <AdminPage tab="devices" /> },
  { pattern: '/admin/:tab', needs: 'user:admin', render: (p) => <AdminPage tab={p.tab ?? ''} /> },
];

export function App() {
  const { loggedIn, loading, can } = useAuth();
  const path = usePath();
  const settings = useShopSettings(loggedIn);
  // Every page formats times in the shop zone: set it before the first page renders.
  const zone = settings.data?.timeZone;
  if (zone && zone !== shopZone()) setShopZone(zone);
  // Planners open the Gantt first: fetch its code while the browser is idle.
  useEffect(() => {
    if (loggedIn && can('schedule:edit')) {
      const id = window.setTimeout(() => void loadPlanner(), 300);
      return () => window.clearTimeout(id);
    }
  }, [loggedIn, can]);
  if (loading) return <Loading what="your session" />;
  if (!loggedIn) return <LoginPage />;
  if (settings.isPending) return <Loading what="the shop settings" />;
  if (path === '/' || path === '') {
    const first = NAV.find((n) => can(n.needs));
    queueMicrotask(() => navigate(first?.to ?? '/jobs'));
    return null;
  }
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (!params) continue;
    return (
      <Shell>
        {can(route.needs) ? (
          <Suspense fallback={<Loading what="the page" />}>{route.render(params)}</Suspense>
        ) : (
          <AccessDenied permission={route.needs} />
        )}
      </Shell>
    );
  }
  return (
    <Shell>
      <h1>Not found</h1>
      <p>There is no page at {path}.</p>
    </Shell>
  );
}
