import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import { translatePgError } from '../platform/pg-errors.js';
import type { Actor } from './actor.js';
import { forgetActors } from './actor-cache.js';
import { recordAudit } from './audit.js';
import { hashPassword, randomPassword, verifyPassword } from './password.js';
import type { Permission, Role } from './permissions.js';
import { apiKeys, sessions, users } from './tables.js';
import { API_KEY_PREFIX, newToken, SESSION_PREFIX } from './tokens.js';

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: { id: string; username: string; role: string };
}

// Compared against when the user does not exist, so both paths cost one scrypt.
let dummyHash: Promise<string> | undefined;

export async function login(db: Db, username: string, password: string, sessionHours: number): Promise<LoginResult> {
  const user = (await db.select().from(users).where(eq(users.username, username)).limit(1))[0];
  dummyHash ??= hashPassword(randomPassword());
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
  if (!user || !ok || !user.isActive) {
    throw new AppError('unauthenticated', 'bad_credentials', 'username or password is wrong');
  }
  const { token, hash } = newToken(SESSION_PREFIX);
  const expiresAt = new Date(Date.now() + sessionHours * 3600_000);
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(lt(sessions.expiresAt, new Date()));
    await tx.insert(sessions).values({ tokenHash: hash, userId: user.id, expiresAt });
  });
  return { token, expiresAt, user: { id: user.id, username: user.username, role: user.role } };
}

export async function logout(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
  forgetActors();
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  displayName?: string | null;
}

const publicUser = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  isActive: users.isActive,
  version: users.version,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

export async function createUser(db: Db, actor: Actor, input: NewUser) {
  if (input.password.length < 8) {
    throw new AppError('validation', 'weak_password', 'password: must be at least 8 characters', 'password');
  }
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const row = (
        await tx
          .insert(users)
          .values({ username: input.username, role: input.role, displayName: input.displayName ?? null, passwordHash })
          .returning(publicUser)
      )[0]!;
      await recordAudit(tx, actor, 'create', 'user', row.id, null, row);
      return row;
    });
  } catch (err) {
    throw translatePgError(err, 'write');
  }
}

export async function listUsers(db: Db) {
  return db.select(publicUser).from(users).orderBy(users.username);
}

export async function updateUser(
  db: Db,
  actor: Actor,
  id: string,
  version: number,
  changes: { role?: Role; isActive?: boolean; displayName?: string | null; password?: string },
) {
  const { password, ...rest } = changes;
  if (password !== undefined && password.length < 8) {
    throw new AppError('validation', 'weak_password', 'password: must be at least 8 characters', 'password');
  }
  const passwordHash = password !== undefined ? await hashPassword(password) : undefined;
  return db.transaction(async (tx) => {
    const before = (await tx.select(publicUser).from(users).where(eq(users.id, id)).for('update'))[0];
    if (!before) throw new AppError('not_found', 'not_found', `user ${id} does not exist`);
    if (before.version !== version) {
      throw new AppError(
        'conflict',
        'stale_version',
        `user ${id} was changed by someone else; reload and retry`,
        'version',
      );
    }
    const row = (
      await tx
        .update(users)
        .set({ ...rest, ...(passwordHash ? { passwordHash } : {}), version: version + 1, updatedAt: new Date() })
        .where(and(eq(users.id, id), eq(users.version, version)))
        .returning(publicUser)
    )[0]!;
    if (passwordHash || rest.isActive === false) await tx.delete(sessions).where(eq(sessions.userId, id));
    await recordAudit(tx, actor, 'update', 'user', id, before, row);
    forgetActors();
    return row;
  });
}

export async function createApiKey(
  db: Db,
  actor: Actor,
  input: { name: string; scopes: Permission[]; expiresAt?: string | null },
) {
  const { token, hash } = newToken(API_KEY_PREFIX);
  return db.transaction(async (tx) => {
    const row = (
      await tx
        .insert(apiKeys)
        .values({
          name: input.name,
          keyPrefix: token.slice(0, 12),
          keyHash: hash,
          scopes: input.scopes,
          createdBy: actor.type === 'user' ? actor.id : null,
          expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
        })
        .returning()
    )[0]!;
    const { keyHash: _omit, ...visible } = row;
    await recordAudit(tx, actor, 'create', 'api_key', row.id, null, visible);
    // The key itself is shown once, here; only its hash is kept.
    return { ...visible, key: token };
  });
}

export async function listApiKeys(db: Db) {
  const rows = await db.select().from(apiKeys).orderBy(apiKeys.createdAt);
  return rows.map(({ keyHash: _omit, ...visible }) => visible);
}

export async function revokeApiKey(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const row = (await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id)).returning())[0];
    if (!row) throw new AppError('not_found', 'not_found', `api key ${id} does not exist`);
    await recordAudit(tx, actor, 'update', 'api_key', id, null, { revokedAt: row.revokedAt });
    forgetActors();
  });
}

/** On first start with no users: creates admin and returns the password when it was generated. */
export async function ensureAdmin(
  db: Db,
  configured: string | undefined,
): Promise<{ created: boolean; password?: string }> {
  const existing = await db.select({ id: users.id }).from(users).limit(1);
  if (existing.length > 0) return { created: false };
  const password = configured ?? randomPassword();
  const system: Actor = { type: 'system', id: 'system', name: 'kerf', permissions: new Set() };
  await createUser(db, system, { username: 'admin', password, role: 'admin', displayName: 'Administrator' });
  return configured ? { created: true } : { created: true, password };
}
