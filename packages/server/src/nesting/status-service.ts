import { sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import type { NestingConfig } from './config.js';
import { iso, rowsOf } from './sql-rows.js';

export interface NestingStatus {
  mode: NestingConfig['mode'];
  district: number;
  outbound: {
    lastSyncAt: string | null;
    lastError: string | null;
    pending: number;
    sent: number;
    failed: number;
    dead: number;
    discarded: number;
  };
  inbound: {
    lastSyncAt: string | null;
    lastError: string | null;
    packetsApplied: number;
    packetsRejected: number;
    lastPacketId: string | null;
  };
  connection: { up: boolean; lastError: string | null; nextAttemptAt: string | null };
  recentRejections: { id: number; source: string; reason: string; at: string }[];
}

export async function nestingStatus(db: Db, config: Pick<NestingConfig, 'mode' | 'district'>): Promise<NestingStatus> {
  const states = await rowsOf<{
    direction: string;
    last_sync_at: unknown;
    last_error: string | null;
    last_error_at: unknown;
    next_attempt_at: unknown;
  }>(db, sql`SELECT direction, last_sync_at, last_error, last_error_at, next_attempt_at FROM nesting_sync_state`);
  const counts = new Map(
    (
      await rowsOf<{ status: string; n: number }>(
        db,
        sql`SELECT status, count(*)::int AS n FROM nesting_outbox GROUP BY status`,
      )
    ).map((r) => [r.status, r.n]),
  );
  const packets = new Map(
    (
      await rowsOf<{ status: string; n: number }>(
        db,
        sql`SELECT status, count(*)::int AS n FROM nest_packets GROUP BY status`,
      )
    ).map((r) => [r.status, r.n]),
  );
  const lastPacket = (
    await rowsOf<{ packet_id: string }>(
      db,
      sql`SELECT packet_id FROM nest_packets WHERE status = 'applied' ORDER BY at DESC, packet_id DESC LIMIT 1`,
    )
  )[0];
  const rejections = await rowsOf<{ id: number; source: string; reason: string; at: unknown }>(
    db,
    sql`SELECT id::int AS id, source, reason, at FROM nest_rejections ORDER BY id DESC LIMIT 20`,
  );
  const out = states.find((s) => s.direction === 'outbound');
  const inb = states.find((s) => s.direction === 'inbound');
  // A direction is failing when its last error is newer than its last success.
  const failing = (s: typeof out) =>
    !!s?.last_error &&
    (!s.last_sync_at || new Date(String(iso(s.last_error_at))) >= new Date(String(iso(s.last_sync_at))));
  const nextAttempt = out?.next_attempt_at ?? inb?.next_attempt_at;
  const down = nextAttempt !== null && nextAttempt !== undefined;
  return {
    mode: config.mode,
    district: config.district,
    outbound: {
      lastSyncAt: iso(out?.last_sync_at),
      lastError: failing(out) ? out!.last_error : null,
      pending: counts.get('pending') ?? 0,
      sent: counts.get('sent') ?? 0,
      failed: counts.get('failed') ?? 0,
      dead: counts.get('dead') ?? 0,
      discarded: counts.get('discarded') ?? 0,
    },
    inbound: {
      lastSyncAt: iso(inb?.last_sync_at),
      lastError: failing(inb) ? inb!.last_error : null,
      packetsApplied: packets.get('applied') ?? 0,
      packetsRejected: packets.get('rejected') ?? 0,
      lastPacketId: lastPacket?.packet_id ?? null,
    },
    connection: {
      up: !down,
      lastError: down ? (out?.last_error ?? inb?.last_error ?? null) : null,
      nextAttemptAt: down ? iso(nextAttempt) : null,
    },
    recentRejections: rejections.map((r) => ({ id: r.id, source: r.source, reason: r.reason, at: iso(r.at)! })),
  };
}
