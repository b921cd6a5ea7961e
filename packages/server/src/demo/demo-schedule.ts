import { ShopCalendar } from '../shop/calendar-shop.js';
import type { UtcInterval } from '../shop/calendar-walk.js';
import { addDays, parseDay } from './calendar-dates.js';
import { earliestStart, finishTime } from './interval-fit.js';
import type { DemoCalendarException, DemoShift } from './model.js';

/**
 * A deliberately simple forward schedule for the demo's first days, so that the
 * schedule-slot endpoints and the Gantt have something to show before the solver runs.
 * Jobs go in priority and due-date order; each step starts after all its predecessors
 * and after the last booking of its work center (no back-filling), inside shift hours.
 * It is feasible by construction, not good: planning/ does the real scheduling.
 */

export interface ScheduleCenter {
  id: string;
  machineType: string;
  efficiencyFactor: number;
}

export interface ScheduleStep {
  routingId: string;
  sequence: number;
  workCenterType: string;
  preferredWorkCenterId: string | null;
  setupMinutes: number;
  runMinutesPerUnit: number;
  quantity: number;
  dependsOn: number[];
}

export interface ScheduleJob {
  jobNumber: string;
  priority: number;
  dueDate: string;
  steps: ScheduleStep[];
}

export interface ScheduleInput {
  startDate: string;
  /** only steps starting within this many days of startDate are booked */
  days: number;
  centers: ScheduleCenter[];
  shifts: DemoShift[];
  exceptions: DemoCalendarException[];
  jobs: ScheduleJob[];
  /** IANA zone the shift times are wall-clock times in (KERF_TIMEZONE) */
  timeZone: string;
}

export interface PlannedSlot {
  routingId: string;
  workCenterId: string;
  start: Date;
  end: Date;
}

const MINUTE = 60_000;
// Long operations may run past the booking window; their working time must still be found.
const SPILL_DAYS = 60;

/** Steps in an order where every step comes after its predecessors (ties by sequence). */
export function dependencyOrder(steps: ScheduleStep[]): ScheduleStep[] {
  const left = [...steps].sort((a, b) => a.sequence - b.sequence);
  const done = new Set<number>();
  const out: ScheduleStep[] = [];
  while (left.length > 0) {
    const i = left.findIndex((s) => s.dependsOn.every((d) => done.has(d)));
    if (i < 0) throw new Error('routing dependencies form a cycle');
    const [s] = left.splice(i, 1);
    done.add(s!.sequence);
    out.push(s!);
  }
  return out;
}

/** Working time per center, from the same calendar rules the planner uses. */
export function centerIntervals(input: ScheduleInput): Map<string, UtcInterval[]> {
  const from = parseDay(input.startDate).getTime();
  const to = addDays(parseDay(input.startDate), input.days + SPILL_DAYS).getTime();
  const shop = new ShopCalendar(
    input.shifts.map((s) => ({ ...s, isActive: true })),
    input.exceptions,
    input.timeZone,
  );
  const out = new Map<string, UtcInterval[]>();
  for (const c of input.centers) out.set(c.id, [...(shop.workingIntervals(c.id, from, to) ?? [])]);
  return out;
}

export function forwardSchedule(input: ScheduleInput): PlannedSlot[] {
  const horizonStart = parseDay(input.startDate).getTime();
  const cutoff = addDays(parseDay(input.startDate), input.days).getTime();
  const windows = centerIntervals(input);
  const freeAt = new Map(input.centers.map((c) => [c.id, horizonStart]));
  const byType = new Map<string, ScheduleCenter[]>();
  for (const c of [...input.centers].sort((a, b) => a.id.localeCompare(b.id))) {
    byType.set(c.machineType, [...(byType.get(c.machineType) ?? []), c]);
  }
  const jobs = [...input.jobs].sort(
    (a, b) => a.priority - b.priority || a.dueDate.localeCompare(b.dueDate) || a.jobNumber.localeCompare(b.jobNumber),
  );
  const slots: PlannedSlot[] = [];
  for (const job of jobs) {
    // finish time per sequence; a step left unbooked blocks everything after it
    const finished = new Map<number, number>();
    for (const step of dependencyOrder(job.steps)) {
      const preds = step.dependsOn.map((d) => finished.get(d));
      if (preds.some((p) => p === undefined)) continue;
      const ready = Math.max(horizonStart, ...(preds as number[]));
      const candidates = step.preferredWorkCenterId
        ? input.centers.filter((c) => c.id === step.preferredWorkCenterId)
        : (byType.get(step.workCenterType) ?? []);
      let best: PlannedSlot | undefined;
      for (const c of candidates) {
        const w = windows.get(c.id)!;
        const setupMs = step.setupMinutes * MINUTE;
        const start = earliestStart(w, Math.max(ready, freeAt.get(c.id)!), setupMs);
        if (start === undefined || start >= cutoff) continue;
        // Efficiency stretches run time; setup is what it is.
        const minutes = Math.ceil(step.setupMinutes + (step.runMinutesPerUnit * step.quantity) / c.efficiencyFactor);
        const end = finishTime(w, start, minutes * MINUTE);
        if (end === undefined) continue;
        if (!best || end < best.end.getTime())
          best = { routingId: step.routingId, workCenterId: c.id, start: new Date(start), end: new Date(end) };
      }
      if (!best) continue;
      freeAt.set(best.workCenterId, best.end.getTime());
      finished.set(step.sequence, best.end.getTime());
      slots.push(best);
    }
  }
  return slots.sort((a, b) => a.start.getTime() - b.start.getTime() || a.workCenterId.localeCompare(b.workCenterId));
}
