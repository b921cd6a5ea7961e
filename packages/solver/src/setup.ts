/**
 * Sequence-dependent setup times. Kept in one place so the scheduler, validator and
 * bounds agree on the meaning of "from" = -1 (resource not set up for anything: the first
 * categorised operation needs no setup) and "to" = -1 (operation needs no setup).
 */
import type { SetupTimes } from './model.js';

export function setupMinutes(times: SetupTimes, from: number, to: number): number {
  if (to < 0 || from < 0 || from === to) return 0;
  const row = times.matrix?.[from];
  const v = row?.[to];
  return v ?? times.default;
}

/** Setup state of a resource after an operation of category `cat` ran on it. */
export function stateAfter(state: number, cat: number): number {
  return cat >= 0 ? cat : state;
}
