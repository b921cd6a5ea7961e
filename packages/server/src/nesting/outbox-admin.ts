import { sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../auth/audit.js';
import type { Db } from '../platform/db.js';
import { AppError, notFound } from '../platform/errors.js';
import { enqueueNesting, enqueueStockRemoval } from './outbox.js';
import { iso, rowsOf } from './sql-rows.js';
import { sheetName } from './transact-rows.js';

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed', 'dead', 'discarded'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface OutboxView {
  id: number;
  kind: string;
  transId: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  jobId: string | null;
  jobNumber: string | null;
  createdAt: string;
  sentAt: string | null;
  errors: { transId: string; transType: string; reason: string; at: string }[];
}

interface Row {
  id: number;
  kind: string;
  trans_id: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: unknown;
  last_error: string | null;
  job_id: string | null;
  job_number: string | null;
  created_at: unknown;
  sent_at: unknown;
  total: number;
}

async function views(db: Db, rows: Row[]): Promise<OutboxView[]> {
  const ids = rows.map((r) => r.id);
  const errors = ids.length
    ? await rowsOf<{ outbox_id: number; trans_id: string; trans_type: string; reason: string; at: unknown }>(
        db,
        sql`SELECT outbox_id::int AS outbox_id, trans_id, trans_type, reason, at FROM nesting_errors
            WHERE outbox_id IN (${sql.join(
              ids.map((i) => sql`${i}`),
              sql`, `,
            )}) ORDER BY id`,
      )
    : [];
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    transId: r.trans_id,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: iso(r.next_attempt_at)!,
    lastError: r.last_error,
    jobId: r.job_id,
    jobNumber: r.job_number,
    createdAt: iso(r.created_at)!,
    sentAt: iso(r.sent_at),
    errors: errors
      .filter((e) => e.outbox_id === r.id)
      .map((e) => ({ transId: e.trans_id, transType: e.trans_type, reason: e.reason, at: iso(e.at)! })),
  }));
}

const select = sql`SELECT o.id::int AS id, o.kind, o.trans_id, o.status, o.attempts, o.next_attempt_at, o.last_error, o.job_id,
  j.job_number, o.created_at, o.sent_at, count(*) OVER ()::int AS total
  FROM nesting_outbox o LEFT JOIN jobs j ON j.id = o.job_id`;

export async function listOutbox(
  db: Db,
  q: { status?: OutboxStatus | undefined; limit?: number | undefined; offset?: number | undefined },
): Promise<{ items: OutboxView[]; total: number; limit: number; offset: number }> {
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const rows = await rowsOf<Row>(
    db,
    sql`${select} ${q.status ? sql`WHERE o.status = ${q.status}` : sql``} ORDER BY o.id DESC LIMIT ${limit} OFFSET ${offset}`,
  );
  const total =
    rows[0]?.total ??
    Number(
      (
        await rowsOf<{ n: number }>(
          db,
          sql`SELECT count(*)::int AS n FROM nesting_outbox ${q.status ? sql`WHERE status = ${q.status}` : sql``}`,
        )
      )[0]?.n ?? 0,
    );
  return { items: await views(db, rows), total, limit, offset };
}

export async function getOutboxEntry(db: Db, id: number): Promise<OutboxView> {
  const row = (await rowsOf<Row>(db, sql`${select} WHERE o.id = ${id}`))[0];
  if (!row) throw notFound('outbox entry', String(id));
  return (await views(db, [row]))[0]!;
}

async function transition(
  db: Db,
  actor: Actor,
  id: number,
  from: readonly OutboxStatus[],
  to: 'pending' | 'discarded',
  code: string,
): Promise<OutboxView> {
  return db.transaction(async (tx) => {
    const before = await getOutboxEntry(tx, id);
    if (!from.includes(before.status)) {
      throw new AppError(
        'conflict',
        code,
        `outbox entry ${id} is ${before.status}; only ${from.join(' or ')} entries can be ${to === 'pending' ? 'retried' : 'discarded'}`,
      );
    }
    await tx.execute(
      to === 'pending'
        ? sql`UPDATE nesting_outbox SET status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now() WHERE id = ${id}`
        : sql`UPDATE nesting_outbox SET status = 'discarded', updated_at = now() WHERE id = ${id}`,
    );
    const after = await getOutboxEntry(tx, id);
    await recordAudit(tx, actor, to === 'pending' ? 'update' : 'discard', 'nesting_outbox', String(id), before, after);
    return after;
  });
}

/** A failed or dead-lettered entry goes back to pending, due now, with its attempts reset. */
export const retryOutbox = (db: Db, actor: Actor, id: number) =>
  transition(db, actor, id, ['failed', 'dead'], 'pending', 'not_retryable');

/** A failed, dead or not-yet-sent entry is dropped: it will never be sent. */
export const discardOutbox = (db: Db, actor: Actor, id: number) =>
  transition(db, actor, id, ['failed', 'dead', 'pending'], 'discarded', 'not_discardable');

/**
 * Queues every sheet row of Kerf's stock to SigmaNEST (SN91A): first connection, or after drift.
 * Remnants are left out: SigmaNEST created them (STRemARC) and owns their geometry.
 */
export async function resyncStock(db: Db, actor: Actor): Promise<{ queued: number }> {
  return db.transaction(async (tx) => {
    const rows = await rowsOf<{
      id: string;
      code: string;
      thickness: unknown;
      sheet_width: unknown;
      sheet_length: unknown;
      quantity: number;
      location: string | null;
    }>(
      tx,
      sql`SELECT id, code, thickness, sheet_width, sheet_length, quantity, location FROM materials
        WHERE upper(coalesce(location, '')) <> 'REMNANT' ORDER BY code, id`,
    );
    for (const r of rows) {
      const s = {
        material: r.code,
        thickness: Number(r.thickness),
        width: Number(r.sheet_width),
        length: Number(r.sheet_length),
        location: r.location,
      };
      await enqueueNesting(tx, {
        kind: 'stock.upsert',
        sheet: {
          materialId: r.id,
          sheetName: sheetName(s),
          ...s,
          quantity: r.quantity,
          remnant: r.location?.toUpperCase() === 'REMNANT',
          fileName: null,
        },
      });
    }
    await recordAudit(tx, actor, 'update', 'nesting_stock', 'all', null, { queued: rows.length });
    return { queued: rows.length };
  });
}

/** Tells SigmaNEST to delete a sheet (SN92), e.g. before the Kerf row is deleted. Audited. */
export async function removeStock(db: Db, actor: Actor, materialId: string): Promise<{ queued: number }> {
  return db.transaction(async (tx) => {
    if (!(await enqueueStockRemoval(tx, materialId))) throw notFound('material', materialId);
    await recordAudit(tx, actor, 'delete', 'nesting_stock', materialId, null, { queued: 1 });
    return { queued: 1 };
  });
}
