/**
 * Time-driven dispatch simulation (Giffler-Thompson style), used by the dispatch rules and
 * the priority learning: the resource with the earliest decision time picks among the
 * operations waiting in its queue, by a priority that may depend on the current time (CR,
 * ATC, ATCS). 'nondelay' considers only operations already waiting; 'active' also those
 * arriving before the shortest waiting one could end. Each waiting operation sits in the
 * queue of every eligible resource and is removed from all of them in O(1) when placed.
 */
import type { Compiled } from './compiled.js';
import type { Schedule } from './model.js';
import { initReady, releaseSuccessors } from './sgs-common.js';
import type { DispatchMode, PriorityFn } from './sgs-common.js';
import { Timeline } from './timeline.js';

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
  const queueMode: number[][] = Array.from({ length: c.R }, () => []);
  /** position of each (operation, mode) in its resource's queue */
  const qpos = new Int32Array(c.modeRes.length);
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
      qpos[m] = queues[r]!.length;
      queues[r]!.push(o);
      queueDur[r]!.push(c.modeDur[m]!);
      queueMode[r]!.push(m);
      const t = Math.max(est[o]!, tl.freeAt[r]!);
      if (t < decisionAt[r]!) setDecision(r, t);
    }
  };
  const dequeue = (o: number): void => {
    for (let m = c.modeStart[o]!; m < c.modeStart[o + 1]!; m++) {
      const r = c.modeRes[m]!;
      const q = queues[r]!;
      const qd = queueDur[r]!;
      const qm = queueMode[r]!;
      const i = qpos[m]!;
      const last = q.length - 1;
      q[i] = q[last]!;
      qd[i] = qd[last]!;
      qm[i] = qm[last]!;
      qpos[qm[i]!] = i;
      q.pop();
      qd.pop();
      qm.pop();
    }
  };
  for (let o = 0; o < c.n; o++) if (left[o] === 0 && !c.isFixed[o]) enqueue(o);

  while (heap.size > 0) {
    const r = heap.pop();
    const key = heap.topKey;
    if (key !== decisionAt[r]) continue;
    const q = queues[r]!;
    const qd = queueDur[r]!;
    if (q.length === 0) {
      decisionAt[r] = Infinity;
      continue;
    }
    const free = tl.freeAt[r]!;
    const state = tl.state[r]!;
    // one pass: earliest arrival, and the candidate statistics assuming the resource decides
    // when it is free (true whenever work is already waiting)
    let minArr = Infinity;
    let sumP = 0;
    let sumS = 0;
    let cnt = 0;
    let minD = Infinity;
    for (let i = 0; i < q.length; i++) {
      const a = est[q[i]!]!;
      if (a < minArr) minArr = a;
      if (a <= free) {
        const d = qd[i]!;
        sumP += d;
        sumS += tl.setup(state, c.cat[q[i]!]!);
        cnt++;
        if (d < minD) minD = d;
      }
    }
    const t = free > minArr ? free : minArr;
    if (t > key) {
      setDecision(r, t);
      continue;
    }
    if (cnt === 0) {
      // idle until the first arrival: the candidates are the operations arriving then
      for (let i = 0; i < q.length; i++) {
        if (est[q[i]!]! <= t) {
          const d = qd[i]!;
          sumP += d;
          sumS += tl.setup(state, c.cat[q[i]!]!);
          cnt++;
          if (d < minD) minD = d;
        }
      }
    }
    const horizon = mode === 'active' ? t + minD : t;
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
    dequeue(o);
    setDecision(rr, tl.freeAt[rr]!);
    if (rr !== r) setDecision(r, t);
    releaseSuccessors(c, o, end, est, left, enqueue);
  }
  return { operations: tl.finish() };
}
