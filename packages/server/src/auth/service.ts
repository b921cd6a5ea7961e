import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import { translatePgError } from '../platform/pg-errors.js';
import type { Actor } from './actor.js';
import { ConfigError } from '../platform/config.js';
import { invalid } from '../platform/errors.js';
import { SYSTEM_ACTOR } from './actor.js';
import { recordAudit } from './audit.js';
import type { CredentialChanges } from './credential-changes.js';
import { refuseRemovingLastAdmin } from './last-admin.js';
import { hashPassword, verifyPasswordOrSpend } from './password.js';
import { checkPassword, generatePassword, passwordProblem } from './password-policy.js';
import type { Permission, Role } from './permissions.js';
import { apiKeys, publicUser, sessions, usernameIs, users } from './tables.js';
import { API_KEY_PREFIX, newToken, SESSION_PREFIX } from './tokens.js';

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: { id: string; username: string; role: string };
}

export async function login(db: Db, username: string, password: string, sessionHours: number): Promise<LoginResult> {
  // Any case logs in (phones capitalise the first letter); names are unique ignoring case.
  const user = (await db.select().from(users).where(usernameIs(username)).limit(1))[0];
  const ok = await verifyPasswordOrSpend(password, user?.passwordHash);
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

export async function logout(db: Db, changes: CredentialChanges, tokenHash: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    await changes.record(tx, 'logout');
  });
}

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  displayName?: string | null;
}

export async function createUser(db: Db, actor: Actor, input: NewUser) {
  checkPassword(input.password, input.username);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const twin = (await tx.select({ username: users.username }).from(users).where(usernameIs(input.username)))[0];
      if (twin) throw duplicateUsername(input.username, twin.username);
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
    const translated = translatePgError(err, 'write');
    // the unique index on lower(username) names no column the generic translation recognises
    if (translated !== err && translated instanceof AppError && translated.code === 'duplicate') {
      throw duplicateUsername(input.username);
    }
    throw translated;
  }
}

function duplicateUsername(wanted: string, existing?: string): AppError {
  return new AppError(
    'conflict',
    'duplicate',
    `username: "${wanted}" is taken${existing ? ` by "${existing}"` : ''} (user names are compared ignoring case)`,
    'username',
  );
}

export async function listUsers(db: Db) {
  return db.select(publicUser).from(users).orderBy(users.username);
}

export async function updateUser(
  db: Db,
  credentials: CredentialChanges,
  actor: Actor,
  id: string,
  version: number,
  changes: { role?: Role; isActive?: boolean; displayName?: string | null; password?: string },
) {
  const { password, ...rest } = changes;
  const row = await db.transaction(async (tx) => {
    await refuseRemovingLastAdmin(tx, id, rest);
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
    if (password !== undefined) checkPassword(password, before.username);
    const passwordHash = password !== undefined ? await hashPassword(password) : undefined;
    const row = (
      await tx
        .update(users)
        .set({ ...rest, ...(passwordHash ? { passwordHash } : {}), version: version + 1, updatedAt: new Date() })
        .where(and(eq(users.id, id), eq(users.version, version)))
        .returning(publicUser)
    )[0]!;
    if (passwordHash || rest.isActive === false) await tx.delete(sessions).where(eq(sessions.userId, id));
    await recordAudit(tx, actor, 'update', 'user', id, before, row);
    await credentials.record(tx, 'user changed');
    return row;
  });
  return row;
}

export async function createApiKey(
  db: Db,
  actor: Actor,
  input: { name: string; scopes: Permission[]; expiresAt?: string | null },
) {
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && Number.isNaN(expiresAt.getTime())) {
    throw invalid('expiresAt', `"${input.expiresAt}" is not a date-time like 2027-01-31T00:00:00Z`);
  }
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw invalid(
      'expiresAt',
      `${input.expiresAt} is already past; give a future time, or none for a key that does not expire`,
    );
  }
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
          expiresAt,
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

export async function revokeApiKey(db: Db, changes: CredentialChanges, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const row = (await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id)).returning())[0];
    if (!row) throw new AppError('not_found', 'not_found', `api key ${id} does not exist`);
    await recordAudit(tx, actor, 'update', 'api_key', id, null, { revokedAt: row.revokedAt });
    await changes.record(tx, 'api key revoked');
  });
}

/** On first start with no users: creates admin and returns the password when it was generated. */
export async function ensureAdmin(
  db: Db,
  configured: string | undefined,
): Promise<{ created: boolean; password?: string }> {
  const existing = await db.select({ id: users.id }).from(users).limit(1);
  if (existing.length > 0) return { created: false };
  const problem = configured !== undefined ? passwordProblem(configured, 'admin') : undefined;
  if (problem) throw new ConfigError(`KERF_ADMIN_PASSWORD: password: ${problem}`);
  const password = configured ?? generatePassword('admin');
  await createUser(db, SYSTEM_ACTOR, { username: 'admin', password, role: 'admin', displayName: 'Administrator' });
  return configured ? { created: true } : { created: true, password };
}
