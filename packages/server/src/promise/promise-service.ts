import { checkRoutingWorkCenters, resolveRoutingDependencies } from '../jobs/routing-rules.js';
import { isoDate, localDate } from '../platform/time-zone.js';
import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import type { Booking, CenterTimeline } from './center-timeline.js';
import { justify } from './justification.js';
import { floorModel, timelines, type FloorModel } from './promise-floor.js';
import { NoCapacityError, placeSteps, type Placement, type PromiseStep } from './promise-planner.js';
import { loadPromiseSnapshot, type PromiseSnapshot } from './promise-queries.js';
import type { PromiseInput } from './schemas.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far past the last booking calendars reach, tried in turn until the job fits. */
const HORIZON_SLACK_DAYS = [21, 90, 365];
const MAX_HORIZON_DAYS = 730;

export interface PromiseDeps {
  db: Db;
  timeZone: string;
  /** epoch ms; the caller reads the clock */
  now: number;
}

/** The routing as placeable steps; dependencies resolved by the same rules as a job create. */
function promiseSteps(input: PromiseInput): PromiseStep[] {
  const deps = resolveRoutingDependencies(input.routings);
  const indexOf = new Map(input.routings.map((r, i) => [r.sequence, i]));
  return input.routings.map((r) => ({
    sequence: r.sequence,
    operationCode: r.operationCode,
    workCenterType: r.workCenterType,
    setupMinutes: r.setupMinutes ?? 0,
    runMinutes: r.runMinutesPerUnit * (r.quantity ?? input.quantity),
    deps: (deps.get(r.sequence) ?? []).map((s) => indexOf.get(s)!),
  }));
}

/** Field errors the schema cannot see: unknown types, centers, or a type whose centers are all down. */
function checkAgainstFloor(input: PromiseInput, floor: FloorModel, centerType: Map<string, string>): void {
  checkRoutingWorkCenters(input.routings, centerType, floor.allTypes);
  input.routings.forEach((r, i) => {
    if (!floor.centersByType.has(r.workCenterType)) {
      throw new AppError(
        'conflict',
        'work_center_down',
        `routings[${i}].workCenterType: every work center of type "${r.workCenterType}" is down (inactive)`,
        `routings[${i}].workCenterType`,
      );
    }
  });
}

/**
 * Places the job twice: every booking fixed, and lower-priority bookings free. Calendars cost
 * time per day, so they first reach a few weeks past the last booking and further only when
 * some step does not fit.
 */
function placeWithinHorizon(
  snapshot: PromiseSnapshot,
  input: PromiseInput,
  steps: PromiseStep[],
  t0: number,
  lastBooked: number,
  timeZone: string,
) {
  const centerType = new Map(snapshot.centers.map((c) => [c.id, c.machineType]));
  for (const [attempt, slackDays] of HORIZON_SLACK_DAYS.entries()) {
    const horizonEnd = Math.min(lastBooked + slackDays * DAY, t0 + MAX_HORIZON_DAYS * DAY);
    const floor = floorModel(snapshot, t0, horizonEnd, timeZone);
    checkAgainstFloor(input, floor, centerType);
    try {
      return {
        floor,
        fixedAll: place(floor, steps, () => true),
        pushing: place(floor, steps, (b) => b.priority <= input.priority),
      };
    } catch (err) {
      if (!(err instanceof NoCapacityError)) throw err;
      if (attempt < HORIZON_SLACK_DAYS.length - 1) continue;
      const s = steps[err.step]!;
      const days = Math.round((horizonEnd - t0) / DAY);
      throw new AppError(
        'conflict',
        'no_capacity',
        `routings[${err.step}]: no ${s.workCenterType} center has room for step ${s.sequence} within ${days} days`,
        `routings[${err.step}]`,
      );
    }
  }
  throw new Error('unreachable: the last horizon either places the job or throws');
}

type Placed = { lines: Map<string, CenterTimeline>; placed: Placement[] };

/** Places the steps on timelines holding the bookings `keep` selects. */
function place(floor: FloorModel, steps: PromiseStep[], keep: (b: Booking) => boolean): Placed {
  const lines = timelines(floor, keep);
  const placed = placeSteps(steps, (s) =>
    floor.centersByType.get(s.workCenterType)!.map((c) => ({ timeline: lines.get(c.id)!, efficiency: c.efficiency })),
  );
  return { lines, placed };
}

function localFormatter(timeZone: string): (ms: number) => string {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  return (ms) => f.format(new Date(ms));
}

/**
 * Capable-to-promise (POST /promise). (a) earliestCompletion: the job's steps go into the gaps
 * of the current schedule, every booked slot fixed, so no other job gets later. (b) the date
 * if lower-priority work may be pushed: the same placement with the bookings of jobs of lower
 * priority (a larger number) treated as free. That is the best pushing can give and is never
 * later than (a); it neither re-plans the pushed work nor says how late it gets, which only a
 * plan run can (the pushed jobs are listed so a planner can run one). This choice keeps the
 * answer exact, deterministic and in milliseconds instead of a solver run's hundreds.
 */
export async function promiseDate(deps: PromiseDeps, input: PromiseInput) {
  const began = performance.now();
  const steps = promiseSteps(input);
  const t0 = Math.floor(deps.now / MINUTE) * MINUTE;
  const from = localDate(t0 - DAY, deps.timeZone);
  const snapshot = await deps.db.transaction((tx) =>
    loadPromiseSnapshot(tx, new Date(t0), isoDate(from.year, from.month, from.day)),
  );
  const lastBooked = snapshot.bookings.reduce((m, b) => Math.max(m, b.plannedEnd.getTime()), t0);
  const iso = (m: number) => new Date(t0 + m * MINUTE).toISOString();
  const local = localFormatter(deps.timeZone);
  const time = { iso, local: (m: number) => local(t0 + m * MINUTE) };

  const { floor, fixedAll, pushing } = placeWithinHorizon(snapshot, input, steps, t0, lastBooked, deps.timeZone);

  const completion = (placed: Placement[]) => placed.reduce((m, p) => Math.max(m, p.end), 0);
  const due = input.dueDate ? new Date(input.dueDate).getTime() : null;
  const verdict = (endMin: number) => {
    if (due === null) return { onTime: null, lateMinutes: null };
    const late = Math.max(0, Math.ceil((t0 + endMin * MINUTE - due) / MINUTE));
    return { onTime: late === 0, lateMinutes: late };
  };
  const stepView = (placed: Placement[]) =>
    placed.map((p) => ({
      sequence: steps[p.step]!.sequence,
      operationCode: steps[p.step]!.operationCode,
      workCenterId: p.centerId,
      readyAt: iso(p.readyAt),
      setupStart: iso(p.setupStart),
      start: iso(p.start),
      end: iso(p.end),
      waitMinutes: Math.round(p.setupStart - p.freeStart),
    }));
  const a = completion(fixedAll.placed);
  const b = completion(pushing.placed);
  const pushed = pushedJobs(pushing.placed, floor, input.priority);
  const justification = justify(steps, fixedAll.placed, fixedAll.lines, time);
  justification.text +=
    input.priority >= 4
      ? ' Nothing has a lower priority than this job, so pushing gains nothing.'
      : ` If lower-priority work may be pushed: ${time.local(b)}` +
        (pushed.length
          ? `, moving ${[...new Set(pushed.map((p) => p.jobNumber))].slice(0, 5).join(', ')}${pushed.length > 5 ? ' and more' : ''}.`
          : ' (nothing in the way).');
  return {
    earliestCompletion: iso(a),
    ...verdict(a),
    justification,
    steps: stepView(fixedAll.placed),
    ifPushingLowerPriority: {
      completion: iso(b),
      ...verdict(b),
      earlierByMinutes: Math.round(a - b),
      pushedJobs: pushed,
      steps: stepView(pushing.placed),
    },
    basis: {
      now: iso(0),
      priority: input.priority,
      bookingsConsidered: snapshot.bookings.length,
      method:
        'earliestCompletion: fitted into the gaps of the current schedule slots, which stay where they are. ' +
        'ifPushingLowerPriority: the same fit with slots of lower-priority jobs treated as free capacity (those jobs would move later; re-plan to see by how much).',
    },
    computedInMs: Math.round(performance.now() - began),
  };
}

/** Lower-priority jobs whose bookings the pushing placement overlaps: they would have to move. */
function pushedJobs(placed: Placement[], floor: FloorModel, priority: number) {
  const out = new Map<string, { jobNumber: string; priority: number; workCenterId: string }>();
  for (const p of placed) {
    for (const b of floor.bookings.get(p.centerId) ?? []) {
      if (b.priority > priority && b.start < p.end && b.end > p.setupStart) {
        out.set(`${b.jobNumber}@${p.centerId}`, {
          jobNumber: b.jobNumber,
          priority: b.priority,
          workCenterId: p.centerId,
        });
      }
    }
  }
  return [...out.values()];
}
