import { count, desc, eq } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import type { NestingConfig } from './config.js';
import { iso } from './sql-rows.js';
import { nestingOutbox, nestingSyncState, nestPackets, nestRejections } from './tables.js';

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
  const states = await db
    .select({
      direction: nestingSyncState.direction,
      lastSyncAt: nestingSyncState.lastSyncAt,
      lastError: nestingSyncState.lastError,
      lastErrorAt: nestingSyncState.lastErrorAt,
      nextAttemptAt: nestingSyncState.nextAttemptAt,
    })
    .from(nestingSyncState);
  const byStatus = (rows: Array<{ status: string; n: number }>) => new Map(rows.map((r) => [r.status, r.n]));
  const counts = byStatus(
    await db
      .select({ status: nestingOutbox.status, n: count().mapWith(Number) })
      .from(nestingOutbox)
      .groupBy(nestingOutbox.status),
  );
  const packets = byStatus(
    await db
      .select({ status: nestPackets.status, n: count().mapWith(Number) })
      .from(nestPackets)
      .groupBy(nestPackets.status),
  );
  const lastPacket = (
    await db
      .select({ packetId: nestPackets.packetId })
      .from(nestPackets)
      .where(eq(nestPackets.status, 'applied'))
      .orderBy(desc(nestPackets.at), desc(nestPackets.packetId))
      .limit(1)
  )[0];
  const rejections = await db
    .select({
      id: nestRejections.id,
      source: nestRejections.source,
      reason: nestRejections.reason,
      at: nestRejections.at,
    })
    .from(nestRejections)
    .orderBy(desc(nestRejections.id))
    .limit(20);
  const out = states.find((s) => s.direction === 'outbound');
  const inb = states.find((s) => s.direction === 'inbound');
  // A direction is failing when its last error is newer than its last success.
  const failing = (s: typeof out) =>
    !!s?.lastError && (!s.lastSyncAt || (s.lastErrorAt !== null && s.lastErrorAt >= s.lastSyncAt));
  const nextAttempt = out?.nextAttemptAt ?? inb?.nextAttemptAt;
  const down = nextAttempt !== null && nextAttempt !== undefined;
  return {
    mode: config.mode,
    district: config.district,
    outbound: {
      lastSyncAt: iso(out?.lastSyncAt),
      lastError: failing(out) ? out!.lastError : null,
      pending: counts.get('pending') ?? 0,
      sent: counts.get('sent') ?? 0,
      failed: counts.get('failed') ?? 0,
      dead: counts.get('dead') ?? 0,
      discarded: counts.get('discarded') ?? 0,
    },
    inbound: {
      lastSyncAt: iso(inb?.lastSyncAt),
      lastError: failing(inb) ? inb!.lastError : null,
      packetsApplied: packets.get('applied') ?? 0,
      packetsRejected: packets.get('rejected') ?? 0,
      lastPacketId: lastPacket?.packetId ?? null,
    },
    connection: {
      up: !down,
      lastError: down ? (out?.lastError ?? inb?.lastError ?? null) : null,
      nextAttemptAt: down ? iso(nextAttempt) : null,
    },
    recentRejections: rejections.map((r) => ({ id: r.id, source: r.source, reason: r.reason, at: iso(r.at)! })),
  };
}
