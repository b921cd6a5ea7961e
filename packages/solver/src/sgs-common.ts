/** Pieces shared by the serial SGS and the dispatch simulation. */
import type { Compiled } from './compiled.js';

/** Earliest start from precedence and release, per operation; fixed predecessors pre-applied. */
export function initReady(c: Compiled): { est: Float64Array; left: Int32Array } {
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

export function releaseSuccessors(
  c: Compiled,
  o: number,
  end: number,
  est: Float64Array,
  left: Int32Array,
  onReady: (s: number) => void,
): void {
  for (let k = c.succStart[o]!; k < c.succStart[o + 1]!; k++) {
    const s = c.succList[k]!;
    if (end > est[s]!) est[s] = end;
    if (--left[s]! === 0 && !c.isFixed[s]) onReady(s);
  }
}

/**
 * Priority of operation o when resource r decides at time t (lower is better).
 * p is o's duration on r; pAvg the mean duration of the candidates (for ATC); s the setup
 * o would need next on r and sAvg the mean of that over the candidates (for ATCS).
 */
export type PriorityFn = (
  o: number,
  r: number,
  t: number,
  arrival: number,
  p: number,
  pAvg: number,
  s: number,
  sAvg: number,
) => number;

export type DispatchMode = 'nondelay' | 'active';
