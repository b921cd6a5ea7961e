/**
 * The screens' view of the offline queue: what is waiting to be sent, what came back refused,
 * and the tallies; reloaded from IndexedDB after every change, so every screen agrees.
 */
import { useSyncExternalStore } from 'react';
import {
  dismissProblem,
  enqueue,
  pending,
  problems,
  tally,
  type NewTx,
  type Problem,
  type Queued,
  type Tally,
} from './outbox';
import type { Replayer } from './replay';

export interface OutboxView {
  pending: Queued[];
  problems: Problem[];
  tally: Tally;
  sending: boolean;
  lastError: string | null;
  lastSentAt: number | null;
}

let view: OutboxView = {
  pending: [],
  problems: [],
  tally: { applied: 0, duplicate: 0 },
  sending: false,
  lastError: null,
  lastSentAt: null,
};
const listeners = new Set<() => void>();
let replayer: Replayer | undefined;

export async function reloadOutbox(): Promise<void> {
  const [p, pr, t] = await Promise.all([pending(), problems(), tally()]);
  view = { ...view, pending: p, problems: pr, tally: t, ...(replayer?.state ?? {}) };
  for (const l of listeners) l();
}

export function bindReplayer(r: Replayer): () => void {
  replayer = r;
  return r.subscribe(() => void reloadOutbox());
}

/** Queues a transaction (durable first), shows it, and tries to send it at once. */
export async function record(tx: NewTx): Promise<Queued> {
  const queued = await enqueue(tx);
  await reloadOutbox();
  void replayer?.kick(true);
  return queued;
}

export async function dismiss(id: string): Promise<void> {
  await dismissProblem(id);
  await reloadOutbox();
}

export function useOutbox(): OutboxView {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => view,
  );
}
