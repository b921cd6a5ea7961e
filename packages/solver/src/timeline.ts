/**
 * Resource timelines during one decode: per resource, the operations placed so far in
 * start order. A new operation goes into the earliest gap where it fits with its own setup
 * and with the setup of the operation after it recomputed (its category changes the
 * resource's state), or after the last operation. Operations already placed never move,
 * so inserting keeps every earlier decision valid; fixed operations are simply placed
 * first. Filling gaps (instead of appending) lets list-driven decoding produce active-like
 * schedules, which matters for search quality.
 */
import type { Compiled } from './compiled.js';
import type { ScheduledOperation } from './model.js';

export class Timeline {
  /**
   * end of the last non-fixed operation per resource: where appending starts, and when the
   * dispatch simulation considers the resource free (gaps before fixed work stay usable)
   */
  readonly freeAt: Float64Array;
  /** setup state after the last operation per resource */
  readonly state: Int32Array;
  private readonly seqs: number[][];
  private readonly sS: Float64Array;
  private readonly sT: Float64Array;
  private readonly sE: Float64Array;
  private readonly res: Int32Array;
  private readonly stAfter: Int32Array;
  /** category as placed: a zero-duration placement is instantaneous and takes no part in setups */
  private readonly effCat: Int32Array;
  private readonly initial: Int32Array;
  // result of the last place()
  setupStart = 0;
  start = 0;
  end = 0;
  private gap = 0;

  /** insertion: fill gaps (serial decoding); otherwise append after the last operation */
  constructor(
    readonly c: Compiled,
    private readonly insertion = true,
  ) {
    const n = c.n;
    this.freeAt = new Float64Array(c.R);
    this.initial = Int32Array.from(c.problem.resources, (r) => r.initialSetup);
    this.state = this.initial.slice();
    this.seqs = Array.from({ length: c.R }, () => []);
    this.sS = new Float64Array(n);
    this.sT = new Float64Array(n);
    this.sE = new Float64Array(n);
    this.res = new Int32Array(n).fill(-1);
    this.stAfter = new Int32Array(n);
    this.effCat = new Int32Array(n).fill(-1);
    for (let r = 0; r < c.R; r++) {
      let st = this.initial[r]!;
      for (const f of c.fixedByRes[r]!) {
        const cat = c.fixedEnd[f]! > c.fixedStart[f]! ? c.cat[f]! : -1;
        this.effCat[f] = cat;
        this.sT[f] = c.fixedStart[f]!;
        this.sE[f] = c.fixedEnd[f]!;
        this.sS[f] = c.fixedStart[f]! - this.setup(st, cat);
        this.res[f] = r;
        st = cat >= 0 ? cat : st;
        this.stAfter[f] = st;
        this.seqs[r]!.push(f);
      }
      this.state[r] = st;
    }
  }

  setup(from: number, to: number): number {
    return this.c.setupFlat[(from + 1) * (this.c.C + 1) + to + 1]!;
  }

  /** first index in seq whose operation ends after t */
  private firstEndAfter(seq: number[], t: number): number {
    let lo = 0;
    let hi = seq.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sE[seq[mid]!]! > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Earliest placement of o on r (duration d, setup start not before est); sets
   * setupStart/start/end (Infinity when the calendar runs out). With commit, inserts it.
   */
  place(o: number, r: number, d: number, est: number, commit: boolean): number {
    const c = this.c;
    const cal = c.cals[r]!;
    const seq = this.seqs[r]!;
    const k = seq.length;
    const cat = d > 0 ? c.cat[o]! : -1;
    const { sS, sT, sE, effCat } = this;
    let i = this.firstEndAfter(seq, this.insertion ? est : Math.max(est, this.freeAt[r]!));
    for (; i <= k; i++) {
      const P = i > 0 ? seq[i - 1]! : -1;
      const prevEnd = P >= 0 ? sE[P]! : 0;
      const st = P >= 0 ? this.stAfter[P]! : this.initial[r]!;
      const t = est > prevEnd ? est : prevEnd;
      const s = this.setup(st, cat);
      // cheap rejection before any calendar arithmetic: work takes at least its wall minutes
      if (i < k && sT[seq[i]!]! - t < s + d) continue;
      const x = cal.setupStart(t, s, d);
      const start = x + s;
      const end = cal.endAfter(start, d);
      this.setupStart = x;
      this.start = start;
      this.end = end;
      if (i === k || !Number.isFinite(end)) {
        i = k;
        break;
      }
      const N = seq[i]!;
      if (end > sT[N]!) continue;
      if (cat < 0) {
        if (end <= sS[N]!) break;
        continue;
      }
      // the next categorised operation sees state `cat` instead of `st`
      let j = i;
      while (j < k && effCat[seq[j]!]! < 0) j++;
      if (j > i && end > sS[N]!) continue;
      if (j === k) break;
      const M = seq[j]!;
      const s2 = this.setup(cat, effCat[M]!);
      const ns = sT[M]! - s2;
      const before = j > i ? sE[seq[j - 1]!]! : end;
      if (ns >= before && (s2 === 0 || (ns >= c.release[M]! && cal.spanInside(ns, sT[M]!)))) break;
    }
    this.gap = i;
    if (commit) this.insert(o, r, cat);
    return this.end;
  }

  private insert(o: number, r: number, cat: number): void {
    const seq = this.seqs[r]!;
    const i = this.gap;
    const P = i > 0 ? seq[i - 1]! : -1;
    const st = P >= 0 ? this.stAfter[P]! : this.initial[r]!;
    this.sS[o] = this.setupStart;
    this.sT[o] = this.start;
    this.sE[o] = this.end;
    this.res[o] = r;
    this.effCat[o] = cat;
    const after = cat >= 0 ? cat : st;
    this.stAfter[o] = after;
    seq.splice(i, 0, o);
    if (cat >= 0) {
      let j = i + 1;
      while (j < seq.length && this.effCat[seq[j]!]! < 0) this.stAfter[seq[j++]!] = after;
      if (j < seq.length) {
        const M = seq[j]!;
        this.sS[M] = this.sT[M]! - this.setup(after, this.effCat[M]!);
      }
    }
    if (this.end > this.freeAt[r]!) this.freeAt[r] = this.end;
    this.state[r] = this.stAfter[seq[seq.length - 1]!]!;
  }

  /** Best mode of o (earliest end, then fewest setup minutes); returns its mode index. */
  bestMode(o: number, est: number): number {
    const c = this.c;
    let best = -1;
    let bestEnd = Infinity;
    let bestSetup = Infinity;
    for (let m = c.modeStart[o]!; m < c.modeStart[o + 1]!; m++) {
      const end = this.place(o, c.modeRes[m]!, c.modeDur[m]!, est, false);
      const su = this.start - this.setupStart;
      if (best < 0 || end < bestEnd || (end === bestEnd && su < bestSetup)) {
        best = m;
        bestEnd = end;
        bestSetup = su;
      }
    }
    return best;
  }

  /** Per-resource sequences (start order) including fixed operations. */
  sequences(): number[][] {
    return this.seqs;
  }

  finish(): ScheduledOperation[] {
    const out = new Array<ScheduledOperation>(this.c.n);
    for (let o = 0; o < this.c.n; o++) {
      out[o] = { operation: o, resource: this.res[o]!, setupStart: this.sS[o]!, start: this.sT[o]!, end: this.sE[o]! };
    }
    return out;
  }
}
