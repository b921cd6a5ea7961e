import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { backoffMs, type NestingConfig } from './config.js';
import {
  completedTransIdsSql,
  deleteTransActRowSql,
  errorRowsSql,
  insertTransActSql,
  queuedTransIdsSql,
  TRANSACT_COLUMNS,
} from './dialect.js';
import type { OutboxMessage } from './outbox-payloads.js';
import { isConnectionError, type SimTransDb } from './simtrans-db.js';
import { rowsOf } from './sql-rows.js';
import { transActRows, type TransActRow } from './transact-rows.js';

export interface OutboxEntry {
  id: number;
  kind: string;
  trans_id: string;
  payload: OutboxMessage;
  attempts: number;
}

/** Where outbox rows go: TransAct (SimTrans) or CSV files (files/outbound-files.ts). */
export interface OutboundTarget {
  /** writes the rows; must be idempotent by TransID (a retry after a crash sends nothing twice) */
  send(entry: OutboxEntry, rows: TransActRow[]): Promise<void>;
  /** rows the other side rejected since the last call (SimTrans ErrorTag); empty for files */
  collectErrors(): Promise<RejectedRow[]>;
  /** removes a rejected row after Kerf has recorded it, so a retry can send it again */
  forget(row: RejectedRow): Promise<void>;
}

export interface RejectedRow {
  sourceRow: number;
  transId: string;
  transType: string;
  itemName: string | null;
  reason: string;
}

export interface OutboundResult {
  sent: number;
  failed: number;
  dead: number;
}

/** Test seam: runs between "rows are in TransAct" and "outbox row marked sent". */
export interface OutboundHooks {
  afterSend?: (entry: OutboxEntry) => Promise<void> | void;
}

export function simTransTarget(sim: SimTransDb, district: number): OutboundTarget {
  const d = sim.dialect;
  return {
    async send(_entry, rows) {
      if (rows.length === 0) return;
      const ids = rows.map((r) => r.TransID);
      await sim.transaction(async (q) => {
        const queued = await q.query<{ trans_id: string }>(queuedTransIdsSql(d, ids.length), ids);
        const done = await q.query<{ trans_id: string }>(completedTransIdsSql(d, ids.length), ids);
        const skip = new Set([...queued, ...done].map((r) => r.trans_id));
        const insert = insertTransActSql(d);
        for (const row of rows) {
          if (skip.has(row.TransID)) continue;
          await q.query(
            insert,
            TRANSACT_COLUMNS.map((c) => row[c] ?? null),
          );
        }
      });
    },
    async collectErrors() {
      const rows = await sim.query<{
        auto_inc: number;
        trans_id: string;
        trans_type: string;
        item_name: string | null;
        reason: string | null;
      }>(errorRowsSql(d, 500), [district]);
      return rows.map((r) => ({
        sourceRow: Number(r.auto_inc),
        transId: r.trans_id,
        transType: r.trans_type,
        itemName: r.item_name,
        reason: r.reason ?? 'SimTrans flagged the row with ErrorTag without a logged reason',
      }));
    },
    async forget(row) {
      await sim.query(deleteTransActRowSql(d), [row.sourceRow]);
    },
  };
}

async function setState(db: Db, direction: 'outbound' | 'inbound', error: string | null): Promise<void> {
  if (error === null) {
    await db.execute(
      sql`UPDATE nesting_sync_state SET last_sync_at = now(), last_error = NULL WHERE direction = ${direction}`,
    );
  } else {
    await db.execute(
      sql`UPDATE nesting_sync_state SET last_error = ${error}, last_error_at = now() WHERE direction = ${direction}`,
    );
  }
}
export { setState as recordSyncState };

/**
 * Records rejected rows, moves their outbox rows to failed (backoff) or dead, then forgets them
 * remotely. One send counts one attempt, however many of its rows were rejected.
 */
async function absorbErrors(
  db: Db,
  target: OutboundTarget,
  config: NestingConfig,
  result: OutboundResult,
): Promise<void> {
  const rejected = await target.collectErrors();
  const byEntry = new Map<string, RejectedRow[]>();
  for (const r of rejected) byEntry.set(r.transId.slice(0, 8), [...(byEntry.get(r.transId.slice(0, 8)) ?? []), r]);
  for (const [transId, rows] of byEntry) {
    const mine = await db.transaction(async (tx) => {
      const entry = (
        await rowsOf<{ id: number; attempts: number }>(
          tx,
          sql`SELECT id::int AS id, attempts FROM nesting_outbox WHERE trans_id = ${transId} FOR UPDATE`,
        )
      )[0];
      if (!entry) return false; // not Kerf's row (another K-prefixed writer): leave it to its owner
      let fresh = 0;
      for (const r of rows) {
        // Unique (trans_id, source row): a crash before forget() re-reads the same error without counting it twice.
        const inserted = await rowsOf<{ id: number }>(
          tx,
          sql`INSERT INTO nesting_errors (outbox_id, trans_id, trans_type, reason, source_row)
              VALUES (${entry.id}, ${r.transId}, ${r.transType}, ${r.reason}, ${r.sourceRow})
              ON CONFLICT (trans_id, source_row) DO NOTHING RETURNING id::int AS id`,
        );
        fresh += inserted.length;
        if (r.transType === 'SN60')
          await tx.execute(sql`DELETE FROM nesting_known_materials WHERE material = ${r.itemName ?? ''}`);
      }
      if (fresh === 0) return true;
      const attempts = entry.attempts + 1;
      const dead = attempts >= config.maxAttempts;
      const message = rows
        .map((r) => `${r.transType} ${r.transId}${r.itemName ? ` (${r.itemName})` : ''}: ${r.reason}`)
        .join('; ');
      await tx.execute(
        sql`UPDATE nesting_outbox SET status = ${dead ? 'dead' : 'failed'}, attempts = ${attempts}, last_error = ${message},
              next_attempt_at = now() + ${`${backoffMs(config, attempts)} milliseconds`}::interval, updated_at = now()
            WHERE id = ${entry.id} AND status IN ('sent', 'pending', 'failed')`,
      );
      if (dead) result.dead++;
      else result.failed++;
      return true;
    });
    if (mine) for (const r of rows) await target.forget(r);
  }
}

/**
 * One outbound cycle: absorb rejections, then send due outbox rows in id order. A job's rows
 * wait while an earlier row of the same job is still pending or failed, so SimTrans sees a
 * job's changes in the order Kerf made them. A lost connection ends the cycle without counting
 * an attempt (the caller backs off); a row whose statement fails counts one.
 */
export async function drainOutbox(
  db: Db,
  target: OutboundTarget,
  config: NestingConfig,
  hooks: OutboundHooks = {},
  /** filled as rows go, so a caller still knows what was sent when the link drops mid-cycle */
  result: OutboundResult = { sent: 0, failed: 0, dead: 0 },
): Promise<OutboundResult> {
  try {
    await absorbErrors(db, target, config, result);
    for (let round = 0; round < 200; round++) {
      const due = await rowsOf<OutboxEntry>(
        db,
        sql`SELECT o.id::int AS id, o.kind, o.trans_id, o.payload, o.attempts FROM nesting_outbox o
            WHERE o.status IN ('pending', 'failed') AND o.next_attempt_at <= now()
              AND NOT EXISTS (SELECT 1 FROM nesting_outbox e WHERE e.job_id = o.job_id AND e.id < o.id
                              AND e.status IN ('pending', 'failed'))
            ORDER BY o.id LIMIT 50`,
      );
      if (due.length === 0) break;
      for (const entry of due) {
        const known = new Set(
          (await rowsOf<{ material: string }>(db, sql`SELECT material FROM nesting_known_materials`)).map(
            (m) => m.material,
          ),
        );
        const { rows, newMaterials } = transActRows(entry.payload, entry.trans_id, config.district, known);
        try {
          await target.send(entry, rows);
        } catch (err) {
          if (isConnectionError(err)) throw err;
          const attempts = entry.attempts + 1;
          const dead = attempts >= config.maxAttempts;
          await db.execute(
            sql`UPDATE nesting_outbox SET status = ${dead ? 'dead' : 'failed'}, attempts = ${attempts},
                  last_error = ${err instanceof Error ? err.message : String(err)},
                  next_attempt_at = now() + ${`${backoffMs(config, attempts)} milliseconds`}::interval, updated_at = now()
                WHERE id = ${entry.id}`,
          );
          if (dead) result.dead++;
          else result.failed++;
          continue;
        }
        await hooks.afterSend?.(entry);
        await db.transaction(async (tx) => {
          await tx.execute(
            sql`UPDATE nesting_outbox SET status = 'sent', sent_at = now(), updated_at = now() WHERE id = ${entry.id}`,
          );
          for (const m of newMaterials)
            await tx.execute(sql`INSERT INTO nesting_known_materials (material) VALUES (${m}) ON CONFLICT DO NOTHING`);
        });
        result.sent++;
      }
    }
    await setState(db, 'outbound', null);
    return result;
  } catch (err) {
    await setState(db, 'outbound', err instanceof Error ? err.message : String(err));
    throw err;
  }
}
