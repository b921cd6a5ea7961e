import type { CalendarIndex } from '@kerf/solver';

/** One slot as the rescheduler sees it; times are minutes from an arbitrary zero. */
export interface RippleSlot {
  id: string;
  routingId: string;
  jobId: string;
  workCenterId: string;
  start: number;
  end: number;
  /** working minutes the slot needs (kept when it is re-timed) */
  work: number;
  movable: boolean;
  /** routing ids this slot's routing waits for */
  dependsOn: string[];
}

export interface Retimed {
  id: string;
  from: { start: number; end: number; workCenterId: string };
  to: { start: number; end: number; workCenterId: string };
  reason: string;
}

export type RippleResult = { ok: true; retimed: Retimed[] } | { ok: false; slotId: string; message: string };

/**
 * Where the slot that starts the ripple is. A planner's drop gives a start and the slot keeps its
 * working minutes; the floor's report gives the actual span (`end`: its actual or expected end)
 * and `actual`: what the floor did is not refused, so neither the slot's own predecessors nor
 * running work it now overlaps stop it (running work stays where it runs).
 */
export interface RippleTarget {
  start: number;
  workCenterId: string;
  end?: number;
  actual?: boolean;
}

/**
 * Places one slot where the planner dropped it and pushes what must follow: later work on the
 * same work center that would overlap it, and steps of the job that depend on it, each to the
 * next working time after what it waits for, until nothing overlaps and precedence holds.
 * Work only moves later; running work never moves (a planner's move is refused instead; after a
 * floor report it is left where it runs). The floor's reports use the same walk (slot-progress.ts),
 * so a late start or finish pushes the rest of the job exactly as a drag there would.
 */
export function ripple(
  slots: RippleSlot[],
  movedId: string,
  target: RippleTarget,
  calendarOf: (workCenterId: string) => CalendarIndex,
  label: (s: RippleSlot) => string,
): RippleResult {
  const byId = new Map(slots.map((s) => [s.id, { ...s }]));
  const original = new Map(slots.map((s) => [s.id, s]));
  const moved = byId.get(movedId);
  if (!moved) return { ok: false, slotId: movedId, message: 'slot not found' };
  const reasons = new Map<string, string>([
    [movedId, target.actual ? 'reported by the floor' : 'moved by the planner'],
  ]);
  const cal = calendarOf(target.workCenterId);
  moved.workCenterId = target.workCenterId;
  moved.start = target.start;
  moved.end = target.end ?? cal.endAfter(target.start, moved.work);
  if (!Number.isFinite(moved.end))
    return {
      ok: false,
      slotId: movedId,
      message: `${target.workCenterId} has no working time for it after that start`,
    };

  const dependents = new Map<string, string[]>(); // routing id -> slot ids that wait for it
  const slotOfRouting = new Map<string, string>();
  for (const s of byId.values()) {
    slotOfRouting.set(s.routingId, s.id);
    for (const d of s.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), s.id]);
  }

  const queue: string[] = [movedId];
  let guard = 0;
  while (queue.length > 0) {
    if (++guard > 100_000) return { ok: false, slotId: movedId, message: 'the change does not settle' };
    queue.sort((a, b) => byId.get(a)!.start - byId.get(b)!.start);
    const s = byId.get(queue.shift()!)!;
    const push = (p: typeof s | undefined, earliest: number, reason: string): string | undefined => {
      if (!p || p.id === s.id || p.start >= earliest) return undefined;
      if (!p.movable && target.actual) return undefined;
      if (!p.movable) return `${label(p)} is running or done and cannot be pushed by ${label(s)}`;
      const c = calendarOf(p.workCenterId);
      p.start = c.nextWorking(earliest);
      p.end = c.endAfter(p.start, p.work);
      if (!Number.isFinite(p.end)) return `${p.workCenterId} has no working time left for ${label(p)}`;
      reasons.set(p.id, reason);
      queue.push(p.id);
      return undefined;
    };
    if (s.id !== movedId) {
      // A pushed slot first clears itself of work already on its center at that time.
      for (let again = true; again;) {
        again = false;
        for (const other of byId.values()) {
          if (other.id === s.id || other.workCenterId !== s.workCenterId || other.start > s.start) continue;
          if (other.start < s.end && s.start < other.end) {
            const c = calendarOf(s.workCenterId);
            s.start = c.nextWorking(other.end);
            s.end = c.endAfter(s.start, s.work);
            if (!Number.isFinite(s.end))
              return { ok: false, slotId: s.id, message: `${s.workCenterId} has no working time left for ${label(s)}` };
            again = true;
          }
        }
      }
    }
    for (const other of byId.values()) {
      if (other.id === s.id || other.id === movedId || other.workCenterId !== s.workCenterId) continue;
      // Work on the same center that now overlaps makes room after this slot.
      if (other.start < s.end && s.start < other.end) {
        const err = push(other, s.end, `follows ${label(s)} on ${s.workCenterId}`);
        if (err) return { ok: false, slotId: other.id, message: err };
      }
    }
    for (const depId of dependents.get(s.routingId) ?? []) {
      const err = push(byId.get(depId), s.end, `waits for ${label(s)}`);
      if (err) return { ok: false, slotId: depId, message: err };
    }
  }

  // The moved slot itself must not start before what it waits for (the floor may have started it anyway).
  for (const d of target.actual ? [] : moved.dependsOn) {
    const pred = byId.get(slotOfRouting.get(d) ?? '');
    if (pred && pred.end > moved.start) {
      return { ok: false, slotId: movedId, message: `${label(moved)} cannot start before ${label(pred)} ends` };
    }
  }

  const retimed: Retimed[] = [];
  for (const [id, s] of byId) {
    const o = original.get(id)!;
    if (o.start !== s.start || o.end !== s.end || o.workCenterId !== s.workCenterId) {
      retimed.push({
        id,
        from: { start: o.start, end: o.end, workCenterId: o.workCenterId },
        to: { start: s.start, end: s.end, workCenterId: s.workCenterId },
        reason: reasons.get(id) ?? 'pushed',
      });
    }
  }
  return { ok: true, retimed };
}
