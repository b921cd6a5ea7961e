import { sql } from 'drizzle-orm';
import webpush from 'web-push';
import { listUsers } from '../auth/service.js';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';
import { vapidIdentityCache } from './push-keys.js';
import { countFailure, dropSubscription, markDelivered, subscriptionsOf } from './push-subscriptions.js';
import type { Notification } from './service.js';

export interface PushLog {
  warn(details: object, message: string): void;
}

export interface PushSenderOptions {
  /** requests to push services in flight at once (all notifications together) */
  concurrency?: number;
  /** how long one push service may take to answer */
  timeoutMs?: number;
  /** notifications waiting to be pushed; beyond it the oldest is skipped (it stays in the app) */
  maxBacklog?: number;
}

/** What the service worker receives (the floor app shows it with showNotification). */
export interface PushPayload {
  title: string;
  body: string;
  link: string | null;
  kind: string;
  notificationId: string;
}

// One aes128gcm record holds 4,096 bytes with the key header: keep the JSON well below it.
const MAX_BODY = 1000;
const PURGE_EVERY_MS = 3_600_000;

/** Machine down, faults and floor issues wake a phone at once, and are stale after an hour. */
export function deliveryOf(kind: string): { urgency: 'high' | 'normal'; ttlSeconds: number } {
  const urgent = kind.startsWith('alarm-rule.') || /issue/.test(kind) || kind === 'rush-job';
  return urgent ? { urgency: 'high', ttlSeconds: 3600 } : { urgency: 'normal', ttlSeconds: 24 * 3600 };
}

/** Where a subscription points, without its path: the path is the capability to push to that browser. */
const originOf = (endpoint: string) => {
  try {
    return new URL(endpoint).origin;
  } catch {
    return 'invalid endpoint';
  }
};

/**
 * Pushes every created notification to the browsers of the people it is addressed to. It runs
 * where the outbox is drained (the worker), off the request path: the event only queues work.
 * Before sending, the notification is claimed in push_dispatches, so another worker receiving
 * the same event through the fan-out, or a redelivery after a crash, does not push it again
 * (at most once: a crash between the claim and the sends loses that push, not the notification).
 */
export class PushSender {
  private readonly backlog: Notification[] = [];
  private inFlight = 0;
  private readonly slots: (() => void)[] = [];
  private draining: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastPurge = 0;
  private readonly identity;
  readonly counts = { notifications: 0, sent: 0, gone: 0, failed: 0, skipped: 0 };

  constructor(
    private readonly db: () => Db,
    private readonly events: EventBus,
    config: Pick<Config, 'vapidKeys' | 'vapidSubject'>,
    private readonly log: PushLog,
    private readonly options: PushSenderOptions = {},
  ) {
    this.identity = vapidIdentityCache(db, config);
  }

  start(): void {
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.type !== 'notification.created') return;
      this.backlog.push(event.notification);
      if (this.backlog.length > (this.options.maxBacklog ?? 10_000)) {
        this.backlog.shift();
        this.counts.skipped++;
      }
      this.kick();
    });
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      // events that came while the last sends were finishing
      if (this.backlog.length > 0 && this.unsubscribe) this.kick();
    });
  }

  /** Stops taking events and waits for the pushes under way. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.settled();
  }

  /** Resolves when every queued notification has been pushed (tests). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    const pending: Promise<void>[] = [];
    for (let n = this.backlog.shift(); n; n = this.backlog.shift()) {
      try {
        pending.push(...(await this.fanOut(n)));
      } catch (err) {
        this.log.warn({ err, notificationId: n.id }, 'push: could not prepare the notification’s pushes');
      }
    }
    await Promise.all(pending);
  }

  /** Claims the notification, then starts one send per subscription (bounded by the pool). */
  private async fanOut(n: Notification): Promise<Promise<void>[]> {
    const db = this.db();
    const claimed = await db.execute(
      sql`INSERT INTO push_dispatches (notification_id) VALUES (${n.id}) ON CONFLICT DO NOTHING RETURNING notification_id`,
    );
    await this.purge(db);
    if ((claimed as unknown as { rows: unknown[] }).rows.length === 0) return [];
    this.counts.notifications++;
    const people = (await listUsers(db)).filter(
      (u) => u.isActive && (u.id === n.recipientUserId || (n.recipientRole !== null && u.role === n.recipientRole)),
    );
    const subscriptions = await subscriptionsOf(
      db,
      people.map((u) => u.id),
    );
    if (subscriptions.length === 0) return [];
    const identity = await this.identity();
    const payload: PushPayload = {
      title: n.title,
      body: n.body.length > MAX_BODY ? `${n.body.slice(0, MAX_BODY - 1)}…` : n.body,
      link: n.link,
      kind: n.kind,
      notificationId: n.id,
    };
    const text = JSON.stringify(payload);
    const { urgency, ttlSeconds } = deliveryOf(n.kind);
    return subscriptions.map((s) =>
      this.pooled(async () => {
        const request = webpush.generateRequestDetails(
          { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } },
          text,
          {
            vapidDetails: identity,
            TTL: ttlSeconds,
            urgency,
            contentEncoding: 'aes128gcm',
          },
        );
        await this.send(db, s.id, s.endpoint, request, n.id);
      }),
    );
  }

  private async send(
    db: Db,
    id: string,
    endpoint: string,
    request: { headers: Record<string, string | number>; body: Buffer | null },
    notificationId: string,
  ): Promise<void> {
    // fetch sets the length itself, and follows no redirect: a push service answers, it does not forward.
    const headers = Object.fromEntries(
      Object.entries(request.headers)
        .filter(([k]) => k.toLowerCase() !== 'content-length')
        .map(([k, v]) => [k, String(v)]),
    );
    let status: number;
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      this.counts.failed++;
      await countFailure(db, id);
      this.log.warn(
        { pushService: originOf(endpoint), subscriptionId: id, notificationId, reason: (err as Error).message },
        'push: the push service could not be reached',
      );
      return;
    }
    if (status >= 200 && status < 300) {
      this.counts.sent++;
      await markDelivered(db, id);
    } else if (status === 404 || status === 410) {
      this.counts.gone++;
      await dropSubscription(db, id);
    } else {
      this.counts.failed++;
      await countFailure(db, id);
      this.log.warn(
        { pushService: originOf(endpoint), subscriptionId: id, notificationId, status },
        'push: the push service refused the message',
      );
    }
  }

  private async pooled(work: () => Promise<void>): Promise<void> {
    while (this.inFlight >= (this.options.concurrency ?? 8)) await new Promise<void>((r) => this.slots.push(r));
    this.inFlight++;
    try {
      await work();
    } catch (err) {
      this.counts.failed++;
      this.log.warn({ err }, 'push: sending failed');
    } finally {
      this.inFlight--;
      this.slots.shift()?.();
    }
  }

  private async purge(db: Db): Promise<void> {
    if (Date.now() - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = Date.now();
    await db.execute(sql`DELETE FROM push_dispatches WHERE claimed_at < now() - interval '7 days'`);
  }
}
