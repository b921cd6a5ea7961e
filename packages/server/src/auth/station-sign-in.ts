import { and, desc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { encodeCode, parseCode } from '@kerf/floor-codes';
import type { Db } from '../platform/db.js';
import { AppError, invalid, notFound } from '../platform/errors.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import type { CredentialChanges } from './credential-changes.js';
import { hashPassword, verifyPasswordOrSpend } from './password.js';
import { operatorCredentials, sessions, stationSignIns, users } from './tables.js';
import { newToken, SESSION_PREFIX, sha256 } from './tokens.js';
import { isUuid } from '../platform/uuid.js';

/** Wrong PINs in a row before the operator's PIN is locked, and for how long. */
const PIN_ATTEMPTS = 5;
const PIN_LOCK_MS = 5 * 60_000;
/** A sign-in on a station lasts at most a long shift; the app signs out after idle time itself. */
export const STATION_SESSION_HOURS = 12;
const PIN = /^[0-9]{4,8}$/;

/** Sets (or clears, with null) an operator's badge and PIN. */
export async function setOperatorCredential(
  db: Db,
  actor: Actor,
  userId: string,
  input: { badge?: string | null; pin?: string | null },
) {
  const badge = input.badge === undefined || input.badge === null ? input.badge : printableBadge(input.badge);
  if (input.pin && !PIN.test(input.pin)) throw invalid('pin', 'a PIN is 4 to 8 digits');
  const pinHash = input.pin === undefined ? undefined : input.pin === null ? null : await hashPassword(input.pin);
  return db.transaction(async (tx) => {
    const user = (await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1))[0];
    if (!user) throw notFound('user', userId);
    if (badge) {
      const holder = (
        await tx
          .select({ userId: operatorCredentials.userId })
          .from(operatorCredentials)
          .where(eq(operatorCredentials.badge, badge))
      )[0];
      if (holder && holder.userId !== userId) {
        throw new AppError('conflict', 'badge_taken', `badge: ${badge} already belongs to another user`, 'badge');
      }
    }
    const values = {
      ...(badge !== undefined ? { badge } : {}),
      ...(pinHash !== undefined ? { pinHash, failedAttempts: 0, lockedUntil: null } : {}),
      updatedAt: new Date(),
    };
    await tx
      .insert(operatorCredentials)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: operatorCredentials.userId, set: values });
    const after = { badge: badge ?? null, pin: pinHash === undefined ? 'unchanged' : pinHash ? 'set' : 'cleared' };
    await recordAudit(tx, actor, 'update', 'operator_credential', userId, null, after);
    return {
      userId,
      hasBadge: badge !== undefined ? badge !== null : undefined,
      hasPin: pinHash !== undefined ? pinHash !== null : undefined,
    };
  });
}

export interface StationSignIn {
  token: string;
  expiresAt: Date;
  user: { id: string; username: string; displayName: string | null; role: string };
}

/**
 * Signs an operator in on a station by badge or by user and PIN: a session of at most
 * STATION_SESSION_HOURS bound to the station, and a sign-in row that later tells whether a
 * transaction the station replays was made while this operator was signed in.
 */
export async function signInOnStation(
  db: Db,
  station: Actor,
  input: { badge: string } | { userId: string; pin: string },
): Promise<StationSignIn> {
  if (station.type !== 'station' || !station.stationId) {
    throw new AppError('forbidden', 'not_a_station', 'sign in on a station with its device token');
  }
  const now = new Date();
  let userId: string | undefined;
  if ('badge' in input) {
    const badge = badgeOf(input.badge);
    const row = (
      await db
        .select({ userId: operatorCredentials.userId })
        .from(operatorCredentials)
        .where(eq(operatorCredentials.badge, badge))
    )[0];
    if (!row) throw new AppError('unauthenticated', 'unknown_badge', `badge: ${badge} is not anyone's badge`, 'badge');
    userId = row.userId;
  } else {
    if (!isUuid(input.userId)) throw invalid('userId', 'pick the operator from the list');
    const cred = (
      await db.select().from(operatorCredentials).where(eq(operatorCredentials.userId, input.userId)).limit(1)
    )[0];
    if (cred?.lockedUntil && cred.lockedUntil > now) {
      throw new AppError(
        'rate_limited',
        'pin_locked',
        `pin: locked after ${PIN_ATTEMPTS} wrong PINs until ${cred.lockedUntil.toISOString()}; ask a supervisor or use your badge`,
        'pin',
      );
    }
    const ok = await verifyPasswordOrSpend(input.pin, cred?.pinHash ?? undefined);
    if (!ok) {
      if (cred) {
        const failed = cred.failedAttempts + 1;
        await db
          .update(operatorCredentials)
          .set({
            failedAttempts: failed >= PIN_ATTEMPTS ? 0 : failed,
            lockedUntil: failed >= PIN_ATTEMPTS ? new Date(now.getTime() + PIN_LOCK_MS) : null,
          })
          .where(eq(operatorCredentials.userId, cred.userId));
      }
      throw new AppError('unauthenticated', 'bad_pin', 'pin: wrong PIN', 'pin');
    }
    userId = input.userId;
  }
  const user = (await db.select().from(users).where(eq(users.id, userId)).limit(1))[0];
  if (!user || !user.isActive) throw new AppError('unauthenticated', 'user_disabled', 'this operator is not active');
  const { token, hash } = newToken(SESSION_PREFIX);
  const expiresAt = new Date(now.getTime() + STATION_SESSION_HOURS * 3600_000);
  await db.transaction(async (tx) => {
    await tx.insert(sessions).values({ tokenHash: hash, userId: user.id, expiresAt });
    await tx.insert(stationSignIns).values({
      stationId: station.stationId!,
      userId: user.id,
      sessionHash: hash,
      signedInAt: now,
      expiresAt,
    });
    await tx
      .update(operatorCredentials)
      .set({ failedAttempts: 0, lockedUntil: null })
      .where(eq(operatorCredentials.userId, user.id));
  });
  return {
    token,
    expiresAt,
    user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role },
  };
}

/** Ends a station sign-in (the operator tapped "sign out", or the app's idle timer did). */
export async function signOutOfStation(db: Db, changes: CredentialChanges, token: string): Promise<void> {
  const hash = sha256(token);
  // Only a station session: a person's own login ends through /auth/logout.
  if (!(await sessionStation(db, hash))) {
    throw new AppError('conflict', 'not_station_session', 'this session was not opened on a station; log out instead');
  }
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.tokenHash, hash));
    await tx
      .update(stationSignIns)
      .set({ signedOutAt: new Date() })
      .where(and(eq(stationSignIns.sessionHash, hash), isNull(stationSignIns.signedOutAt)));
    await changes.record(tx, 'station sign-out');
  });
}

/** A stretch of time a user was signed in on a station: from signing in to signing out, or to expiry. */
export interface SignInWindow {
  from: number;
  to: number;
}

/**
 * The sign-in windows on a station of the given users that touch [from, to], read at once for a
 * batch of replayed transactions; `signedInDuring` then answers what `wasSignedInOn` would for
 * any time in that range.
 */
export async function signInWindows(
  db: Db,
  stationId: string,
  userIds: string[],
  from: Date,
  to: Date,
): Promise<Map<string, SignInWindow[]>> {
  const out = new Map<string, SignInWindow[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .select({
      userId: stationSignIns.userId,
      signedInAt: stationSignIns.signedInAt,
      signedOutAt: stationSignIns.signedOutAt,
      expiresAt: stationSignIns.expiresAt,
    })
    .from(stationSignIns)
    .where(
      and(
        eq(stationSignIns.stationId, stationId),
        inArray(stationSignIns.userId, userIds),
        lte(stationSignIns.signedInAt, to),
        or(
          gte(stationSignIns.signedOutAt, from),
          and(isNull(stationSignIns.signedOutAt), gte(stationSignIns.expiresAt, from)),
        ),
      ),
    );
  for (const r of rows) {
    const end = r.signedOutAt ?? r.expiresAt;
    out.set(r.userId, [...(out.get(r.userId) ?? []), { from: r.signedInAt.getTime(), to: end.getTime() }]);
  }
  return out;
}

export const signedInDuring = (windows: readonly SignInWindow[] | undefined, at: Date): boolean =>
  (windows ?? []).some((w) => w.from <= at.getTime() && at.getTime() <= w.to);

/** The station the user last signed in on at or before `at`, if any (whose shift a forgotten clock-out ends with). */
export async function lastStationSignedInOn(db: Db, userId: string, at: Date): Promise<string | undefined> {
  const row = (
    await db
      .select({ stationId: stationSignIns.stationId })
      .from(stationSignIns)
      .where(and(eq(stationSignIns.userId, userId), lte(stationSignIns.signedInAt, at)))
      .orderBy(desc(stationSignIns.signedInAt))
      .limit(1)
  )[0];
  return row?.stationId;
}

/** The station a session token was issued on, if any. */
export async function sessionStation(db: Db, sessionHash: string): Promise<string | undefined> {
  const row = (
    await db
      .select({ stationId: stationSignIns.stationId })
      .from(stationSignIns)
      .where(eq(stationSignIns.sessionHash, sessionHash))
      .limit(1)
  )[0];
  return row?.stationId;
}

/** An employee named by a transaction: a user id, a badge as printed (any case) or its scanned EMP code. */
export async function resolveEmployee(
  db: Db,
  text: string,
): Promise<{ id: string; name: string; role: string; isActive: boolean } | undefined> {
  const t = text.trim();
  const rows = await db
    .select({ id: users.id, name: users.username, role: users.role, isActive: users.isActive })
    .from(users)
    .leftJoin(operatorCredentials, eq(operatorCredentials.userId, users.id))
    .where(isUuid(t) ? eq(users.id, t) : eq(operatorCredentials.badge, badgeOf(t)))
    .limit(1);
  return rows[0];
}

export type Employee = NonNullable<Awaited<ReturnType<typeof resolveEmployee>>>;

/**
 * Several employees at once, as `resolveEmployee` names them (a batch of transactions names a
 * few people many times): the text each was named by -> the person; a text nobody answers to
 * is absent.
 */
export async function resolveEmployees(db: Db, texts: readonly string[]): Promise<Map<string, Employee>> {
  const out = new Map<string, Employee>();
  const wanted = [...new Set(texts.map((t) => t.trim()))];
  const ids = wanted.filter(isUuid).map((t) => t.toLowerCase());
  const badges = wanted.filter((t) => !isUuid(t)).map(badgeOf);
  if (ids.length === 0 && badges.length === 0) return out;
  const rows = await db
    .select({
      id: users.id,
      name: users.username,
      role: users.role,
      isActive: users.isActive,
      badge: operatorCredentials.badge,
    })
    .from(users)
    .leftJoin(operatorCredentials, eq(operatorCredentials.userId, users.id))
    .where(
      or(
        ...(ids.length > 0 ? [inArray(users.id, ids)] : []),
        ...(badges.length > 0 ? [inArray(operatorCredentials.badge, badges)] : []),
      ),
    );
  for (const text of texts) {
    const t = text.trim();
    const row = isUuid(t) ? rows.find((r) => r.id === t.toLowerCase()) : rows.find((r) => r.badge === badgeOf(t));
    if (row) out.set(text, { id: row.id, name: row.name, role: row.role, isActive: row.isActive });
  }
  return out;
}

/** The badge a scan or a typed entry names: the payload of an EMP code, else the text itself. */
function badgeOf(text: string): string {
  const parsed = parseCode(text);
  return parsed.ok && parsed.code.type === 'badge' ? parsed.code.badge : text.trim().toUpperCase();
}

/** A badge as stored: one the barcode grammar can print on a badge card (ADR 0021). */
function printableBadge(text: string): string {
  const badge = text.trim().toUpperCase();
  try {
    encodeCode({ type: 'badge', badge });
  } catch (err) {
    throw invalid('badge', (err as Error).message);
  }
  return badge;
}

/** Operators who can sign in on a station with a PIN (the station screen's list). */
export async function stationRoster(db: Db) {
  return db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(operatorCredentials)
    .innerJoin(users, eq(users.id, operatorCredentials.userId))
    .where(and(eq(users.isActive, true), sql`${operatorCredentials.pinHash} IS NOT NULL`))
    .orderBy(users.username);
}

/** Whether the user was signed in on the station at `at` (offline work is replayed later). */
export async function wasSignedInOn(db: Db, stationId: string, userId: string, at: Date): Promise<boolean> {
  return signedInDuring((await signInWindows(db, stationId, [userId], at, at)).get(userId), at);
}
