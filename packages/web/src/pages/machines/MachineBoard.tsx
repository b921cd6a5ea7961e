/**
 * Machine status tiles of one department: state, job, part count and since when, from
 * GET /machines and then live from the WebSocket channel machines:{department}. A server
 * without machine data (or a department without machines) shows its work centers as "no data".
 */
import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError, client, ok } from '../../api/client';
import { useJobs } from '../../api/hooks';
import type { MachineStatus, WorkCenter } from '../../api/models';
import { useEvents } from '../../api/ws';
import { ErrorBox, Loading } from '../../components/Status';
import { fmt } from '../../format';

const since = (iso: string | null, now: number) => {
  if (!iso) return '';
  const min = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  return min < 60
    ? `${min} min`
    : min < 48 * 60
      ? `${Math.floor(min / 60)} h ${min % 60} min`
      : `${Math.round(min / 1440)} d`;
};

export function useDepartmentMachines(departmentId: string) {
  return useQuery({
    queryKey: ['machines', departmentId],
    queryFn: () => ok(client.GET('/api/v1/machines', { params: { query: { departmentId, limit: 500 } } })),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
  });
}

export function MachineBoard({ departmentId, workCenters }: { departmentId: string; workCenters: WorkCenter[] }) {
  const machines = useDepartmentMachines(departmentId);
  const jobs = useJobs();
  const [live, setLive] = useState(new Map<string, MachineStatus>());
  const [updates, setUpdates] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  // "since" ages by itself: re-read the clock every 30 s.
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(id);
  }, []);
  useEffect(() => setLive(new Map()), [machines.data]);
  useEvents([`machines:${departmentId}`], (e) => {
    if (e.type !== 'machine.status') return;
    setLive((m) => new Map(m).set(e.status.code, e.status));
    setUpdates((n) => n + 1);
    setNow(Date.now());
  });
  const jobNumber = useMemo(() => new Map((jobs.data ?? []).map((j) => [j.id, j.jobNumber])), [jobs.data]);

  if (machines.isPending) return <Loading what="machine status" />;
  const unavailable = machines.error instanceof ApiError && machines.error.status === 404;
  if (machines.error && !unavailable) return <ErrorBox error={machines.error} />;
  const items = machines.data?.items ?? [];
  if (items.length === 0) {
    return (
      <ul className="tiles" aria-label="Machine status">
        {workCenters.map((w) => (
          <li key={w.id} className="tile nodata">
            <b>{w.id}</b>
            <span>no data</span>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <ul className="tiles" aria-label="Machine status" data-testid="machine-board" data-live-updates={updates}>
      {items.map((m) => {
        const s = live.get(m.code) ?? m.status;
        const alarms = s.activeAlarms ?? [];
        return (
          <li
            key={m.id}
            className={`tile state-${s.state}${m.enabled ? '' : ' disabled'}`}
            data-machine={m.code}
            data-state={s.state}
            aria-label={`${m.code} ${s.state}`}
          >
            <b>{m.code}</b>
            <span className="state">{s.state}</span>
            <span>
              job {s.jobId ? (jobNumber.get(s.jobId) ?? s.jobId) : '—'}
              {s.program ? ` · ${s.program}` : ''}
            </span>
            <span>parts {s.partCount ?? '—'}</span>
            <span title={fmt(s.since)}>{s.since ? `for ${since(s.since, now)}` : 'never seen'}</span>
            {alarms.length > 0 && (
              <span className="tile-alarm" role="img" aria-label={`${alarms.length} active alarm(s)`}>
                ⚠ {alarms[0]?.code} {alarms[0]?.message}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
