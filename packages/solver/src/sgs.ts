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

/** Earliest start from precedence and release, per operation; fixed predecessors pre-applied. */
function initReady(c: Compiled): { est: Float64Array; left: Int32Array } {
  const est = Float64Array.from(c.release);
  const left = Int32Array.from(c.npred);
  for (let o = 0; o < c.n; o++) {
    if (!c.isFixed[o]) continue;
    for (let k = c.succStart[o]!; k < c.succStart[o + 1]!; k++) {
      const s = c.succList[k]!;
      left[s]!--;
      if (c.fixedEnd[o]! > est[s]!) est[s] = c.fixedEnd[o]!;
    }
  }
  return { est, left };
}

function release(c: Compiled, o: number, end: number, est: Float64Array, left: Int32Array, onReady: (s: number) => void): void {
  for (let k = c.succStart[o]!; k < c.succStart[o + 1]!; k++) {
    const s = c.succList[k]!;
    if (end > est[s]!) est[s] = end;
    if (--left[s]! === 0 && !c.isFixed[s]) onReady(s);
  }
}

/**
 * Serial SGS: repeatedly place the ready operation with the smallest key, on its forced
 * mode (modes[o] >= 0, a global mode index) or else on the mode that completes it earliest.
 */
export function serialDecode(c: Compiled, keys: ArrayLike<number>, modes?: Int32Array, out?: { seqs: number[][] }): Schedule {
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
    release(c, o, end, est, left, push);
  }
  if (out) out.seqs = tl.sequences();
  return { operations: tl.finish() };
}

/**
 * Priority of operation o when resource r decides at time t (lower is better).
 * p is o's duration on r; pAvg the mean duration of the candidates (for ATC); s the setup
 * o would need next on r and sAvg the mean of that over the candidates (for ATCS).
 */
export type PriorityFn = (o: number, r: number, t: number, arrival: number, p: number, pAvg: number, s: number, sAvg: number) => number;

export type DispatchMode = 'nondelay' | 'active';

/** Min-heap of (key, value) pairs; keys are captured at push time so callers can detect stale entries. */
class PairHeap {
  private k: number[] = [];
  private v: number[] = [];
  topKey = 0;
  get size(): number {
    return this.k.length;
  }
  push(key: number, val: number): void {
    const k = this.k;
    const v = this.v;
    let i = k.length;
    k.push(key);
    v.push(val);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (k[p]! < key || (k[p] === key && v[p]! <= val)) break;
      k[i] = k[p]!;
      v[i] = v[p]!;
      i = p;
    }
    k[i] = key;
    v[i] = val;
  }
  pop(): number {
    const k = this.k;
    const v = this.v;
    const val = v[0]!;
    this.topKey = k[0]!;
    const lk = k.pop()!;
    const lv = v.pop()!;
    if (k.length > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= k.length) break;
        if (c + 1 < k.length && (k[c + 1]! < k[c]! || (k[c + 1] === k[c] && v[c + 1]! < v[c]!))) c++;
        if (k[c]! > lk || (k[c] === lk && v[c]! >= lv)) break;
        k[i] = k[c]!;
        v[i] = v[c]!;
        i = c;
      }
      k[i] = lk;
      v[i] = lv;
    }
    return val;
  }
}

/** Time-driven dispatch simulation; see the file comment. */
export function dispatchDecode(c: Compiled, priority: PriorityFn, mode: DispatchMode = 'nondelay'): Schedule {
  // append-only: the simulation's clock order is the dispatch order on every resource
  const tl = new Timeline(c, false);
  const { est, left } = initReady(c);
  const queues: number[][] = Array.from({ length: c.R }, () => []);
  const queueDur: number[][] = Array.from({ length: c.R }, () => []);
  const done = new Uint8Array(c.n);
  // the authoritative decision time of each resource; heap entries with another key are stale
  const decisionAt = new Float64Array(c.R).fill(Infinity);
  const heap = new PairHeap();
  const setDecision = (r: number, t: number): void => {
    decisionAt[r] = t;
    heap.push(t, r);
  };
  const enqueue = (o: number): void => {
    for (let m = c.modeStart[o]!; m < c.modeStart[o + 1]!; m++) {
      const r = c.modeRes[m]!;
      queues[r]!.push(o);
      queueDur[r]!.push(c.modeDur[m]!);
      const t = Math.max(est[o]!, tl.freeAt[r]!);
      if (t < decisionAt[r]!) setDecision(r, t);
    }
  };
  for (let o = 0; o < c.n; o++) if (left[o] === 0 && !c.isFixed[o]) enqueue(o);

  while (heap.size > 0) {
    const r = heap.pop();
    const key = heap.topKey;
    if (key !== decisionAt[r]) continue;
    const q = queues[r]!;
    const qd = queueDur[r]!;
    // drop operations already placed elsewhere; find the earliest arrival
    let minArr = Infinity;
    for (let i = 0; i < q.length; ) {
      const o = q[i]!;
      if (done[o]) {
        q[i] = q[q.length - 1]!;
        qd[i] = qd[qd.length - 1]!;
        q.pop();
        qd.pop();
        continue;
      }
      if (est[o]! < minArr) minArr = est[o]!;
      i++;
    }
    if (q.length === 0) {
      decisionAt[r] = Infinity;
      continue;
    }
    const t = Math.max(tl.freeAt[r]!, minArr);
    if (t > key) {
      setDecision(r, t);
      continue;
    }
    let sumP = 0;
    let sumS = 0;
    let cnt = 0;
    let horizon = t;
    const state = tl.state[r]!;
    for (let i = 0; i < q.length; i++) {
      if (est[q[i]!]! <= t) {
        sumP += qd[i]!;
        sumS += tl.setup(state, c.cat[q[i]!]!);
        cnt++;
        if (mode === 'active' && (horizon === t || t + qd[i]! < horizon)) horizon = t + qd[i]!;
      }
    }
    const pAvg = cnt > 0 ? sumP / cnt : 1;
    const sAvg = cnt > 0 ? sumS / cnt : 0;
    let best = -1;
    let bestP = Infinity;
    for (let i = 0; i < q.length; i++) {
      const o = q[i]!;
      const a = est[o]!;
      if (a > t && !(a < horizon)) continue;
      const p = priority(o, r, t, a, qd[i]!, pAvg, tl.setup(state, c.cat[o]!), sAvg);
      if (best < 0 || p < bestP || (p === bestP && o < best)) {
        best = o;
        bestP = p;
      }
    }
    const o = best;
    // the operation goes to whichever eligible resource completes it earliest
    const m = tl.bestMode(o, est[o]!);
    const rr = c.modeRes[m]!;
    const end = tl.place(o, rr, c.modeDur[m]!, est[o]!, true);
    done[o] = 1;
    setDecision(rr, tl.freeAt[rr]!);
    if (rr !== r) setDecision(r, t);
    release(c, o, end, est, left, enqueue);
  }
  return { operations: tl.finish() };
}
