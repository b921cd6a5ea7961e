import { and, eq, ne } from 'drizzle-orm';
import { customerCodeById, materialById } from '../jobs/queries.js';
import type { Db } from '../platform/db.js';
import type { JobHeaderPayload, OutboxMessage, PartPayload, SheetPayload } from './outbox-payloads.js';
import { nestingOutbox } from './tables.js';
import { sheetName } from './transact-rows.js';

/** Writes one outbox row; call it inside the transaction of the Kerf change it carries. */
export async function enqueueNesting(tx: Db, message: OutboxMessage, jobId: string | null = null): Promise<void> {
  await tx.insert(nestingOutbox).values({ kind: message.kind, jobId, payload: message });
}

/** The job as jobs/job-service.ts reads it (getJob), reduced to what SigmaNEST needs. */
export interface JobSnapshot {
  id: string;
  jobNumber: string;
  product: string;
  dueDate: Date;
  priority: number;
  status: string;
  customerId: string | null;
  parts: {
    id: string;
    partNumber: string;
    revision: string;
    quantity: number;
    materialCode: string;
    thickness: number;
    dxfPath: string | null;
  }[];
}

const ACTIVE = new Set(['released', 'in_progress']);

async function headerOf(tx: Db, job: JobSnapshot): Promise<JobHeaderPayload> {
  const customer = job.customerId ? await customerCodeById(tx, job.customerId) : null;
  return {
    jobId: job.id,
    jobNumber: job.jobNumber,
    product: job.product,
    dueDate: job.dueDate.toISOString(),
    priority: job.priority,
    customer,
  };
}

const partPayload = (p: JobSnapshot['parts'][number]): PartPayload => ({
  partId: p.id,
  partNumber: p.partNumber,
  revision: p.revision,
  quantity: p.quantity,
  materialCode: p.materialCode,
  thickness: Number(p.thickness),
  dxfPath: p.dxfPath,
});

/**
 * Queues what SigmaNEST must learn from a job change (release, parts/quantities, header,
 * hold, cancel). Jobs never released to nesting send nothing. Runs in the caller's transaction.
 */
export async function enqueueJobChange(tx: Db, before: JobSnapshot | null, after: JobSnapshot): Promise<void> {
  const released = await tx
    .select({ id: nestingOutbox.id })
    .from(nestingOutbox)
    .where(
      and(
        eq(nestingOutbox.jobId, after.id),
        eq(nestingOutbox.kind, 'job.release'),
        ne(nestingOutbox.status, 'discarded'),
      ),
    )
    .limit(1);
  if (released.length === 0) {
    if (after.status === 'released') {
      await enqueueNesting(
        tx,
        { kind: 'job.release', job: await headerOf(tx, after), parts: after.parts.map(partPayload) },
        after.id,
      );
    }
    return;
  }
  if (!before) return;
  const job = await headerOf(tx, after);
  if (after.status === 'cancelled') {
    if (before.status !== 'cancelled') await enqueueNesting(tx, { kind: 'job.cancel', job }, after.id);
    return;
  }
  const key = (p: { partNumber: string; revision: string }) => `${p.partNumber}@${p.revision}`;
  const old = new Map(before.parts.map((p) => [key(p), p]));
  const now = new Map(after.parts.map((p) => [key(p), p]));
  const added = after.parts.filter((p) => !old.has(key(p))).map(partPayload);
  const changed = after.parts
    .filter((p) => old.has(key(p)) && old.get(key(p))!.quantity !== p.quantity)
    .map((p) => ({ partNumber: p.partNumber, quantity: p.quantity }));
  const removed = before.parts.filter((p) => !now.has(key(p))).map((p) => ({ partNumber: p.partNumber }));
  if (added.length + changed.length + removed.length > 0) {
    await enqueueNesting(tx, { kind: 'job.change', job, added, changed, removed }, after.id);
  }
  const holdChanged = (before.status === 'on_hold') !== (after.status === 'on_hold');
  if (holdChanged && (after.status === 'on_hold' || ACTIVE.has(after.status))) {
    await enqueueNesting(tx, { kind: 'job.hold', job, onHold: after.status === 'on_hold' }, after.id);
  } else if (
    before.dueDate.getTime() !== after.dueDate.getTime() ||
    before.priority !== after.priority ||
    before.customerId !== after.customerId
  ) {
    await enqueueNesting(tx, { kind: 'job.header', job, onHold: after.status === 'on_hold' }, after.id);
  }
}

type Row = Record<string, unknown>;

function sheetOf(row: Row, materialId: string): SheetPayload {
  const location = (row.location as string | null | undefined) ?? null;
  const s = {
    material: String(row.code),
    thickness: Number(row.thickness),
    width: Number(row.sheetWidth),
    length: Number(row.sheetLength),
    location,
  };
  return {
    materialId,
    sheetName: sheetName(s),
    ...s,
    quantity: Number(row.quantity ?? 0),
    remnant: location?.toUpperCase() === 'REMNANT',
    fileName: null,
  };
}

/** Materials-service hook: a created or changed sheet row goes to SigmaNEST stock (SN91A / SN97). */
export async function enqueueStockChange(tx: Db, input: Row, existing: Row | undefined): Promise<void> {
  const id = String(existing?.id ?? input.id ?? '');
  if (existing) {
    const old = sheetOf(existing, id);
    const now = sheetOf(input, id);
    // A renamed sheet (code, size, place) is a different SigmaNEST stock item: drop the old one.
    if (old.sheetName !== now.sheetName) await enqueueNesting(tx, { kind: 'stock.remove', sheet: old });
  }
  await enqueueNesting(tx, { kind: 'stock.upsert', sheet: sheetOf(input, id) });
}

/** Removes a sheet from SigmaNEST stock (SN92), e.g. before its Kerf row is deleted. */
export async function enqueueStockRemoval(tx: Db, materialId: string): Promise<boolean> {
  const row = await materialById(tx, materialId);
  if (!row) return false;
  await enqueueNesting(tx, { kind: 'stock.remove', sheet: sheetOf(row, materialId) });
  return true;
}
