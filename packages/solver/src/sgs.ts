/**
 * Schedule generation schemes over a Compiled problem.
 *
 * - serialDecode: serial SGS driven by static priority keys (lower first). At each step the
 *   ready operation with the best key is placed on the mode that completes it earliest.
 *   Any key vector gives a feasible schedule, which makes it the decoder for search.
 * - dispatchDecode: a time-driven simulation (Giffler-Thompson style). The resource with the
 *   earliest decision time picks among the operations waiting in its queue, by a priority
 *   that may depend on the current time (CR, ATC). 'nondelay' considers only operations
 *   already waiting; 'active' also those arriving before the shortest waiting one could end.
 *
 * Fixed operations are placed first (Timeline) and count as done for their successors.
 */
import type { Compiled } from './compiled.js';
import { initReady, releaseSuccessors } from './sgs-common.js';
import { Timeline } from './timeline.js';
import type { Schedule } from './model.js';

/** Min-heap of integers ordered by an external key array (ties by integer value). */
class KeyHeap {
  private a: number[] = [];
  constructor(private readonly key: ArrayLike<number>) {}
  get size(): number {
    return this.a.length;
  }
  private less(x: number, y: number): boolean {
    const kx = this.key[x]!;
    const ky = this.key[y]!;
    return kx < ky || (kx === ky && x < y);
  }
  push(v: number): void {
    const a = this.a;
    let i = a.length;
    a.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(v, a[p]!)) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= a.length) break;
        if (c + 1 < a.length && this.less(a[c + 1]!, a[c]!)) c++;
        if (!this.less(a[c]!, last)) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/**
 * Serial SGS: repeatedly place the ready operation with the smallest key, on its forced
 * mode (modes[o] >= 0, a global mode index) or else on the mode that completes it earliest.
 */
export function serialDecode(
  c: Compiled,
  keys: ArrayLike<number>,
  modes?: Int32Array,
  out?: { seqs: number[][] },
): Schedule {
  const tl = new Timeline(c);
  const { est, left } = initReady(c);
  const heap = new KeyHeap(keys);
  for (let o = 0; o < c.n; o++) if (left[o] === 0 && !c.isFixed[o]) heap.push(o);
  const push = (s: number): void => heap.push(s);
  while (heap.size > 0) {
    const o = heap.pop();
    const forced = modes ? modes[o]! : -1;
    const m = forced >= 0 ? forced : tl.bestMode(o, est[o]!);
    const end = tl.place(o, c.modeRes[m]!, c.modeDur[m]!, est[o]!, true);
    releaseSuccessors(c, o, end, est, left, push);
  }
  if (out) out.seqs = tl.sequences();
  return { operations: tl.finish() };
}

export type { DispatchMode, PriorityFn } from './sgs-common.js';
export { dispatchDecode } from './dispatch-sim.js';
