import { and, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../platform/db.js';
import { notFound } from '../platform/errors.js';
import { notificationReads, notifications } from './tables.js';

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  recipientRole: string | null;
  recipientUserId: string | null;
  createdAt: string;
  /** when the calling user read it; null when unread (always null in the created event) */
  readAt: string | null;
}

export interface NewNotification {
  kind: string;
  title: string;
  body: string;
  link?: string | null;
  firingId?: string | null;
}

type Row = typeof notifications.$inferSelect;

function publicNotification(row: Row, readAt: Date | null): Notification {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    link: row.link,
    recipientRole: row.recipientRole,
    recipientUserId: row.recipientUserId,
    createdAt: row.createdAt.toISOString(),
    readAt: readAt?.toISOString() ?? null,
  };
}

/** Writes one notification per role (call inside the transaction that decides to notify). */
export async function notifyRoles(tx: Db, roles: readonly string[], n: NewNotification): Promise<Notification[]> {
  if (roles.length === 0) return [];
  const rows = await tx
    .insert(notifications)
    .values(
      roles.map((role) => ({
        recipientRole: role,
        kind: n.kind,
        title: n.title,
        body: n.body,
        link: n.link ?? null,
        firingId: n.firingId ?? null,
      })),
    )
    .returning();
  return rows.map((r) => publicNotification(r, null));
}

export async function notifyUser(tx: Db, userId: string, n: NewNotification): Promise<Notification> {
  const row = (
    await tx
      .insert(notifications)
      .values({
        recipientUserId: userId,
        kind: n.kind,
        title: n.title,
        body: n.body,
        link: n.link ?? null,
        firingId: n.firingId ?? null,
      })
      .returning()
  )[0]!;
  return publicNotification(row, null);
}

/** Is this notification addressed to the actor (its user id or role)? */
export function addressedTo(n: Pick<Notification, 'recipientRole' | 'recipientUserId'>, actor: Actor): boolean {
  if (actor.type !== 'user') return false;
  return n.recipientUserId === actor.id || (n.recipientRole !== null && n.recipientRole === actor.role);
}

function mine(actor: Actor): SQL | undefined {
  if (actor.type !== 'user') return undefined;
  const byUser = eq(notifications.recipientUserId, actor.id);
  return actor.role ? or(byUser, eq(notifications.recipientRole, actor.role)) : byUser;
}

export async function listNotifications(
  db: Db,
  actor: Actor,
  filter: { unread?: boolean; limit: number; offset: number },
): Promise<{ items: Notification[]; total: number; unread: number }> {
  const scope = mine(actor);
  // API keys are integrations, not people: nobody reads notifications for them.
  if (!scope) return { items: [], total: 0, unread: 0 };
  const where = [scope];
  if (filter.unread) where.push(isNull(notificationReads.readAt));
  const rows = await db
    .select({
      n: notifications,
      readAt: notificationReads.readAt,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(notifications)
    .leftJoin(
      notificationReads,
      and(eq(notificationReads.notificationId, notifications.id), eq(notificationReads.userId, actor.id)),
    )
    .where(and(...where))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(filter.limit)
    .offset(filter.offset);
  const unread = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(notifications)
    .leftJoin(
      notificationReads,
      and(eq(notificationReads.notificationId, notifications.id), eq(notificationReads.userId, actor.id)),
    )
    .where(and(scope, isNull(notificationReads.readAt)));
  return {
    items: rows.map((r) => publicNotification(r.n, r.readAt)),
    total: rows[0]?.total ?? 0,
    unread: unread[0]?.n ?? 0,
  };
}

/** Marks one of the actor's notifications read (idempotent); 404 when it is not addressed to them. */
export async function markRead(db: Db, actor: Actor, id: string, now = new Date()): Promise<Notification> {
  const scope = mine(actor);
  if (!scope) throw notFound('notification', id);
  return db.transaction(async (tx) => {
    const row = (
      await tx
        .select()
        .from(notifications)
        .where(and(eq(notifications.id, id), scope))
        .limit(1)
    )[0];
    if (!row) throw notFound('notification', id);
    await tx
      .insert(notificationReads)
      .values({ notificationId: id, userId: actor.id, readAt: now })
      .onConflictDoNothing();
    const read = await tx
      .select({ readAt: notificationReads.readAt })
      .from(notificationReads)
      .where(and(eq(notificationReads.notificationId, id), eq(notificationReads.userId, actor.id)));
    return publicNotification(row, read[0]?.readAt ?? now);
  });
}

/** Marks every unread notification of the actor read; returns how many changed. */
export async function markAllRead(db: Db, actor: Actor, now = new Date()): Promise<{ marked: number }> {
  const scope = mine(actor);
  if (!scope) return { marked: 0 };
  const unread = await db
    .select({ id: notifications.id })
    .from(notifications)
    .leftJoin(
      notificationReads,
      and(eq(notificationReads.notificationId, notifications.id), eq(notificationReads.userId, actor.id)),
    )
    .where(and(scope, isNull(notificationReads.readAt)));
  if (unread.length === 0) return { marked: 0 };
  const inserted = await db
    .insert(notificationReads)
    .values(unread.map((u) => ({ notificationId: u.id, userId: actor.id, readAt: now })))
    .onConflictDoNothing()
    .returning();
  return { marked: inserted.length };
}
