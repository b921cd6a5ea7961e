import type { EventBus } from '../platform/events.js';
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { applyPacket, rejectPacket } from './apply-packet.js';
import { deleteFeedbackSql, FEEDBACK_TABLES, feedbackRowsSql, packetIdsSql } from './dialect.js';
import { recordSyncState } from './outbound-sync.js';
import { PacketError, packetFromTables, type FeedbackPacket } from './packet.js';
import type { SimTransDb } from './simtrans-db.js';
import { rowsOf } from './sql-rows.js';

/** Where feedback packets come from: the STxxARC tables, or result files (files/inbound-files.ts). */
export interface FeedbackSource {
  name: string;
  packetIds(limit: number): Promise<string[]>;
  /** throws PacketError when a row is malformed */
  read(packetId: string): Promise<FeedbackPacket>;
  /** deletes the packet's feedback rows (read-then-delete queue) */
  consume(packetId: string): Promise<void>;
  /** sets a refused packet aside (files: rejected/ + report); tables: left for someone to fix */
  reject?(packetId: string, reason: string): Promise<void>;
}

export interface InboundResult {
  applied: number;
  rejected: number;
  /** packets applied earlier whose rows were only deleted now */
  cleaned: number;
}

export function simTransSource(sim: SimTransDb): FeedbackSource {
  const d = sim.dialect;
  return {
    name: 'simtrans',
    async packetIds(limit) {
      const rows = await sim.query<{ packet_id: unknown }>(packetIdsSql(d, limit));
      return rows.map((r) => String(r.packet_id));
    },
    async read(packetId) {
      const tables: Record<string, Record<string, unknown>[]> = {};
      for (const t of FEEDBACK_TABLES) tables[t] = await sim.query(feedbackRowsSql(d, t), [packetId]);
      return packetFromTables(packetId, tables);
    },
    async consume(packetId) {
      await sim.transaction(async (q) => {
        for (const t of FEEDBACK_TABLES) await q.query(deleteFeedbackSql(d, t), [packetId]);
      });
    },
  };
}

/**
 * One inbound cycle: every waiting packet is applied in one Kerf transaction and then deleted
 * from the source. A crash in between leaves the packet recorded in nest_packets, so the next
 * cycle only deletes it. A malformed packet is refused whole and recorded with its reason.
 */
export async function pollFeedback(
  db: Db,
  source: FeedbackSource,
  limit = 100,
  /** the process's bus: the packet's stock and step events reach its subscribers at once */
  events?: EventBus,
): Promise<InboundResult> {
  const result: InboundResult = { applied: 0, rejected: 0, cleaned: 0 };
  try {
    for (const packetId of await source.packetIds(limit)) {
      const seen = (
        await rowsOf<{ status: string }>(db, sql`SELECT status FROM nest_packets WHERE packet_id = ${packetId}`)
      )[0];
      if (seen?.status === 'rejected') continue;
      if (seen?.status === 'applied') {
        await source.consume(packetId);
        result.cleaned++;
        continue;
      }
      try {
        const packet = await source.read(packetId);
        const applied = await applyPacket(db, packet, events);
        if (!applied.applied) result.cleaned++;
        else result.applied++;
      } catch (err) {
        if (!(err instanceof PacketError)) throw err;
        await rejectPacket(db, source.reject ? null : packetId, source.name, err.message);
        await source.reject?.(packetId, err.message);
        result.rejected++;
        continue;
      }
      await source.consume(packetId);
    }
    await recordSyncState(db, 'inbound', null);
    return result;
  } catch (err) {
    await recordSyncState(db, 'inbound', err instanceof Error ? err.message : String(err));
    throw err;
  }
}
