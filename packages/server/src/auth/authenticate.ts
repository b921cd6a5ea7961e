import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import type { Actor } from './actor.js';
import { ActorCache, type Credential } from './actor-cache.js';
import { isPermission, ROLE_PERMISSIONS, ROLES, type Permission, type Role } from './permissions.js';
import { stationActor } from './stations.js';
import { apiKeys, floorStations, sessions, stationSignIns, users } from './tables.js';
import { API_KEY_PREFIX, SESSION_PREFIX, sha256, STATION_PREFIX } from './tokens.js';

/** Resolves bearer tokens (sessions and API keys) to actors, through this process's actor cache. */
export class Authenticator {
  constructor(
    private readonly db: Db,
    readonly cache = new ActorCache(),
  ) {}

  /** The actor of a token, or undefined when it is invalid or expired. */
  async authenticate(token: string): Promise<Actor | undefined> {
    return (await this.credential(token))?.actor;
  }

  /** The actor of a token and when the token expires, or undefined when invalid. */
  async credential(token: string): Promise<Credential | undefined> {
    const hash = sha256(token);
    const hit = this.cache.get(hash);
    if (hit) return hit;
    let found: Credential | undefined;
    if (token.startsWith(SESSION_PREFIX)) found = await sessionActor(this.db, hash);
    else if (token.startsWith(API_KEY_PREFIX)) found = await apiKeyActor(this.db, hash);
    else if (token.startsWith(STATION_PREFIX)) found = await stationActor(this.db, hash);
    if (!found) return undefined;
    this.cache.remember(hash, found);
    return found;
  }
}

async function sessionActor(db: Db, hash: string): Promise<Credential | undefined> {
  // A session opened on a station (station-sign-in.ts) carries the station, so the operator's
  // transactions record the device; a revoked station ends its operators' sessions too.
  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      role: users.role,
      expiresAt: sessions.expiresAt,
      stationId: floorStations.id,
      stationRevokedAt: floorStations.revokedAt,
      workCenterIds: floorStations.workCenterIds,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(stationSignIns, eq(stationSignIns.sessionHash, sessions.tokenHash))
    .leftJoin(floorStations, eq(floorStations.id, stationSignIns.stationId))
    .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, new Date()), eq(users.isActive, true)))
    .limit(1);
  const user = rows[0];
  if (!user || !(ROLES as readonly string[]).includes(user.role)) return undefined;
  if (user.stationRevokedAt) return undefined;
  const role = user.role as Role;
  return {
    actor: {
      type: 'user',
      id: user.id,
      name: user.username,
      role,
      permissions: ROLE_PERMISSIONS[role],
      ...(user.stationId ? { stationId: user.stationId, workCenterIds: user.workCenterIds ?? [] } : {}),
    },
    expiresAt: user.expiresAt.getTime(),
  };
}

async function apiKeyActor(db: Db, hash: string): Promise<Credential | undefined> {
  const now = new Date();
  const rows = await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.keyHash, hash),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
      ),
    )
    .returning({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes, expiresAt: apiKeys.expiresAt });
  const key = rows[0];
  if (!key) return undefined;
  const permissions = new Set<Permission>(key.scopes.filter(isPermission));
  return {
    actor: { type: 'api_key', id: key.id, name: key.name, permissions },
    expiresAt: key.expiresAt?.getTime() ?? Infinity,
  };
}
