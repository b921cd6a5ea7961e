import type { CenterTimeline } from './center-timeline.js';

/** One step of the prospective job, ready to place (minutes; indices into the step list). */
export interface PromiseStep {
  sequence: number;
  operationCode: string;
  workCenterType: string;
  setupMinutes: number;
  /** standard run minutes (run per unit x quantity), before a center's efficiency */
  runMinutes: number;
  /** indices of the steps that must finish first */
  deps: number[];
}

export interface EligibleCenter {
  timeline: CenterTimeline;
  efficiency: number;
}

export interface Placement {
  step: number;
  centerId: string;
  /** when all its dependencies are done (or time zero) */
  readyAt: number;
  setupStart: number;
  start: number;
  end: number;
  /** when it could have started on the same center had nothing been booked there */
  freeStart: number;
  /** the dependency whose end made it ready, if any */
  boundBy: number | null;
}

export class NoCapacityError extends Error {
  constructor(readonly step: number) {
    super(`step ${step} does not fit in the calendar horizon`);
  }
}

/** Dependencies first (the routing rules have already refused cycles). */
export function topologicalSteps(steps: readonly PromiseStep[]): number[] {
  const order: number[] = [];
  const state = new Uint8Array(steps.length);
  const visit = (i: number) => {
    if (state[i]) return;
    state[i] = 1;
    for (const d of steps[i]!.deps) visit(d);
    order.push(i);
  };
  steps.forEach((_, i) => visit(i));
  return order;
}

/**
 * Places each step, in dependency order, on the eligible center where it finishes earliest,
 * in the gaps the existing bookings leave (they never move, so no other job gets later).
 * Greedy per step, as a planner quoting a date would do it: the earliest fit only moves later
 * as the ready time does, so an earlier finish never hurts a successor on another center; the
 * one thing it does not optimise is two steps of this job competing for the same center. The
 * new job's own steps reserve their windows, so they never overlap each other.
 */
export function placeSteps(
  steps: readonly PromiseStep[],
  eligible: (step: PromiseStep) => readonly EligibleCenter[],
): Placement[] {
  const placed: Placement[] = new Array<Placement>(steps.length);
  for (const i of topologicalSteps(steps)) {
    const s = steps[i]!;
    let readyAt = 0;
    let boundBy: number | null = null;
    for (const d of s.deps) {
      if (placed[d]!.end > readyAt) {
        readyAt = placed[d]!.end;
        boundBy = d;
      }
    }
    let best: { c: EligibleCenter; fit: NonNullable<ReturnType<CenterTimeline['earliestFit']>>; run: number } | null =
      null;
    for (const c of eligible(s)) {
      const run = s.runMinutes > 0 ? Math.max(1, Math.ceil(s.runMinutes / c.efficiency)) : 0;
      const fit = c.timeline.earliestFit(readyAt, Math.round(s.setupMinutes), run);
      if (!fit) continue;
      if (!best || fit.end < best.fit.end || (fit.end === best.fit.end && fit.setupStart < best.fit.setupStart))
        best = { c, fit, run };
    }
    if (!best) throw new NoCapacityError(i);
    const free = best.c.timeline.freeFit(readyAt, Math.round(s.setupMinutes), best.run);
    best.c.timeline.reserve(best.fit.setupStart, best.fit.end);
    placed[i] = {
      step: i,
      centerId: best.c.timeline.id,
      readyAt,
      setupStart: best.fit.setupStart,
      start: best.fit.start,
      end: best.fit.end,
      freeStart: free ? free.setupStart : best.fit.setupStart,
      boundBy,
    };
  }
  return placed;
}

/**
 * The chain of steps that sets the completion: from the step that ends last, back through the
 * dependency that made each one ready. Returned first step first.
 */
export function criticalChain(placed: readonly Placement[]): number[] {
  if (placed.length === 0) return [];
  let last = placed[0]!;
  for (const p of placed) if (p.end > last.end) last = p;
  const chain: number[] = [];
  for (let cur: Placement | undefined = last; cur; cur = cur.boundBy === null ? undefined : placed[cur.boundBy])
    chain.push(cur.step);
  return chain.reverse();
}
