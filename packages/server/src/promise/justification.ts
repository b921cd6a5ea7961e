import type { CenterTimeline } from './center-timeline.js';
import { criticalChain, type Placement, type PromiseStep } from './promise-planner.js';

export interface Bottleneck {
  sequence: number;
  operationCode: string;
  workCenterId: string;
  readyAt: string;
  couldStartAt: string;
  startsAt: string;
  /** calendar minutes the step waits because its center is booked */
  waitMinutes: number;
  /** jobs booked on that center in the way (first few) */
  blockedBy: string[];
}

export interface Justification {
  text: string;
  bottleneck: Bottleneck | null;
  /** sequences of the steps that set the date, first to last */
  criticalPath: number[];
}

const MAX_NAMES = 5;

function hours(minutes: number): string {
  return minutes < 120 ? `${Math.round(minutes)} min` : `${(minutes / 60).toFixed(1)} h`;
}

/**
 * Says in plain words what decides the date. Of the steps on the critical chain (the one that
 * ends last and the dependencies that made each ready), the deciding one is the step that
 * waits longest for its center because of existing bookings. When none waits, the date is
 * the routing's own work and the working calendars, and the longest step of the chain is
 * named instead.
 */
export function justify(
  steps: readonly PromiseStep[],
  placed: readonly Placement[],
  timelines: ReadonlyMap<string, CenterTimeline>,
  time: { iso: (minutes: number) => string; local: (minutes: number) => string },
): Justification {
  const at = time.local;
  const chain = criticalChain(placed);
  const criticalPath = chain.map((i) => steps[i]!.sequence);
  const last = placed[chain[chain.length - 1]!]!;
  let decider: Placement | null = null;
  for (const i of chain) {
    const p = placed[i]!;
    const wait = p.setupStart - p.freeStart;
    if (wait > 0 && (!decider || wait > decider.setupStart - decider.freeStart)) decider = p;
  }
  const finish = `Earliest completion ${at(last.end)}`;
  if (!decider) {
    let longest = placed[chain[0]!]!;
    for (const i of chain)
      if (placed[i]!.end - placed[i]!.setupStart > longest.end - longest.setupStart) longest = placed[i]!;
    const s = steps[longest.step]!;
    return {
      text:
        `${finish}. No step waits for a booked work center: the date follows from the routing's own work and the working ` +
        `calendars; the longest step on the way is ${s.sequence} ${s.operationCode} on ${longest.centerId} ` +
        `(${at(longest.setupStart)} to ${at(longest.end)}).`,
      bottleneck: null,
      criticalPath,
    };
  }
  const s = steps[decider.step]!;
  const wait = decider.setupStart - decider.freeStart;
  const jobs = [
    ...new Set(
      timelines
        .get(decider.centerId)!
        .bookedBetween(decider.freeStart, decider.setupStart)
        .map((b) => b.jobNumber),
    ),
  ];
  const names =
    jobs.slice(0, MAX_NAMES).join(', ') + (jobs.length > MAX_NAMES ? ` and ${jobs.length - MAX_NAMES} more` : '');
  return {
    text:
      `${finish}. Deciding step: ${s.sequence} ${s.operationCode} on ${decider.centerId}. It is ready at ${at(decider.readyAt)} ` +
      `and could start at ${at(decider.freeStart)}, but ${decider.centerId} is booked${names ? ` (${names})` : ''}, so it ` +
      `starts at ${at(decider.setupStart)}: a wait of ${hours(wait)}. No other ${s.workCenterType} center finishes it sooner.`,
    bottleneck: {
      sequence: s.sequence,
      operationCode: s.operationCode,
      workCenterId: decider.centerId,
      readyAt: time.iso(decider.readyAt),
      couldStartAt: time.iso(decider.freeStart),
      startsAt: time.iso(decider.setupStart),
      waitMinutes: Math.round(wait),
      blockedBy: jobs.slice(0, 20),
    },
    criticalPath,
  };
}
