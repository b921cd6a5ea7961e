import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import type { Actor } from './actor.js';
import { isPermission, ROLE_PERMISSIONS, ROLES, type Permission, type Role } from './permissions.js';
import { apiKeys, sessions, users } from './tables.js';
import { API_KEY_PREFIX, SESSION_PREFIX, sha256 } from './tokens.js';

/** Resolves a bearer token (session or API key) to an actor, or undefined when invalid. */
export async function authenticate(db: Db, token: string): Promise<Actor | undefined> {
  if (token.startsWith(SESSION_PREFIX)) return sessionActor(db, token);
  if (token.startsWith(API_KEY_PREFIX)) return apiKeyActor(db, token);
  return undefined;
}

async function sessionActor(db: Db, token: string): Promise<Actor | undefined> {
  const rows = await db
    .select({ id: users.id, username: users.username, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, new Date()), eq(users.isActive, true)))
    .limit(1);
  const user = rows[0];
  if (!user || !(ROLES as readonly string[]).includes(user.role)) return undefined;
  const role = user.role as Role;
  return { type: 'user', id: user.id, name: user.username, role, permissions: ROLE_PERMISSIONS[role] };
}

async function apiKeyActor(db: Db, token: string): Promise<Actor | undefined> {
  const now = new Date();
  const rows = await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.keyHash, sha256(token)),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
      ),
    )
    .returning({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes });
  const key = rows[0];
  if (!key) return undefined;
  const permissions = new Set<Permission>(key.scopes.filter(isPermission));
  return { type: 'api_key', id: key.id, name: key.name, permissions };
}
