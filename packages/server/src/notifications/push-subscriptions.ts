import { createECDH } from 'node:crypto';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../platform/db.js';
import { AppError, invalid, notFound } from '../platform/errors.js';
import type { PushSubscriptionBodyT, PushSubscriptionViewT } from './push-schemas.js';
import { pushSubscriptions } from './push-tables.js';

type Row = typeof pushSubscriptions.$inferSelect;

const view = (r: Row): PushSubscriptionViewT => ({
  id: r.id,
  deviceId: r.deviceId,
  endpoint: r.endpoint,
  userAgent: r.userAgent,
  createdAt: r.createdAt.toISOString(),
  lastSuccessAt: r.lastSuccessAt?.toISOString() ?? null,
  failures: r.failures,
});

/** devices one person may receive pushes on; the oldest subscription goes first */
export const MAX_PER_USER = 20;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Push goes to a person's browser: a station's token or an API key has nobody to show it to. */
function personOf(actor: Actor): string {
  if (actor.type !== 'user') {
    throw new AppError('forbidden', 'not_a_person', 'push subscriptions belong to a signed-in person');
  }
  return actor.id;
}

/**
 * A push service URL: https (RFC 8030), no credentials in it. Loopback hosts are refused unless
 * KERF_PUSH_ALLOW_LOOPBACK (the tests' push service), so a user cannot aim the worker at
 * services on its own host; http is accepted only there.
 */
function checkEndpoint(raw: string, allowLoopback: boolean): string {
  const field = 'subscription.endpoint';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(field, 'is not a URL');
  }
  const loopback = LOOPBACK.has(url.hostname);
  if (loopback && !allowLoopback) throw invalid(field, 'a push service is never on this server’s own host');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw invalid(field, 'must be https');
  if (url.username || url.password) throw invalid(field, 'must not carry credentials');
  return url.toString();
}

function base64urlBytes(field: string, raw: string, bytes: number, what: string): Buffer {
  const decoded = Buffer.from(raw.replace(/=+$/, ''), 'base64url');
  if (decoded.length !== bytes) throw invalid(field, `must be ${what} (${bytes} bytes), got ${decoded.length} bytes`);
  return decoded;
}

/** RFC 8291 needs the browser's key as an uncompressed P-256 point, and a 16-byte auth secret. */
function checkKeys(keys: { p256dh: string; auth: string }): { p256dh: string; auth: string } {
  const point = base64urlBytes('subscription.keys.p256dh', keys.p256dh, 65, 'an uncompressed P-256 public key');
  try {
    // throws unless the point is on the curve: a key no message could be encrypted to
    const probe = createECDH('prime256v1');
    probe.generateKeys();
    probe.computeSecret(point);
  } catch {
    throw invalid('subscription.keys.p256dh', 'is not a point on the P-256 curve');
  }
  const auth = base64urlBytes('subscription.keys.auth', keys.auth, 16, 'the authentication secret');
  return { p256dh: point.toString('base64url'), auth: auth.toString('base64url') };
}

/**
 * Saves the caller's subscription for one device. The same endpoint subscribed again (another
 * person signed in on the same tablet) moves to the caller; a device that got a new endpoint
 * from its browser drops its old one for this person.
 */
export async function subscribe(
  db: Db,
  actor: Actor,
  input: PushSubscriptionBodyT,
  options: { userAgent?: string | undefined; allowLoopback: boolean },
): Promise<{ created: boolean; subscription: PushSubscriptionViewT }> {
  const userId = personOf(actor);
  const endpoint = checkEndpoint(input.subscription.endpoint, options.allowLoopback);
  const keys = checkKeys(input.subscription.keys);
  const deviceId = input.deviceId.trim();
  if (!deviceId) throw invalid('deviceId', 'must not be blank');
  const userAgent = options.userAgent?.slice(0, 300) ?? null;
  return db.transaction(async (tx) => {
    await tx
      .delete(pushSubscriptions)
      .where(
        and(
          eq(pushSubscriptions.userId, userId),
          eq(pushSubscriptions.deviceId, deviceId),
          ne(pushSubscriptions.endpoint, endpoint),
        ),
      );
    const before = await tx
      .select({ id: pushSubscriptions.id })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.endpoint, endpoint));
    const row = (
      await tx
        .insert(pushSubscriptions)
        .values({ userId, deviceId, endpoint, ...keys, userAgent })
        .onConflictDoUpdate({
          target: pushSubscriptions.endpoint,
          set: { userId, deviceId, ...keys, userAgent, failures: 0 },
        })
        .returning()
    )[0]!;
    // Each push is one request per subscription: a bound keeps one person from making thousands.
    await tx.execute(sql`DELETE FROM push_subscriptions WHERE id IN (
      SELECT id FROM push_subscriptions WHERE user_id = ${userId}
      ORDER BY created_at DESC, id OFFSET ${MAX_PER_USER})`);
    return { created: before.length === 0, subscription: view(row) };
  });
}

/** Removes the caller's subscription of this endpoint (the browser unsubscribed). */
export async function unsubscribe(db: Db, actor: Actor, endpoint: string): Promise<void> {
  const userId = personOf(actor);
  let stored = endpoint;
  try {
    stored = new URL(endpoint).toString(); // as subscribe() stored it
  } catch {
    // not a URL: matches nothing, answered 404 below
  }
  const gone = await db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, stored)))
    .returning({ id: pushSubscriptions.id });
  if (gone.length === 0) throw notFound('push subscription of endpoint', endpoint);
}

export async function listSubscriptions(db: Db, actor: Actor): Promise<PushSubscriptionViewT[]> {
  const userId = personOf(actor);
  const rows = await db
    .select()
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(pushSubscriptions.createdAt);
  return rows.map(view);
}

/** Every subscription of these users (the sender's view: keys included). */
export async function subscriptionsOf(db: Db, userIds: readonly string[]): Promise<Row[]> {
  if (userIds.length === 0) return [];
  return db
    .select()
    .from(pushSubscriptions)
    .where(inArray(pushSubscriptions.userId, [...userIds]));
}

/** The push service took a message. */
export async function markDelivered(db: Db, id: string, at = new Date()): Promise<void> {
  await db.update(pushSubscriptions).set({ lastSuccessAt: at, failures: 0 }).where(eq(pushSubscriptions.id, id));
}

/** The push service said the subscription is gone (404/410, RFC 8030 7.3): it never comes back. */
export async function dropSubscription(db: Db, id: string): Promise<void> {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
}

export async function countFailure(db: Db, id: string): Promise<void> {
  await db
    .update(pushSubscriptions)
    .set({ failures: sql`${pushSubscriptions.failures} + 1` })
    .where(eq(pushSubscriptions.id, id));
}
