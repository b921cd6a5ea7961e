import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { AppError, invalid, notFound } from '../platform/errors.js';
import { workCentersByIds } from '../shop/queries.js';
import type { Actor } from './actor.js';
import type { Credential } from './actor-cache.js';
import { recordAudit } from './audit.js';
import type { CredentialChanges } from './credential-changes.js';
import type { Permission } from './permissions.js';
import { floorStations } from './tables.js';
import { newToken, STATION_PREFIX } from './tokens.js';

/**
 * What a station's device token may do by itself (ADR 0022): show the station screen, sign
 * operators in, and send the floor transactions of operators who were signed in on it when
 * they happened (the offline queue replays with this token after the operator has gone).
 */
export const STATION_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  'station:use',
  'production:report',
  'labor:clock',
  'issue:create',
]);

const visible = ({ tokenHash: _omit, ...row }: typeof floorStations.$inferSelect) => row;

export async function createStation(db: Db, actor: Actor, input: { name: string; workCenterIds: string[] }) {
  const ids = [...new Set(input.workCenterIds.map((id) => id.trim()))];
  if (ids.length === 0) throw invalid('workCenterIds', 'name at least one work center the station serves');
  const found = new Set((await workCentersByIds(db, ids)).map((w) => w.id));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length > 0) {
    throw invalid('workCenterIds', `unknown work center(s): ${unknown.join(', ')}`, 'unknown_reference');
  }
  const { token, hash } = newToken(STATION_PREFIX);
  return db.transaction(async (tx) => {
    const row = (
      await tx
        .insert(floorStations)
        .values({
          name: input.name.trim(),
          workCenterIds: ids,
          tokenPrefix: token.slice(0, 12),
          tokenHash: hash,
          createdBy: actor.type === 'user' ? actor.id : null,
        })
        .returning()
    )[0]!;
    await recordAudit(tx, actor, 'create', 'floor_station', row.id, null, visible(row));
    // Shown once, to be entered on the tablet; only its hash is kept.
    return { ...visible(row), token };
  });
}

export async function listStations(db: Db) {
  return (await db.select().from(floorStations).orderBy(desc(floorStations.createdAt))).map(visible);
}

export async function revokeStation(db: Db, changes: CredentialChanges, actor: Actor, id: string) {
  return db.transaction(async (tx) => {
    const row = (
      await tx
        .update(floorStations)
        .set({ revokedAt: new Date() })
        .where(and(eq(floorStations.id, id), isNull(floorStations.revokedAt)))
        .returning()
    )[0];
    if (!row) {
      const exists = (await tx.select({ id: floorStations.id }).from(floorStations).where(eq(floorStations.id, id)))[0];
      if (!exists) throw notFound('station', id);
      throw new AppError('conflict', 'already_revoked', `station ${id} is already revoked`);
    }
    await recordAudit(tx, actor, 'update', 'floor_station', id, null, { revokedAt: row.revokedAt });
    await changes.record(tx, 'station revoked');
    return visible(row);
  });
}

/** The station of a device token, as the actor of its requests. */
export async function stationActor(db: Db, hash: string): Promise<Credential | undefined> {
  const row = (
    await db
      .update(floorStations)
      .set({ lastSeenAt: new Date() })
      .where(and(eq(floorStations.tokenHash, hash), isNull(floorStations.revokedAt)))
      .returning({ id: floorStations.id, name: floorStations.name, workCenterIds: floorStations.workCenterIds })
  )[0];
  if (!row) return undefined;
  return {
    actor: {
      type: 'station',
      id: row.id,
      name: row.name,
      permissions: STATION_PERMISSIONS,
      stationId: row.id,
      workCenterIds: row.workCenterIds,
    },
    expiresAt: Infinity,
  };
}

export async function stationById(db: Db, id: string) {
  const row = (await db.select().from(floorStations).where(eq(floorStations.id, id)).limit(1))[0];
  return row && visible(row);
}
