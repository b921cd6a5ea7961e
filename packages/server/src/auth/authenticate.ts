import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import type { Actor } from './actor.js';
import { cachedCredential, rememberCredential, type Credential } from './actor-cache.js';
import { isPermission, ROLE_PERMISSIONS, ROLES, type Permission, type Role } from './permissions.js';
import { apiKeys, sessions, users } from './tables.js';
import { API_KEY_PREFIX, SESSION_PREFIX, sha256 } from './tokens.js';

/** Resolves a bearer token (session or API key) to an actor, or undefined when invalid. */
export async function authenticate(db: Db, token: string): Promise<Actor | undefined> {
  return (await authenticateCredential(db, token))?.actor;
}

/** The actor of a token and when the token expires, or undefined when invalid. */
export async function authenticateCredential(db: Db, token: string): Promise<Credential | undefined> {
  const hash = sha256(token);
  const hit = cachedCredential(hash);
  if (hit) return hit;
  let found: Credential | undefined;
  if (token.startsWith(SESSION_PREFIX)) found = await sessionActor(db, hash);
  else if (token.startsWith(API_KEY_PREFIX)) found = await apiKeyActor(db, hash);
  if (!found) return undefined;
  rememberCredential(hash, found);
  return found;
}

async function sessionActor(db: Db, hash: string): Promise<Credential | undefined> {
  const rows = await db
    .select({ id: users.id, username: users.username, role: users.role, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, new Date()), eq(users.isActive, true)))
    .limit(1);
  const user = rows[0];
  if (!user || !(ROLES as readonly string[]).includes(user.role)) return undefined;
  const role = user.role as Role;
  return {
    actor: { type: 'user', id: user.id, name: user.username, role, permissions: ROLE_PERMISSIONS[role] },
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
