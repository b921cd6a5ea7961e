/**
 * An operation as this tablet believes it is: the server's last answer plus the transactions
 * still queued for it (offline, or not yet sent), so the screen follows what the operator did
 * at once. The server stays the authority: its answer replaces this when the queue drains.
 */
import type { TxType } from './outbox';

export type FloorStatus = 'not_started' | 'running' | 'paused' | 'finished';

export interface OpState {
  status: FloorStatus;
  good: number;
  scrap: number;
}

export interface LocalTx {
  type: TxType;
  operationId?: string;
  good?: number;
  scrap?: number;
}

/** Applies queued transactions in order; one that the server would refuse changes nothing here. */
export function withPending(server: OpState, queued: readonly LocalTx[]): OpState {
  let s = { ...server };
  for (const t of queued) {
    if (s.status === 'finished') break; // nothing after a finish applies
    const counted = { good: s.good + (t.good ?? 0), scrap: s.scrap + (t.scrap ?? 0) };
    if (t.type === 'start' && s.status === 'not_started') s = { ...s, status: 'running' };
    else if (t.type === 'pause' && s.status === 'running') s = { ...s, status: 'paused' };
    else if (t.type === 'resume' && s.status === 'paused') s = { ...s, status: 'running' };
    else if (t.type === 'count' && s.status !== 'not_started') s = { ...s, ...counted };
    else if (t.type === 'finish' && s.status !== 'not_started') s = { ...counted, status: 'finished' };
  }
  return s;
}

export type Action = 'start' | 'join' | 'pause' | 'resume' | 'count' | 'finish';

/**
 * What the operator may do next (the server decides; this only offers the buttons). Someone
 * not on a running operation may join it (two welders on one weldment).
 */
export function actions(status: FloorStatus, iAmOnIt: boolean): Action[] {
  switch (status) {
    case 'not_started':
      return ['start'];
    case 'running':
      return iAmOnIt ? ['pause', 'count', 'finish'] : ['join', 'count', 'finish'];
    case 'paused':
      return ['resume', 'count', 'finish'];
    case 'finished':
      return [];
  }
}
