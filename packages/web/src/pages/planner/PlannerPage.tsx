/**
 * /planner: the Gantt in two views, resources (work centers grouped by department) and jobs
 * (a row per job, precedence arrows), with server-checked moves by mouse or keyboard.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useCustomers, useDepartments, useJobs, useRoutingSteps, useSlots, useWorkCenters } from '../../api/hooks';
import type { Job, RoutingStep, Slot } from '../../api/models';
import { useEvents } from '../../api/ws';
import { useAuth } from '../../auth';
import { Empty, ErrorBox, Loading } from '../../components/Status';
import { addDays, fmtDay, mondayOf, shopZone } from '../../format';
import { backgroundItems, buildGroups, buildJobGroups, setupLegend, type ColourBy } from './items';
import { useWorkingTime } from './calendar';
import { ConflictsList } from './ConflictsList';
import { MovePanel } from './MovePanel';
import { useKeyboardMoves } from './useKeyboardMoves';
import { useMoveFlow, type PlannerView } from './useMoveFlow';
import { usePrecedenceArrows } from './usePrecedenceArrows';
import { useSlotBars } from './useSlotBars';
import { useTimeline } from './useTimeline';

const RANGE_DAYS = 28;
const ZOOMS = [
  { label: 'Hour', days: 4 / 24 },
  { label: 'Shift', days: 8 / 24 },
  { label: 'Day', days: 1 },
  { label: 'Week', days: 7 },
  { label: 'All', days: RANGE_DAYS },
];

export default function PlannerPage() {
  const { can } = useAuth();
  const [from, setFrom] = useState(() => mondayOf(new Date()));
  const to = useMemo(() => addDays(from, RANGE_DAYS), [from]);
  const departments = useDepartments();
  const workCenters = useWorkCenters();
  const workingTime = useWorkingTime(from.getTime(), to.getTime());
  const jobs = useJobs();
  const slots = useSlots(from, to);
  // Details for hover, setup colours and arrows: asked for once the bars are loaded, so that
  // they do not compete with the bars for the server, and then they refine the bars.
  const details = can('job:view') && slots.data !== undefined;
  const steps = useRoutingSteps(details);
  const customers = useCustomers(details);

  const [view, setView] = useState<PlannerView>('resources');
  const viewRef = useRef<PlannerView>(view);
  viewRef.current = view;
  const slotMap = useRef(new Map<string, Slot>());
  const edges = useRef<[string, string][]>([]);
  const { move, handlers, confirm, cancel, close } = useMoveFlow(slotMap, viewRef);
  const container = useRef<HTMLDivElement>(null);
  const api = useTimeline(container, handlers, { start: from, end: addDays(from, 7) });
  const [rendered, setRendered] = useState<number | null>(null);
  const [colourBy, setColourBy] = useState<ColourBy>('priority');
  const [announcement, setAnnouncement] = useState('');
  const flow = useMemo(() => ({ handlers, confirm, cancel, close }), [handlers, confirm, cancel, close]);
  useKeyboardMoves({ container, api, slots: slotMap, view: viewRef, move, flow, announce: setAnnouncement });
  usePrecedenceArrows(container, api, edges, view === 'jobs');

  // Live: a published schedule, a slot changed elsewhere or work reported on the floor reloads
  // the bars (at most every second; only the slots that changed are redrawn).
  const client = useQueryClient();
  const reload = useRef(0);
  useEvents(['schedule', 'floor'], () => {
    if (reload.current) return;
    reload.current = window.setTimeout(() => {
      reload.current = 0;
      void client.invalidateQueries({ queryKey: ['schedule-slots'] });
    }, 1000);
  });

  const queries = [departments, workCenters, workingTime, jobs, slots];
  const error = queries.find((q) => q.error)?.error;
  const ready = queries.every((q) => q.data !== undefined);

  const jobMap = useMemo(() => new Map<string, Job>((jobs.data ?? []).map((j) => [j.id, j])), [jobs.data]);
  const stepMap = useMemo(() => new Map<string, RoutingStep>((steps.data ?? []).map((s) => [s.id, s])), [steps.data]);
  const customerNames = useMemo(() => new Map((customers.data ?? []).map((c) => [c.id, c.name])), [customers.data]);

  // Rows (work centers or jobs) and, in the resource view, shaded non-working time. Job rows
  // follow the loaded slots; work center rows only the shop and the window.
  const jobRowsFrom = view === 'jobs' ? slots.data : undefined;
  // The resource view's rows and shading do not depend on the jobs: their arrival must not
  // redraw 3,000 background items.
  const jobRowMap = view === 'jobs' ? jobMap : undefined;
  useEffect(() => {
    const t = api.current;
    if (!t || !departments.data || !workCenters.data || !workingTime.data) return;
    if (view === 'jobs' && !jobRowsFrom) return;
    t.timeline.setOptions({
      editable: {
        updateTime: true,
        updateGroup: view === 'resources',
        add: false,
        remove: false,
        overrideItems: false,
      },
    });
    t.groups.clear();
    const old = t.items.getIds({ filter: (i) => i.type === 'background' });
    t.items.remove(old);
    if (view === 'resources') {
      t.groups.add(buildGroups(departments.data, workCenters.data));
      t.items.add(backgroundItems(workCenters.data, workingTime.data, from.getTime(), to.getTime()));
    } else {
      t.groups.add(buildJobGroups(jobRowsFrom ?? [], jobRowMap ?? new Map()));
    }
  }, [api, departments.data, workCenters.data, workingTime.data, jobRowsFrom, jobRowMap, from, to, view]);

  // Bars, planned and actual: updated in place in the dataset, never rendered by React.
  useSlotBars(
    api,
    { slots: slots.data, jobs: jobs.data, jobMap, stepMap, customerNames, colourBy, view },
    slotMap,
    edges,
    setRendered,
  );

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
  // Actual against planned is read around now: centre the view on it, loading its weeks if needed.
  const toNow = () => {
    const now = new Date();
    if (now < from || now >= to) setFrom(mondayOf(now));
    api.current?.timeline.moveTo(now, { animation: false });
  };
  const late = useMemo(() => {
    if (!slots.data || !jobs.data) return 0;
    const due = new Map(jobs.data.map((j) => [j.id, j.dueDate]));
    return new Set(slots.data.filter((s) => s.plannedEnd > (due.get(s.jobId) ?? '9999')).map((s) => s.jobId)).size;
  }, [slots.data, jobs.data]);
  const categories = useMemo(
    () => (colourBy === 'setup' ? setupLegend((slots.data ?? []).map((s) => stepMap.get(s.routingId))) : []),
    [colourBy, slots.data, stepMap],
  );

  return (
    <div className="planner">
      <div className="toolbar" role="toolbar" aria-label="Planner window">
        <h1>Planner</h1>
        <fieldset className="view-switch">
          <legend className="sr-only">View</legend>
          {(['resources', 'jobs'] as const).map((v) => (
            <label key={v}>
              <input type="radio" name="planner-view" value={v} checked={view === v} onChange={() => setView(v)} />
              {v === 'resources' ? 'Work centers' : 'Jobs'}
            </label>
          ))}
        </fieldset>
        <button type="button" onClick={() => shiftRange(-1)} aria-label="Previous week">
          ◀
        </button>
        <span>
          {fmtDay(from.getTime())} – {fmtDay(to.getTime() - 1)} <small>({shopZone()})</small>
        </span>
        <button type="button" onClick={() => shiftRange(1)} aria-label="Next week">
          ▶
        </button>
        <button type="button" onClick={toNow} title="Centre the view on the current time">
          Now
        </button>
        {ZOOMS.map((z) => (
          <button
            key={z.label}
            type="button"
            onClick={() => zoom(z.days)}
            title={z.days >= RANGE_DAYS ? 'Show all four weeks' : `Zoom to one ${z.label.toLowerCase()}`}
          >
            {z.label}
          </button>
        ))}
        <label htmlFor="colour-by">Colour by</label>
        <select id="colour-by" value={colourBy} onChange={(e) => setColourBy(e.target.value as ColourBy)}>
          <option value="priority">priority</option>
          <option value="status">status</option>
          <option value="job">job</option>
          <option value="setup">setup category</option>
        </select>
        <span className="legend" aria-label="Legend">
          {colourBy === 'priority' &&
            [1, 2, 3, 4, 5].map((p) => (
              <span key={p}>
                <i className={`swatch prio-${p}`} /> {p}
              </span>
            ))}
          {colourBy === 'status' &&
            ['scheduled', 'in_progress', 'complete'].map((st) => (
              <span key={st}>
                <i className={`swatch st-${st}`} /> {st.replace('_', ' ')}
              </span>
            ))}
          {colourBy === 'setup' &&
            (steps.isPending ? (
              <span>loading setups…</span>
            ) : (
              <>
                {categories.slice(0, 8).map((c) => (
                  <span key={c.category}>
                    <i className={`swatch ${c.className}`} /> {c.category}
                  </span>
                ))}
                {categories.length > 8 && <span>+{categories.length - 8} more</span>}
                <span>
                  <i className="swatch setup-none" /> none
                </span>
              </>
            ))}
          <i className="swatch late" /> late <i className="swatch nonworking" /> closed{' '}
          <i className="swatch actual-on-time" /> actual on time <i className="swatch actual-late" /> actual late
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
      <p id="planner-keys" className="sr-only">
        Keyboard: N and P select the next or previous bar in view; arrow keys move it (Shift: by an hour; Up and Down:
        another work center); Enter asks the server to check the move, Enter again confirms it; Escape cancels.
      </p>
      <p className="sr-only" role="status" aria-live="polite" data-testid="planner-announce">
        {announcement}
      </p>
      <div className="planner-body">
        <div
          ref={container}
          className={`timeline view-${view}`}
          data-rendered={rendered ?? undefined}
          data-view={view}
          aria-label={view === 'resources' ? 'Schedule by work center' : 'Schedule by job'}
          aria-describedby="planner-keys"
          role="region"
          tabIndex={0}
        />
        <div className="side">
          <MovePanel move={move} onConfirm={confirm} onCancel={cancel} onClose={close} />
          <p className="muted keys-hint">
            Keys (chart focused): <kbd>N</kbd>/<kbd>P</kbd> select, arrows move, <kbd>Enter</kbd> check then confirm,{' '}
            <kbd>Esc</kbd> cancel.
          </p>
          <ConflictsList from={from} to={to} onShow={showSlots} />
        </div>
      </div>
    </div>
  );
}
