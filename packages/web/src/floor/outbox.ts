/**
 * The floor's offline queue in IndexedDB. A transaction is written here first (with its UUID
 * and the device's next sequence number, in one IndexedDB transaction) and only then shown as
 * done; the replay loop (replay.ts) sends it and removes it when the server has answered for
 * it. Answers the operator must see (rejected, conflict) are kept until they are dismissed.
 * The same database caches what the screens last read, so they open without a network.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export type TxType = 'start' | 'pause' | 'resume' | 'finish' | 'count' | 'clock_in' | 'clock_out';

/** A transaction as the API contract has it (POST /api/v1/floor/transactions). */
export interface FloorTx {
  id: string;
  deviceId: string;
  seq: number;
  at: string;
  type: TxType;
  operationId?: string;
  employee: string;
  good?: number;
  scrap?: number;
  reason?: string;
  override?: boolean;
}

/** What the operator saw when the transaction was made, to explain an answer later. */
export interface Queued extends FloorTx {
  label: string;
  employeeName: string;
}

export interface Problem extends Queued {
  status: 'rejected' | 'conflict';
  message: string;
  field?: string;
  answeredAt: string;
}

/** An issue report waiting to be sent (POST /api/v1/floor/issues with the station's token). */
export interface QueuedIssue {
  clientId: string;
  kind: 'quality' | 'downtime' | 'material';
  reason: string;
  workCenterId: string;
  operationId?: string;
  note?: string;
  employee: string;
  at: string;
  photos: Array<{ contentType: 'image/jpeg'; data: string }>;
}

interface Schema extends DBSchema {
  outbox: { key: number; value: Queued };
  issues: { key: string; value: QueuedIssue };
  problems: { key: string; value: Problem };
  meta: { key: string; value: unknown };
  cache: { key: string; value: unknown };
}

const NAME = 'kerf-floor';
let opened: Promise<IDBPDatabase<Schema>> | undefined;

export function floorDb(): Promise<IDBPDatabase<Schema>> {
  opened ??= openDB<Schema>(NAME, 1, {
    upgrade(db) {
      db.createObjectStore('outbox', { keyPath: 'seq' });
      db.createObjectStore('issues', { keyPath: 'clientId' });
      db.createObjectStore('problems', { keyPath: 'id' });
      db.createObjectStore('meta');
      db.createObjectStore('cache');
    },
  });
  return opened;
}

/** This tablet's id (made once, kept with the queue so a reload keeps its sequence). */
export async function deviceId(): Promise<string> {
  const db = await floorDb();
  const tx = db.transaction('meta', 'readwrite');
  let id = (await tx.store.get('deviceId')) as string | undefined;
  if (!id) {
    id = `tablet-${crypto.randomUUID()}`;
    await tx.store.put(id, 'deviceId');
  }
  await tx.done;
  return id;
}

export type NewTx = Omit<Queued, 'id' | 'deviceId' | 'seq' | 'at'>;

/** Queues a transaction durably; resolves once IndexedDB has committed it. */
export async function enqueue(input: NewTx): Promise<Queued> {
  const device = await deviceId();
  const db = await floorDb();
  const tx = db.transaction(['meta', 'outbox'], 'readwrite');
  const meta = tx.objectStore('meta');
  const seq = ((await meta.get('nextSeq')) as number | undefined) ?? 1;
  const queued: Queued = { ...input, id: crypto.randomUUID(), deviceId: device, seq, at: new Date().toISOString() };
  await meta.put(seq + 1, 'nextSeq');
  await tx.objectStore('outbox').add(queued);
  await tx.done;
  return queued;
}

/** The oldest `limit` queued transactions, in sequence order. */
export async function pending(limit = Infinity): Promise<Queued[]> {
  const db = await floorDb();
  const out: Queued[] = [];
  let cursor = await db.transaction('outbox').store.openCursor();
  while (cursor && out.length < limit) {
    out.push(cursor.value);
    cursor = await cursor.continue();
  }
  return out;
}

export async function pendingCount(): Promise<number> {
  return (await floorDb()).count('outbox');
}

export interface Tally {
  applied: number;
  duplicate: number;
}

/**
 * Records the server's answers for sent transactions in one IndexedDB transaction: each leaves
 * the queue; rejected and conflict answers become problems; applied and duplicate are counted.
 */
export async function settle(
  sent: readonly Queued[],
  results: ReadonlyArray<{ id: string; status: string; message: string; field?: string }>,
): Promise<Problem[]> {
  const db = await floorDb();
  const tx = db.transaction(['outbox', 'problems', 'meta'], 'readwrite');
  const tally = ((await tx.objectStore('meta').get('tally')) as Tally | undefined) ?? { applied: 0, duplicate: 0 };
  const byId = new Map(results.map((r) => [r.id, r]));
  const problems: Problem[] = [];
  for (const q of sent) {
    const r = byId.get(q.id);
    if (!r) continue; // not answered: stays queued and goes again
    await tx.objectStore('outbox').delete(q.seq);
    if (r.status === 'applied') tally.applied++;
    else if (r.status === 'duplicate') tally.duplicate++;
    else {
      const p: Problem = {
        ...q,
        status: r.status === 'conflict' ? 'conflict' : 'rejected',
        message: r.message,
        ...(r.field ? { field: r.field } : {}),
        answeredAt: new Date().toISOString(),
      };
      problems.push(p);
      await tx.objectStore('problems').put(p);
    }
  }
  await tx.objectStore('meta').put(tally, 'tally');
  await tx.done;
  return problems;
}

export async function tally(): Promise<Tally> {
  return ((await floorDb()).get('meta', 'tally') as Promise<Tally | undefined>).then(
    (t) => t ?? { applied: 0, duplicate: 0 },
  );
}

export async function problems(): Promise<Problem[]> {
  const all = await (await floorDb()).getAll('problems');
  return all.sort((a, b) => a.seq - b.seq);
}

export async function dismissProblem(id: string): Promise<void> {
  await (await floorDb()).delete('problems', id);
}

/** What a screen last read, for opening it offline. */
export async function cached<T>(key: string): Promise<T | undefined> {
  return (await (await floorDb()).get('cache', key)) as T | undefined;
}

export async function cache(key: string, value: unknown): Promise<void> {
  await (await floorDb()).put('cache', value, key);
}

export async function queueIssue(issue: QueuedIssue): Promise<void> {
  await (await floorDb()).put('issues', issue);
}

export async function queuedIssues(): Promise<QueuedIssue[]> {
  return (await floorDb()).getAll('issues');
}

export async function issueSent(clientId: string): Promise<void> {
  await (await floorDb()).delete('issues', clientId);
}
