/**
 * What a floor transaction may do to an operation, decided from the operation's state alone
 * (pure, so every rule has a unit test). Quantities are deltas added to what was reported; the
 * total of good and scrap may pass the operation quantity only with an overrun reason; a
 * finished operation takes nothing more (finishing twice is a conflict, not a second finish).
 */

export type OperationTxType = 'start' | 'pause' | 'resume' | 'finish' | 'count';
export type OperationStatus = 'not_started' | 'running' | 'paused' | 'finished';

export interface OperationState {
  status: OperationStatus;
  /** when the floor first started it (null before) */
  startedAt: Date | null;
  good: number;
  scrap: number;
  quantity: number;
  /** employees working on it now */
  active: ReadonlySet<string>;
  /** its slot was cancelled (the planner took the work off the floor) */
  cancelled: boolean;
}

export interface OperationTx {
  type: OperationTxType;
  employeeId: string;
  good: number;
  scrap: number;
  /** the reason code given, and its kind (undefined: none given; null kind: unknown code) */
  reason?: { code: string; kind: string | null };
}

export type Verdict =
  | { status: 'applied'; message: string; effect: Effect }
  | { status: 'rejected' | 'conflict'; message: string; field?: string };

/** What to write when applied. */
export interface Effect {
  next: OperationStatus;
  /** start this employee's labor; end it; end everyone's */
  labor: 'start' | 'end' | 'end_all' | 'none';
  good: number;
  scrap: number;
  pauseReason?: string;
  overrunReason?: string;
}

const rejected = (message: string, field: string): Verdict => ({ status: 'rejected', message, field });
const conflict = (message: string): Verdict => ({ status: 'conflict', message });

function quantities(s: OperationState, t: OperationTx): Verdict | { overrun?: string } {
  for (const field of ['good', 'scrap'] as const) {
    if (!Number.isInteger(t[field]) || t[field] < 0)
      return rejected(`${field} must be a whole number, 0 or more`, field);
  }
  if (t.reason && t.reason.kind === null)
    return rejected(`reason ${t.reason.code} is not a known reason code`, 'reason');
  const total = s.good + s.scrap + t.good + t.scrap;
  // Only what this transaction adds is checked: a finish after an accepted overrun adds nothing.
  if (t.good + t.scrap > 0 && total > s.quantity) {
    if (t.reason?.kind !== 'overrun') {
      return rejected(
        `good ${s.good + t.good} + scrap ${s.scrap + t.scrap} would pass the operation quantity ${s.quantity}; give an overrun reason if the extra parts are real`,
        'good',
      );
    }
    return { overrun: t.reason.code };
  }
  if (t.scrap > 0 && t.reason?.kind !== 'scrap' && t.reason?.kind !== 'overrun') {
    return rejected('scrap needs a scrap reason code', 'reason');
  }
  return {};
}

export function decide(s: OperationState, t: OperationTx): Verdict {
  if (s.status === 'finished') {
    return conflict(
      t.type === 'finish'
        ? 'this operation is already finished'
        : `this operation is already finished; ${t.type} is not possible`,
    );
  }
  if (s.cancelled && (t.type === 'start' || t.type === 'resume')) {
    return conflict('this operation was cancelled in the schedule; ask your supervisor');
  }
  const working = s.active.has(t.employeeId);
  switch (t.type) {
    case 'start':
    case 'resume': {
      if (working) return conflict('you are already working on this operation');
      const verb = s.status === 'not_started' ? 'started' : s.status === 'paused' ? 'resumed' : 'joined';
      return { status: 'applied', message: verb, effect: { next: 'running', labor: 'start', good: 0, scrap: 0 } };
    }
    case 'pause': {
      if (!t.reason) return rejected('pausing needs a reason', 'reason');
      if (t.reason.kind !== 'pause') return rejected(`reason ${t.reason.code} is not a pause reason`, 'reason');
      if (!working) return conflict('you are not working on this operation');
      const othersLeft = s.active.size > 1;
      return {
        status: 'applied',
        message: othersLeft ? 'you left it; others are still on it' : 'paused',
        effect: {
          next: othersLeft ? 'running' : 'paused',
          labor: 'end',
          good: 0,
          scrap: 0,
          ...(othersLeft ? {} : { pauseReason: t.reason.code }),
        },
      };
    }
    case 'count':
    case 'finish': {
      if (t.type === 'count' && t.good === 0 && t.scrap === 0) return rejected('count at least one part', 'good');
      if (t.type === 'count' && s.status === 'not_started')
        return conflict('start the operation before counting parts');
      const q = quantities(s, t);
      if ('status' in q) return q;
      const effect: Effect =
        t.type === 'count'
          ? { next: s.status, labor: 'none', good: t.good, scrap: t.scrap }
          : { next: 'finished', labor: 'end_all', good: t.good, scrap: t.scrap };
      if (q.overrun) effect.overrunReason = q.overrun;
      return { status: 'applied', message: t.type === 'finish' ? 'finished' : 'counted', effect };
    }
  }
}
