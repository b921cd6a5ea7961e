/** /departments and /departments/:id: load today and this week, queues, late jobs, machine tiles. */
import { useMemo } from 'react';
import { useDepartments, useJobs, useSlots, useWorkCenters } from '../api/hooks';
import type { Slot } from '../api/models';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { addDays, fmt, hours, mondayOf, startOfDay } from '../format';
import { Link } from '../router';
import { intervalsByWorkCenter, useWorkingTime, type Interval } from './planner/calendar';
import { AlarmList } from './machines/AlarmList';
import { MachineBoard } from './machines/MachineBoard';
import { QueueList } from './QueueList';

export function DepartmentsPage() {
  const d = useDepartments();
  if (d.isPending) return <Loading what="departments" />;
  if (d.error) return <ErrorBox error={d.error} />;
  return (
    <div className="page">
      <h1>Department dashboards</h1>
      {d.data.length === 0 && <Empty>No departments yet.</Empty>}
      <ul className="cards">
        {d.data.map((dep) => (
          <li key={dep.id}>
            <Link to={`/departments/${dep.id}`}>{dep.name}</Link>
            <p className="muted">{dep.description}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Working minutes of the slot: its overlap with the work center's shifts. */
const workingMinutes = (s: Slot, shifts: Interval[]) => shifts.reduce((sum, i) => sum + overlap(s, i.start, i.end), 0);

/** Minutes of the slot inside [from, to). */
const overlap = (s: Slot, from: number, to: number) =>
  Math.max(0, Math.min(Date.parse(s.plannedEnd), to) - Math.max(Date.parse(s.plannedStart), from)) / 60_000;

export function DepartmentPage({ id }: { id: string }) {
  const now = useMemo(() => new Date(), []);
  const week = useMemo(() => ({ from: mondayOf(now), to: addDays(mondayOf(now), 7) }), [now]);
  const today = useMemo(() => {
    const start = startOfDay(now);
    return { from: start.getTime(), to: addDays(start, 1).getTime() };
  }, [now]);
  const deps = useDepartments();
  const wcs = useWorkCenters();
  const workingTime = useWorkingTime(week.from.getTime(), week.to.getTime());
  const jobs = useJobs();
  const slots = useSlots(week.from, week.to);

  const all = [deps, wcs, workingTime, jobs, slots];
  const error = all.find((q) => q.error)?.error;
  if (error) return <ErrorBox error={error} />;
  if (!deps.data || !wcs.data || !workingTime.data || !jobs.data || !slots.data)
    return <Loading what="the dashboard" />;
  const dep = deps.data.find((d) => d.id === id);
  if (!dep) return <ErrorBox error={new Error(`There is no department ${id}.`)} />;
  const members = wcs.data.filter((w) => w.departmentId === id);
  const workingOf = intervalsByWorkCenter(workingTime.data);
  const jobById = new Map(jobs.data.map((j) => [j.id, j]));
  const mine = slots.data.filter((s) => members.some((w) => w.id === s.workCenterId));
  const lateJobs = [
    ...new Map(
      mine.filter((s) => s.plannedEnd > (jobById.get(s.jobId)?.dueDate ?? '9999')).map((s) => [s.jobId, s]),
    ).values(),
  ];
  const wFrom = week.from.getTime();
  const wTo = week.to.getTime();

  return (
    <div className="page dashboard">
      <h1>{dep.name}</h1>
      <section aria-labelledby="load-title">
        <h2 id="load-title">Load per work center</h2>
        <table>
          <thead>
            <tr>
              <th>Work center</th>
              <th>Today planned / capacity</th>
              <th>This week planned / capacity</th>
            </tr>
          </thead>
          <tbody>
            {members.map((w) => {
              const own = mine.filter((s) => s.workCenterId === w.id);
              const week = workingOf.get(w.id) ?? [];
              const cell = (from: number, to: number) => {
                const working = week
                  .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) }))
                  .filter((i) => i.end > i.start);
                const load = own.reduce((sum, s) => sum + workingMinutes(s, working), 0);
                const cap = working.reduce((sum, i) => sum + (i.end - i.start) / 60_000, 0);
                const pct = cap > 0 ? Math.round((load / cap) * 100) : null;
                return (
                  <td>
                    {hours(load)} / {hours(cap)}{' '}
                    {pct !== null && <meter min={0} max={120} value={pct} aria-label={`${w.id} ${pct}% loaded`} />}{' '}
                    {pct !== null ? `${pct}%` : 'closed'}
                  </td>
                );
              };
              return (
                <tr key={w.id}>
                  <th scope="row">
                    {w.id} <small>{w.name}</small>
                  </th>
                  {cell(today.from, today.to)}
                  {cell(wFrom, wTo)}
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="status-title">
        <h2 id="status-title">Machine status</h2>
        <MachineBoard departmentId={id} workCenters={members} />
        <h3>Open alarms</h3>
        <AlarmList department={id} active />
        <p>
          <Link to="/alarms">All alarms</Link>
        </p>
      </section>
      <section aria-labelledby="late-title">
        <h2 id="late-title">Late jobs this week ({lateJobs.length})</h2>
        {lateJobs.length === 0 ? (
          <Empty>No job finishes late in this department this week.</Empty>
        ) : (
          <ul>
            {lateJobs.map((s) => (
              <li key={s.jobId}>
                <Link to={`/jobs/${s.jobId}`}>{s.jobNumber}</Link> {s.operationCode} ends {fmt(s.plannedEnd)}, due{' '}
                {fmt(jobById.get(s.jobId)?.dueDate)}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="queue-title">
        <h2 id="queue-title">Queues (dispatch order)</h2>
        <div className="queues">
          {members.map((w) => (
            <div key={w.id}>
              <h3>{w.id}</h3>
              <QueueList workCenterId={w.id} />
            </div>
          ))}
        </div>
      </section>
    </div>
  );
}
