/** /planner: resource Gantt (work centers grouped by department) with server-checked drags. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useDepartments, useExceptions, useJobs, useShifts, useSlots, useWorkCenters } from '../../api/hooks';
import type { Job, Slot } from '../../api/types';
import { useEvents } from '../../api/ws';
import { Empty, ErrorBox, Loading } from '../../components/Status';
import { addDays, fmtDay, mondayOf } from '../../format';
import { backgroundItems, buildGroups, slotItem, type ColourBy } from './items';
import { ConflictsList } from './ConflictsList';
import { MovePanel } from './MovePanel';
import { useMoveFlow } from './useMoveFlow';
import { useTimeline } from './useTimeline';

const RANGE_DAYS = 28;
const ZOOMS = [
  { label: 'Shift', days: 8 / 24 },
  { label: 'Day', days: 1 },
  { label: 'Week', days: 7 },
  { label: 'All', days: RANGE_DAYS },
];

export default function PlannerPage() {
  const [from, setFrom] = useState(() => mondayOf(new Date()));
  const to = useMemo(() => addDays(from, RANGE_DAYS), [from]);
  const departments = useDepartments();
  const workCenters = useWorkCenters();
  const shifts = useShifts();
  const exceptions = useExceptions();
  const jobs = useJobs();
  const slots = useSlots(from, to);

  const slotMap = useRef(new Map<string, Slot>());
  const { move, handlers, confirm, cancel, close } = useMoveFlow(slotMap);
  const container = useRef<HTMLDivElement>(null);
  const api = useTimeline(container, handlers, { start: from, end: addDays(from, 7) });
  const [rendered, setRendered] = useState<number | null>(null);
  const [colourBy, setColourBy] = useState<ColourBy>('priority');

  // Live: a published plan or a slot changed elsewhere reloads the bars (at most every second).
  const client = useQueryClient();
  const reload = useRef(0);
  useEvents(['schedule'], () => {
    if (reload.current) return;
    reload.current = window.setTimeout(() => {
      reload.current = 0;
      void client.invalidateQueries({ queryKey: ['schedule-slots'] });
    }, 1000);
  });

  const queries = [departments, workCenters, shifts, exceptions, jobs, slots];
  const error = queries.find((q) => q.error)?.error;
  const ready = queries.every((q) => q.data !== undefined);

  // Groups and non-working background: when the shop or the window changes.
  useEffect(() => {
    const t = api.current;
    if (!t || !departments.data || !workCenters.data || !shifts.data || !exceptions.data) return;
    t.groups.clear();
    t.groups.add(buildGroups(departments.data, workCenters.data));
    const old = t.items.getIds({ filter: (i) => i.type === 'background' });
    t.items.remove(old);
    t.items.add(backgroundItems(workCenters.data, shifts.data, exceptions.data, from.getTime(), to.getTime()));
  }, [api, departments.data, workCenters.data, shifts.data, exceptions.data, from, to]);

  // Bars: updated in place in the dataset, never rendered by React.
  useEffect(() => {
    const t = api.current;
    if (!t || !slots.data || !jobs.data) return;
    const jobMap = new Map<string, Job>(jobs.data.map((j) => [j.id, j]));
    slotMap.current = new Map(slots.data.map((s) => [s.id, s]));
    const started = performance.now();
    const stale = t.items.getIds({ filter: (i) => i.type !== 'background' && !slotMap.current.has(String(i.id)) });
    t.items.remove(stale);
    t.items.update(slots.data.map((s) => slotItem(s, jobMap.get(s.jobId), colourBy)));
    const count = slots.data.length;
    const onChanged = () => {
      t.timeline.off('changed', onChanged);
      performance.mark('kerf:planner-rendered');
      console.info(
        `planner: ${count} operations in the dataset, drawn in ${Math.round(performance.now() - started)} ms`,
      );
      setRendered(count);
    };
    t.timeline.on('changed', onChanged);
  }, [api, slots.data, jobs.data, colourBy]);

  const showSlots = (ids: string[]) => {
    const t = api.current;
    if (!t) return;
    const known = ids.filter((id) => slotMap.current.has(id));
    t.timeline.setSelection(known);
    if (known.length > 0) t.timeline.focus(known, { zoom: false });
  };
  // Zoom around the middle of what is in view; "All" shows the four loaded weeks.
  const zoom = (days: number) => {
    const t = api.current?.timeline;
    if (!t) return;
    if (days >= RANGE_DAYS) return t.setWindow(from, to);
    const w = t.getWindow();
    const mid = (w.start.getTime() + w.end.getTime()) / 2;
    const half = (days * 86_400_000) / 2;
    t.setWindow(new Date(mid - half), new Date(mid + half));
  };
  const shiftRange = (weeks: number) => setFrom((f) => addDays(f, weeks * 7));
  const late = useMemo(() => {
    if (!slots.data || !jobs.data) return 0;
    const due = new Map(jobs.data.map((j) => [j.id, j.dueDate]));
    return new Set(slots.data.filter((s) => s.plannedEnd > (due.get(s.jobId) ?? '9999')).map((s) => s.jobId)).size;
  }, [slots.data, jobs.data]);

  return (
    <div className="planner">
      <div className="toolbar" role="toolbar" aria-label="Planner window">
        <h1>Planner</h1>
        <button type="button" onClick={() => shiftRange(-1)} aria-label="Previous week">
          ◀
        </button>
        <span>
          {fmtDay(from.toISOString())} – {fmtDay(to.toISOString())}
        </span>
        <button type="button" onClick={() => shiftRange(1)} aria-label="Next week">
          ▶
        </button>
        {ZOOMS.map((z) => (
          <button key={z.label} type="button" onClick={() => zoom(z.days)}>
            {z.label}
          </button>
        ))}
        <label htmlFor="colour-by">Colour by</label>
        <select id="colour-by" value={colourBy} onChange={(e) => setColourBy(e.target.value as ColourBy)}>
          <option value="priority">priority</option>
          <option value="status">status</option>
          <option value="job">job</option>
        </select>
        <span className="legend" aria-label="Legend">
          {colourBy === 'priority' &&
            [1, 2, 3, 4, 5].map((p) => (
              <span key={p}>
                <i className={`swatch prio-${p}`} /> {p}
              </span>
            ))}
          {colourBy === 'status' &&
            ['scheduled', 'in_progress', 'completed'].map((st) => (
              <span key={st}>
                <i className={`swatch st-${st}`} /> {st.replace('_', ' ')}
              </span>
            ))}
          <i className="swatch late" /> late <i className="swatch nonworking" /> closed
        </span>
        <span className="counts" data-testid="planner-counts">
          {slots.data ? `${slots.data.length} operations · ${late} late jobs` : ''}
        </span>
      </div>
      {error ? <ErrorBox error={error} /> : null}
      {!ready && !error ? <Loading what="the schedule" /> : null}
      {ready && slots.data?.length === 0 ? (
        <Empty>No operations are scheduled between these dates. Run a plan or pick another week.</Empty>
      ) : null}
      <div className="planner-body">
        <div
          ref={container}
          className="timeline"
          data-rendered={rendered ?? undefined}
          aria-label="Schedule by work center"
          role="region"
        />
        <div className="side">
          <MovePanel move={move} onConfirm={confirm} onCancel={cancel} onClose={close} />
          <ConflictsList from={from} to={to} onShow={showSlots} />
        </div>
      </div>
    </div>
  );
}
