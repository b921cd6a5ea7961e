import {
  CalendarIndex,
  type FixedOperation,
  type Interval,
  type Objective,
  type Operation,
  type Problem,
  type Resource,
} from '@kerf/solver';
import { ShopCalendar } from '../shop/calendar-shop.js';
import type { CalendarException, ShiftRule, UtcInterval } from '../shop/calendar-walk.js';

/** What the builder reads from the database, as plain rows (see problem-queries.ts). */
export interface PlanningSnapshot {
  workCenters: Array<{ id: string; machineType: string; efficiencyFactor: number; setupCategory: string | null }>;
  shifts: ShiftRule[];
  exceptions: CalendarException[];
  /** releaseAt: when the job's work may start, e.g. when its laser nests were posted by the nesting software. */
  jobs: Array<{ id: string; jobNumber: string; dueDate: Date; priority: number; releaseAt?: Date | null }>;
  routings: Array<{
    id: string;
    jobId: string;
    sequence: number;
    workCenterType: string;
    setupMinutes: number;
    runMinutesPerUnit: number;
    quantity: number;
    setupCategory: string | null;
    dependencies: string[];
  }>;
  /** the current slot of each routing that has one (not cancelled); actualStart: when the floor started it */
  slots: Array<{
    routingId: string;
    workCenterId: string;
    plannedStart: Date;
    plannedEnd: Date;
    status: string;
    actualStart?: Date | null;
  }>;
}

export interface BuildOptions {
  objective: Objective;
  /** the plan's time zero (UTC ms), rounded down to the minute */
  t0: number;
  /** how far ahead working calendars are built, in days */
  calendarDays: number;
  /** scheduled work starting within this many minutes of t0 is frozen in place */
  frozenMinutes: number;
  timeZone: string;
  /** changes a work center's working intervals (UTC ms) before they are used: what-if scenarios */
  adjustCalendar?: (workCenterId: string, intervals: UtcInterval[]) => UtcInterval[];
}

export interface BuiltProblem {
  problem: Problem;
  t0: number;
  /** operation index -> routing id */
  routingOf: string[];
  /** resource index -> work center id */
  workCenterOf: string[];
  /** routings that could not be planned, with the reason */
  skipped: Array<{ routingId: string; reason: string }>;
}

export const PRIORITY_WEIGHT: Record<number, number> = { 1: 8, 2: 4, 3: 2, 4: 1 };
const MINUTE = 60_000;

/**
 * Turns the shop's open work into the solver's problem: one operation per open routing step,
 * eligible on every active work center of the step's type (run time stretched by that center's
 * efficiency), calendars from shifts and exceptions, setups by category, due dates and weights
 * from the job, in-progress and frozen-window work fixed where it is.
 */
export function buildProblem(s: PlanningSnapshot, o: BuildOptions): BuiltProblem {
  const t0 = Math.floor(o.t0 / MINUTE) * MINUTE;
  const toMin = (ms: number) => Math.round((ms - t0) / MINUTE);
  const horizonEnd = t0 + o.calendarDays * 86_400_000;
  const skipped: BuiltProblem['skipped'] = [];

  const categories: string[] = [];
  const catIndex = new Map<string, number>();
  const category = (name: string | null): number => {
    if (!name) return -1;
    let i = catIndex.get(name);
    if (i === undefined) {
      i = categories.length;
      categories.push(name);
      catIndex.set(name, i);
    }
    return i;
  };

  const shop = new ShopCalendar(s.shifts, s.exceptions, o.timeZone);
  const resources: Resource[] = s.workCenters.map((wc) => {
    // A center without any shift defined has no calendar yet: treat it as always available.
    if (!o.adjustCalendar)
      return {
        id: wc.id,
        calendar: shop.minuteIntervals(wc.id, t0, horizonEnd),
        initialSetup: category(wc.setupCategory),
      };
    const intervals: UtcInterval[] = [...(shop.workingIntervals(wc.id, t0, horizonEnd) ?? [[t0, horizonEnd]])].map(
      ([a, b]) => [a, b],
    );
    const calendar: Interval[] = o.adjustCalendar(wc.id, intervals).map(([a, b]) => [toMin(a), toMin(b)] as const);
    return { id: wc.id, calendar, initialSetup: category(wc.setupCategory) };
  });
  const resIndex = new Map(s.workCenters.map((wc, i) => [wc.id, i]));
  const byType = new Map<string, number[]>();
  s.workCenters.forEach((wc, i) => byType.set(wc.machineType, [...(byType.get(wc.machineType) ?? []), i]));

  const done = new Set(s.slots.filter((x) => x.status === 'complete').map((x) => x.routingId));

  // Setup length per category: the longest setup any step of that category asks for.
  const setupOfCat = new Map<number, number>();
  const operations: Operation[] = [];
  const routingOf: string[] = [];
  const opOfRouting = new Map<string, number>();
  const jobIndex = new Map(s.jobs.map((j, i) => [j.id, i]));
  const jobOps: number[][] = s.jobs.map(() => []);
  const fixed: FixedOperation[] = [];

  for (const r of s.routings) {
    if (done.has(r.id)) continue;
    const j = jobIndex.get(r.jobId);
    if (j === undefined) continue;
    const eligible = byType.get(r.workCenterType) ?? [];
    if (eligible.length === 0) {
      skipped.push({ routingId: r.id, reason: `no active work center of type ${r.workCenterType}` });
      continue;
    }
    const cat = category(r.setupCategory);
    if (cat >= 0) setupOfCat.set(cat, Math.max(setupOfCat.get(cat) ?? 0, Math.round(r.setupMinutes)));
    const ownSetup = cat >= 0 ? 0 : r.setupMinutes;
    const modes = eligible.map((w) => ({
      resource: w,
      duration: Math.max(
        1,
        Math.ceil((r.runMinutesPerUnit * r.quantity) / s.workCenters[w]!.efficiencyFactor + ownSetup),
      ),
    }));
    const index = operations.length;
    operations.push({ id: r.id, job: j, modes, setupCategory: cat, predecessors: [] });
    routingOf.push(r.id);
    opOfRouting.set(r.id, index);
    jobOps[j]!.push(index);
  }

  for (const r of s.routings) {
    const i = opOfRouting.get(r.id);
    if (i === undefined) continue;
    // Finished or unplannable predecessors impose nothing on what remains.
    operations[i]!.predecessors = r.dependencies
      .map((d) => opOfRouting.get(d))
      .filter((d): d is number => d !== undefined);
  }

  const elapsed = (slot: PlanningSnapshot['slots'][number]) =>
    slot.actualStart ? shop.workingMinutesBetween(slot.workCenterId, slot.actualStart.getTime(), t0) : 0;
  const plannedWork = (slot: PlanningSnapshot['slots'][number]) =>
    shop.workingMinutesBetween(slot.workCenterId, slot.plannedStart.getTime(), slot.plannedEnd.getTime());
  fixWorkInPlace(s.slots, opOfRouting, resIndex, operations, resources, fixed, toMin, o.frozenMinutes, setupOfCat, {
    elapsed,
    plannedWork,
  });

  // Jobs with nothing left to plan are not part of the problem.
  const keptJobs = s.jobs.map((job, j) => ({ job, ops: jobOps[j]! })).filter((x) => x.ops.length > 0);
  keptJobs.forEach((x, newIndex) => x.ops.forEach((op) => (operations[op]!.job = newIndex)));

  const matrix = categories.map(() => categories.map((_, to) => setupOfCat.get(to) ?? 0));
  const problem: Problem = {
    objective: o.objective,
    resources,
    jobs: keptJobs.map(({ job, ops }) => ({
      id: job.jobNumber,
      release: job.releaseAt ? Math.max(0, toMin(job.releaseAt.getTime())) : 0,
      due: toMin(job.dueDate.getTime()),
      weight: PRIORITY_WEIGHT[job.priority] ?? 1,
      operations: ops,
    })),
    operations,
    setupCategories: categories,
    setupTimes: { default: 0, matrix },
    fixed,
  };
  return { problem, t0, routingOf, workCenterOf: s.workCenters.map((w) => w.id), skipped };
}

/**
 * In-progress work is fixed on the work center it runs on, from time zero (the solver's times
 * cannot go back to its actual start) for what is left of it: the working minutes its slot was
 * planned to take less those worked since the floor started it (without an actual start: until its
 * planned end), so the job's later steps are placed after its actual start plus its processing
 * time, the same expected end the floor's re-timing uses (slot-progress.ts). Several on one center
 * run one after another; it keeps no predecessors (its inputs are physically there). Complete work
 * is not in the problem at all.
 * Scheduled work starting inside the frozen window keeps its center and start when that start is
 * still free working time and all its open predecessors are fixed and end before it. A frozen
 * block includes its setup (the floor sees one block), so it needs no setup placed before it.
 * Everything else is re-planned.
 */
function fixWorkInPlace(
  slots: PlanningSnapshot['slots'],
  opOfRouting: Map<string, number>,
  resIndex: Map<string, number>,
  operations: Operation[],
  resources: Resource[],
  fixed: FixedOperation[],
  toMin: (ms: number) => number,
  frozenMinutes: number,
  setupOfCat: Map<number, number>,
  minutes: {
    elapsed: (slot: PlanningSnapshot['slots'][number]) => number;
    plannedWork: (slot: PlanningSnapshot['slots'][number]) => number;
  },
): void {
  const cals = resources.map((r) => new CalendarIndex(r.calendar));
  const nextFree = new Map<number, number>();
  const fixedEnd = new Map<number, number>();
  const ordered = [...slots]
    .filter((x) => ['in_progress', 'scheduled', 'queued', 'delayed'].includes(x.status))
    .sort(
      (a, b) =>
        Number(b.status === 'in_progress') - Number(a.status === 'in_progress') ||
        a.plannedStart.getTime() - b.plannedStart.getTime(),
    );
  for (const slot of ordered) {
    const i = opOfRouting.get(slot.routingId);
    const res = resIndex.get(slot.workCenterId);
    if (i === undefined || res === undefined || fixedEnd.has(i)) continue;
    const op = operations[i]!;
    const mode = op.modes.find((m) => m.resource === res);
    if (!mode) continue;
    const cal = cals[res]!;
    const free = nextFree.get(res) ?? 0;
    let start: number;
    let duration: number;
    if (slot.status === 'in_progress') {
      // Remaining = planned working minutes less those worked since the actual start (or until the
      // planned end without one); an overrun gets a tenth of its time.
      const left = slot.actualStart
        ? minutes.plannedWork(slot) - minutes.elapsed(slot)
        : cal.workBetween(0, toMin(slot.plannedEnd.getTime()));
      duration = left >= 1 ? Math.round(left) : Math.max(1, Math.ceil(mode.duration / 10));
      start = cal.nextWorking(free);
      op.predecessors = [];
    } else {
      start = toMin(slot.plannedStart.getTime());
      if (start < free || start >= frozenMinutes || !cal.isWorking(start)) continue;
      if (!op.predecessors.every((p) => (fixedEnd.get(p) ?? Infinity) <= start)) continue;
      duration = mode.duration + (op.setupCategory >= 0 ? (setupOfCat.get(op.setupCategory) ?? 0) : 0);
    }
    if (!Number.isFinite(start)) continue;
    op.modes = [{ resource: res, duration }];
    op.setupCategory = -1;
    fixed.push({ operation: i, resource: res, start });
    const end = cal.endAfter(start, duration);
    fixedEnd.set(i, end);
    nextFree.set(res, end);
  }
}
