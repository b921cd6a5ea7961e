import { MINUTE } from '../model.js';
import { predecessorsOf, type AnalysisView } from '../view.js';

export interface QueueTime {
  /** slots starting in the window whose predecessors are scheduled, i.e. whose wait is known */
  measured: number;
  averageMinutes: number | null;
  maxMinutes: number | null;
}

/**
 * Queue time before each work center: for every slot starting in [from, to) that depends on
 * scheduled steps, the clock time between the last of those steps ending (the parts arrive) and
 * the slot starting. Clock time, not working time: it is how long parts sit on the floor.
 * First steps (nothing to wait for) and slots starting before their predecessors end (a
 * precedence conflict, not a queue) are left out.
 */
export function queueTimes(view: AnalysisView, from: number, to: number): Map<string, QueueTime> {
  const waits = new Map<string, number[]>();
  for (const s of view.snapshot.slots) {
    if (s.start < from || s.start >= to) continue;
    const preds = predecessorsOf(view, s);
    if (preds.length === 0) continue;
    const arrival = Math.max(...preds.map((p) => p.end));
    if (s.start < arrival) continue;
    const list = waits.get(s.workCenterId) ?? [];
    list.push((s.start - arrival) / MINUTE);
    waits.set(s.workCenterId, list);
  }
  const out = new Map<string, QueueTime>();
  for (const id of view.snapshot.centers.keys()) {
    const list = waits.get(id) ?? [];
    out.set(id, {
      measured: list.length,
      averageMinutes: list.length ? Math.round(list.reduce((a, b) => a + b, 0) / list.length) : null,
      maxMinutes: list.length ? Math.round(Math.max(...list)) : null,
    });
  }
  return out;
}
