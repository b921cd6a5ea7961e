import { eq } from 'drizzle-orm';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type KerfApp } from '../app/build-app.js';
import { users } from '../auth/tables.js';
import { loadConfig } from '../platform/config.js';
import { EventBus } from '../platform/events.js';
import { seedMiniShop } from '../test/fixtures.js';
import { bearer, createRoleUsers, loginEveryRole, testDatabase } from '../test/harness.js';
import { LoopbackPushService, type LoopbackSubscription } from '../test/loopback-push-service.js';
import { pushSubscriptions, pushVapidKeys } from './push-tables.js';
import { notifyRoles, notifyUser } from './service.js';

const MIN = 60_000;

describe('Web Push: subscriptions, VAPID and aes128gcm to a push service on loopback', () => {
  let kerf: KerfApp;
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let events: EventBus;
  let tokens: Awaited<ReturnType<typeof loginEveryRole>>;
  let push: LoopbackPushService;
  const logLines: string[] = [];

  beforeAll(async () => {
    database = await testDatabase();
    await createRoleUsers(database);
    events = new EventBus();
    const config = {
      ...loadConfig({ KERF_PUSH_ALLOW_LOOPBACK: 'true', KERF_VAPID_SUBJECT: 'mailto:shop@example.com' }),
      loginRateLimit: 1000,
      alarmTickSeconds: 0,
    };
    kerf = await buildApp(
      { database, config, events },
      { logger: true, logDestination: { write: (line) => void logLines.push(line) } },
    );
    tokens = await loginEveryRole(kerf.app);
    push = await new LoopbackPushService().start();
  });
  afterAll(async () => {
    await kerf.app.close();
    await push.stop();
    await database.drop();
  });

  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string, payload?: object) =>
    kerf.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
  const subscribeAs = async (token: string, deviceId: string, subscription: LoopbackSubscription) => {
    const res = await api('POST', '/api/v1/push/subscriptions', token, { deviceId, subscription });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res;
  };
  /** a notification as a module creates one: rows and event in one transaction */
  const notify = async (roles: string[], kind: string, title: string) =>
    database.db.transaction(async (tx) => {
      const created = await notifyRoles(tx, roles, { kind, title, body: `${title}: body`, link: '/somewhere' });
      for (const notification of created) await events.record(tx, { type: 'notification.created', notification });
      return created;
    });
  const settle = async () => {
    await kerf.outbox!.drain();
    await kerf.push!.settled();
  };

  it('the public key route answers the VAPID public key only, to every signed-in role', async () => {
    for (const role of ['operator', 'supervisor', 'production_manager', 'admin'] as const) {
      const res = await api('GET', '/api/v1/push/public-key', tokens[role]);
      expect(res.statusCode, res.body).toBe(200);
      expect(Object.keys(res.json() as object)).toEqual(['publicKey']);
    }
    const key = (await api('GET', '/api/v1/push/public-key', tokens.operator)).json() as { publicKey: string };
    const stored = (await database.db.select().from(pushVapidKeys))[0]!;
    expect(key.publicKey).toBe(stored.publicKey);
    expect(Buffer.from(key.publicKey, 'base64url')).toHaveLength(65);
    expect(JSON.stringify(key)).not.toContain(stored.privateKey);
    expect((await kerf.app.inject({ method: 'GET', url: '/api/v1/push/public-key' })).statusCode).toBe(401);
  });

  it('a notification reaches each addressed subscription once, decrypted to the exact payload', async () => {
    const sup = push.subscribe();
    const supTablet = push.subscribe();
    const op = push.subscribe();
    expect((await subscribeAs(tokens.supervisor, 'sup-phone', sup)).statusCode).toBe(201);
    await subscribeAs(tokens.supervisor, 'sup-tablet', supTablet);
    await subscribeAs(tokens.operator, 'op-phone', op);
    const mine = (await api('GET', '/api/v1/push/subscriptions', tokens.supervisor)).json() as {
      items: { deviceId: string; endpoint: string; failures: number }[];
    };
    expect(mine.items.map((s) => s.deviceId).sort()).toEqual(['sup-phone', 'sup-tablet']);
    expect(JSON.stringify(mine)).not.toContain(sup.keys.auth);

    const before = push.receipts.length;
    const [n] = await notify(['supervisor'], 'replan-suggested', 'Replan? LASER-01 is down');
    await settle();
    await push.waitFor(before + 2);
    expect(push.receipts.length).toBe(before + 2);
    for (const s of [sup, supTablet]) {
      const got = push.receiptsFor(s.endpoint);
      expect(got).toHaveLength(1);
      expect(JSON.parse(got[0]!.plaintext)).toEqual({
        title: 'Replan? LASER-01 is down',
        body: 'Replan? LASER-01 is down: body',
        link: '/somewhere',
        kind: 'replan-suggested',
        notificationId: n!.id,
      });
      expect(got[0]!.urgency).toBe('normal');
      expect(got[0]!.claims.sub).toBe('mailto:shop@example.com');
      const stored = (await database.db.select().from(pushVapidKeys))[0]!;
      expect(got[0]!.vapidKey).toBe(stored.publicKey);
    }
    expect(push.receiptsFor(op.endpoint)).toEqual([]);
    expect(push.rejections).toEqual([]);

    // the same event again (a redelivery, or another worker's copy from the fan-out): no second push
    await Promise.all(await kerf.push!['fanOut'](n!));
    events.publish({ type: 'notification.created', notification: n! });
    await kerf.push!.settled();
    await new Promise((r) => setTimeout(r, 100));
    expect(push.receipts.length).toBe(before + 2);

    const last = (await api('GET', '/api/v1/push/subscriptions', tokens.supervisor)).json() as {
      items: { lastSuccessAt: string | null }[];
    };
    expect(last.items.every((s) => s.lastSuccessAt !== null)).toBe(true);
  });

  it('a notification for one user reaches only that user; latency from insert to decrypted receipt', async () => {
    const opId = (await database.db.select().from(users).where(eq(users.username, 'operator')))[0]!.id;
    const op = push.subscribe();
    await subscribeAs(tokens.operator, 'op-tablet-2', op);
    // the operator's phone from the earlier case and this tablet
    const listed = (await api('GET', '/api/v1/push/subscriptions', tokens.operator)).json() as {
      items: { endpoint: string }[];
    };
    const endpoints = listed.items.map((s) => s.endpoint).sort();
    expect(endpoints).toHaveLength(2);
    expect(endpoints).toContain(op.endpoint);
    const latencies: number[] = [];
    const start = push.receipts.length;
    for (let i = 0; i < 20; i++) {
      const before = push.receipts.length;
      const t0 = performance.now();
      await database.db.transaction(async (tx) => {
        const notification = await notifyUser(tx, opId, { kind: 'rush-job', title: `Rush ${i}`, body: 'now' });
        await events.record(tx, { type: 'notification.created', notification });
      });
      // no manual drain: the drainer wakes on the record, the sender on the event
      await push.waitFor(before + 2);
      const got = push.receipts.slice(before);
      latencies.push(Math.max(...got.map((r) => r.receivedAt)) - t0);
      expect(got.map((r) => r.endpoint).sort()).toEqual(endpoints);
      for (const r of got) {
        expect(JSON.parse(r.plaintext)).toMatchObject({ title: `Rush ${i}`, kind: 'rush-job' });
        expect(r.urgency).toBe('high');
      }
    }
    await kerf.push!.settled();
    expect(push.receipts.length - start).toBe(40);
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    process.stdout.write(
      `push latency, notification insert -> decrypted receipt (20 notifications x 2 devices, ${database.kind}): p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms\n`,
    );
    expect(p(0.5)).toBeLessThan(1000);
  });

  it('a machine down longer than the threshold is pushed to supervisors with urgency high', async () => {
    await seedMiniShop(kerf.app, tokens.admin);
    const sup = push.subscribe();
    await subscribeAs(tokens.supervisor, 'sup-radio', sup);
    const [machine] = await database.query<{ id: string }>(
      `INSERT INTO machines (code, name, work_center_id, department_id, protocol)
       VALUES ('WELD-01', 'WELD-01 machine', 'WELD-01', 'weld', 'mqtt') RETURNING id`,
    );
    const since = new Date();
    await database.query(
      `INSERT INTO machine_status (machine_id, state, since, last_seen) VALUES ($1, 'alarm', $2, $2)`,
      [machine!.id, since.toISOString()],
    );
    events.publish({
      type: 'machine.status',
      machineId: 'WELD-01',
      departmentId: 'weld',
      changed: ['state'],
      at: since.toISOString(),
      status: {
        machineId: machine!.id,
        code: 'WELD-01',
        departmentId: 'weld',
        state: 'alarm',
        since: since.toISOString(),
        partCount: null,
        program: null,
        jobId: null,
        activeAlarms: [],
        lastSeen: since.toISOString(),
        metrics: {},
      },
    });
    await kerf.alarmWatch.settled();
    const fired = await kerf.alarmWatch.tick(new Date(since.getTime() + 16 * MIN));
    expect(fired.fired.map((f) => f.ruleId)).toEqual(['machine-down']);
    await settle();
    const got = push.receiptsFor(sup.endpoint).map((r) => ({ ...(JSON.parse(r.plaintext) as object), u: r.urgency }));
    expect(got).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'alarm-rule.machine-down', title: 'WELD-01 down for 16 min', u: 'high' }),
        expect.objectContaining({ kind: 'replan-suggested', u: 'normal' }),
      ]),
    );
    expect(got).toHaveLength(2);
  });

  it('410 from the push service removes the subscription; a 500 is counted and logged without the endpoint path', async () => {
    const gone = push.subscribe();
    const sick = push.subscribe();
    await subscribeAs(tokens.production_manager, 'pm-old-phone', gone);
    await subscribeAs(tokens.production_manager, 'pm-tablet', sick);
    push.answer(gone.endpoint, 410);
    push.answer(sick.endpoint, 500);
    const rejectedBefore = push.rejections.length;
    await notify(['production_manager'], 'replan-suggested', 'one');
    await settle();
    expect(push.rejections.length).toBe(rejectedBefore + 2);
    const left = await database.db
      .select()
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.deviceId, 'pm-tablet'))
      .union(database.db.select().from(pushSubscriptions).where(eq(pushSubscriptions.deviceId, 'pm-old-phone')));
    expect(left.map((s) => [s.deviceId, s.failures])).toEqual([['pm-tablet', 1]]);
    const warned = logLines.filter((l) => l.includes('push service refused'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain(new URL(sick.endpoint).origin);
    expect(warned[0]).toContain('"status":500');
    for (const s of [sick, gone]) expect(logLines.join('\n')).not.toContain(new URL(s.endpoint).pathname);
    const stored = (await database.db.select().from(pushVapidKeys))[0]!;
    expect(logLines.join('\n')).not.toContain(stored.privateKey);
  });

  it('the push service rejects what is not signed with the published key or not encrypted to the subscription', async () => {
    // the oracle can fail: a message signed with another key pair, and one encrypted to other keys
    const target = push.subscribe();
    const other = push.subscribe();
    const stranger = webpush.generateVAPIDKeys();
    const send = async (keys: LoopbackSubscription['keys'], vapid: { publicKey: string; privateKey: string }) => {
      const req = webpush.generateRequestDetails({ endpoint: target.endpoint, keys }, 'hello', {
        vapidDetails: { subject: 'mailto:x@example.com', ...vapid },
      });
      const headers = Object.fromEntries(
        Object.entries(req.headers)
          .filter(([k]) => k !== 'Content-Length')
          .map(([k, v]) => [k, String(v)]),
      );
      return (await fetch(target.endpoint, { method: 'POST', headers, body: req.body })).status;
    };
    const forged = { ...stranger, publicKey: webpush.generateVAPIDKeys().publicKey };
    expect(await send(target.keys, forged)).toBe(403);
    expect(await send(other.keys, stranger)).toBe(400);
    expect(push.rejections.slice(-2).map((r) => r.reason)).toEqual([
      'JWT signature does not verify with k',
      'record 0 does not decrypt (wrong keys or derivation)',
    ]);
    expect(await send(target.keys, stranger)).toBe(201);
    expect(push.receiptsFor(target.endpoint).map((r) => r.plaintext)).toEqual(['hello']);
  });

  it('bad keys or endpoints answer 400 naming the field; nothing is saved', async () => {
    const good = push.subscribe();
    const count = async () => (await database.db.select().from(pushSubscriptions)).length;
    const n = await count();
    const cases: [object, string][] = [
      [{ ...good, keys: { ...good.keys, p256dh: good.keys.p256dh.slice(0, 40) } }, 'subscription.keys.p256dh'],
      [
        { ...good, keys: { ...good.keys, p256dh: Buffer.alloc(65, 4).toString('base64url') } },
        'subscription.keys.p256dh',
      ],
      [{ ...good, keys: { ...good.keys, auth: Buffer.alloc(12, 1).toString('base64url') } }, 'subscription.keys.auth'],
      [{ ...good, keys: { ...good.keys, auth: 'not base64!' } }, 'subscription.keys.auth'],
      [{ ...good, keys: { p256dh: good.keys.p256dh } }, 'subscription.keys.auth'],
      [{ ...good, endpoint: 'ftp://push.example.com/x' }, 'subscription.endpoint'],
      [{ ...good, endpoint: 'http://push.example.com/x' }, 'subscription.endpoint'],
      [{ ...good, endpoint: 'https://user:pw@push.example.com/x' }, 'subscription.endpoint'],
      [{ ...good, endpoint: 'not a url' }, 'subscription.endpoint'],
    ];
    for (const [subscription, field] of cases) {
      const res = await api('POST', '/api/v1/push/subscriptions', tokens.operator, { deviceId: 'd', subscription });
      expect(res.statusCode, res.body).toBe(400);
      expect((res.json() as { field: string }).field, res.body).toBe(field);
    }
    const noDevice = await api('POST', '/api/v1/push/subscriptions', tokens.operator, { subscription: good });
    expect(noDevice.json()).toMatchObject({ field: 'deviceId' });
    expect(await count()).toBe(n);
  });

  it('a station token alone cannot subscribe; an operator signed in on the station can', async () => {
    const created = await api('POST', '/api/v1/floor/stations', tokens.admin, {
      name: 'Weld tablet',
      workCenterIds: ['WELD-01'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const station = created.json() as { token: string };
    const opId = (await database.db.select().from(users).where(eq(users.username, 'operator')))[0]!.id;
    const cred = await kerf.app.inject({
      method: 'PUT',
      url: `/api/v1/users/${opId}/floor-credential`,
      headers: bearer(tokens.admin),
      payload: { badge: 'b-200', pin: '2468' },
    });
    expect(cred.statusCode, cred.body).toBe(200);
    const sub = push.subscribe();
    for (const [method, url, payload] of [
      ['POST', '/api/v1/push/subscriptions', { deviceId: 'weld-tablet', subscription: sub }],
      ['GET', '/api/v1/push/subscriptions', undefined],
      ['GET', '/api/v1/push/public-key', undefined],
    ] as const) {
      const res = await api(method, url, station.token, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    const signIn = await api('POST', '/api/v1/floor/sign-in', station.token, { userId: opId, pin: '2468' });
    expect(signIn.statusCode, signIn.body).toBe(200);
    const session = (signIn.json() as { token: string }).token;
    const res = await api('POST', '/api/v1/push/subscriptions', session, {
      deviceId: 'weld-tablet',
      subscription: sub,
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('the same endpoint subscribed by another person moves to them; DELETE removes only the caller’s', async () => {
    const shared = push.subscribe();
    await subscribeAs(tokens.operator, 'shared-tablet', shared);
    const again = await subscribeAs(tokens.supervisor, 'shared-tablet', shared);
    expect(again.statusCode).toBe(200);
    const ofOp = (await api('GET', '/api/v1/push/subscriptions', tokens.operator)).json() as {
      items: { endpoint: string }[];
    };
    expect(ofOp.items.map((s) => s.endpoint)).not.toContain(shared.endpoint);
    // a new endpoint from the same browser replaces the old one of this person and device
    const renewed = push.subscribe();
    await subscribeAs(tokens.supervisor, 'shared-tablet', renewed);
    const ofSup = (await api('GET', '/api/v1/push/subscriptions', tokens.supervisor)).json() as {
      items: { endpoint: string; deviceId: string }[];
    };
    expect(ofSup.items.filter((s) => s.deviceId === 'shared-tablet').map((s) => s.endpoint)).toEqual([
      renewed.endpoint,
    ]);
    const notMine = await api('DELETE', '/api/v1/push/subscriptions', tokens.operator, { endpoint: renewed.endpoint });
    expect(notMine.statusCode).toBe(404);
    const del = await api('DELETE', '/api/v1/push/subscriptions', tokens.supervisor, { endpoint: renewed.endpoint });
    expect(del.statusCode, del.body).toBe(204);
    const after = (await api('GET', '/api/v1/push/subscriptions', tokens.supervisor)).json() as {
      items: { endpoint: string }[];
    };
    expect(after.items.map((s) => s.endpoint)).not.toContain(renewed.endpoint);
  });
});
