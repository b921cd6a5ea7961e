import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { encodeCode } from '@kerf/floor-codes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../auth/tables.js';
import { scheduleSlots } from '../planning/tables.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';

interface Result {
  id: string;
  status: string;
  message: string;
  field?: string;
}

describe('floor transactions API (the offline queue’s contract)', () => {
  let t: TestApp;
  let station: { id: string; token: string };
  let operatorId: string;
  const op: Record<number, string> = {};
  let seq = 0;
  const device = `tablet-${randomUUID().slice(0, 8)}`;

  const tx = (type: string, extra: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    deviceId: device,
    seq: ++seq,
    at: new Date().toISOString(),
    type,
    ...extra,
  });
  const send = async (token: string, transactions: object[], deviceSentAt = new Date()) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/floor/transactions',
      headers: bearer(token),
      payload: { transactions, sentAt: deviceSentAt.toISOString() },
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { results: Result[] }).results;
  };
  const view = async (operationId: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/floor/operations/${operationId}`,
      headers: bearer(t.tokens.operator),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      status: string;
      good: number;
      scrap: number;
      actualStart: string | null;
      actualEnd: string | null;
      laborMinutes: number;
      working: unknown[];
    };
  };

  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
    const job = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.admin),
      payload: { ...sampleJob('J-F1'), quantity: 4 },
    });
    expect(job.statusCode, job.body).toBe(201);
    for (const r of (job.json() as { routings: Array<{ id: string; sequence: number }> }).routings)
      op[r.sequence] = r.id;
    const slot = await t.app.inject({
      method: 'POST',
      url: '/api/v1/schedule-slots',
      headers: bearer(t.tokens.supervisor),
      payload: {
        routingId: op[10],
        workCenterId: 'LASER-01',
        plannedStart: '2027-01-04T07:00:00Z',
        plannedEnd: '2027-01-04T08:00:00Z',
      },
    });
    expect(slot.statusCode, slot.body).toBe(201);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/floor/stations',
      headers: bearer(t.tokens.admin),
      payload: { name: 'Laser tablet', workCenterIds: ['LASER-01'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    station = created.json() as { id: string; token: string };
    operatorId = (await t.database.db.select().from(users).where(eq(users.username, 'operator')))[0]!.id;
    const cred = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/users/${operatorId}/floor-credential`,
      headers: bearer(t.tokens.admin),
      payload: { badge: 'b-100', pin: '4711' },
    });
    expect(cred.statusCode, cred.body).toBe(200);
  });
  afterAll(async () => t.close());

  it('a station token opens only the station screen and sign-in', async () => {
    const screen = await t.app.inject({ method: 'GET', url: '/api/v1/floor/station', headers: bearer(station.token) });
    expect(screen.statusCode, screen.body).toBe(200);
    expect(screen.json()).toMatchObject({ station: { name: 'Laser tablet', workCenterIds: ['LASER-01'] } });
    expect((screen.json() as { operators: Array<{ username: string }> }).operators.map((o) => o.username)).toEqual([
      'operator',
    ]);
    for (const url of ['/api/v1/jobs', '/api/v1/users', '/api/v1/work-centers/LASER-01/queue']) {
      const res = await t.app.inject({ method: 'GET', url, headers: bearer(station.token) });
      expect(res.statusCode, url).toBe(403);
    }
    // a person's session cannot open the station screen
    const asUser = await t.app.inject({ method: 'GET', url: '/api/v1/floor/station', headers: bearer(t.tokens.admin) });
    expect(asUser.statusCode).toBe(403);
  });

  it('signs an operator in by badge or PIN; a wrong PIN names the pin', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/floor/sign-in',
      headers: bearer(station.token),
      payload: { userId: operatorId, pin: '0000' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ error: 'bad_pin', field: 'pin' });
    const byPin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/floor/sign-in',
      headers: bearer(station.token),
      payload: { userId: operatorId, pin: '4711' },
    });
    expect(byPin.statusCode, byPin.body).toBe(200);
    const byBadge = await t.app.inject({
      method: 'POST',
      url: '/api/v1/floor/sign-in',
      headers: bearer(station.token),
      payload: { badge: 'B-100' },
    });
    expect(byBadge.statusCode, byBadge.body).toBe(200);
    const token = (byBadge.json() as { token: string }).token;
    // what a wedge scanner types from the badge card, Enter included
    const scanned = await t.app.inject({
      method: 'POST',
      url: '/api/v1/floor/sign-in',
      headers: bearer(station.token),
      payload: { badge: `${encodeCode({ type: 'badge', badge: 'B-100' })}\r` },
    });
    expect(scanned.statusCode, scanned.body).toBe(200);
    const unprintable = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/users/${operatorId}/floor-credential`,
      headers: bearer(t.tokens.admin),
      payload: { badge: 'B/100' },
    });
    expect(unprintable.statusCode).toBe(400);
    expect(unprintable.json()).toMatchObject({ field: 'badge' });
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
    expect(me.json()).toMatchObject({ name: 'operator', role: 'operator', stationId: station.id });
  });

  it('applies a batch once however often it is sent, and closes the loop to the slot', async () => {
    const batch = [
      tx('start', { operationId: op[10], employee: 'B-100' }),
      tx('count', { operationId: op[10], employee: 'B-100', good: 2 }),
      tx('pause', { operationId: op[10], employee: operatorId, reason: 'break' }),
      tx('resume', { operationId: op[10], employee: 'b-100' }),
    ];
    const first = await send(station.token, batch);
    expect(
      first.map((r) => r.status),
      JSON.stringify(first),
    ).toEqual(['applied', 'applied', 'applied', 'applied']);
    for (let i = 0; i < 4; i++) {
      expect((await send(station.token, batch)).map((r) => r.status)).toEqual([
        'duplicate',
        'duplicate',
        'duplicate',
        'duplicate',
      ]);
    }
    const v = await view(op[10]!);
    expect(v).toMatchObject({ status: 'running', good: 2, scrap: 0, actualEnd: null });
    expect(v.working).toHaveLength(1);
    const slot = (await t.database.db.select().from(scheduleSlots).where(eq(scheduleSlots.routingId, op[10]!)))[0]!;
    expect(slot.status).toBe('in_progress');
    expect(slot.actualStart?.toISOString()).toBe(v.actualStart);
  });

  it('shows the work center queue with what the floor did: status, good, left, and where the parts go next', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/floor/work-centers/LASER-01/queue',
      headers: bearer(t.tokens.operator),
    });
    expect(res.statusCode, res.body).toBe(200);
    const queue = res.json() as {
      items: Array<{
        operationId: string;
        floorStatus: string;
        good: number;
        remaining: number;
        quantity: number;
        revision: number;
        parts: Array<{ material: string; thickness: number }>;
        next: { sequence: number } | null;
      }>;
    };
    const item = queue.items.find((i) => i.operationId === op[10]);
    expect(item).toMatchObject({ floorStatus: 'running', good: 2, quantity: 4, remaining: 2, revision: 1 });
    expect(item!.parts.length).toBeGreaterThan(0);
    // FORM (30) depends on CUT (10); CUT-LEGS (20) runs beside it, so it is not "next"
    expect(item!.next?.sequence).toBe(30);
    // the station's token alone does not read the queue (an operator must sign in)
    const bare = await t.app.inject({
      method: 'GET',
      url: '/api/v1/floor/work-centers/LASER-01/queue',
      headers: bearer(station.token),
    });
    expect(bare.statusCode).toBe(403);
  });

  it('refuses an overrun without a reason, naming good; takes it with one; scrap needs a scrap reason', async () => {
    const [over] = await send(station.token, [tx('count', { operationId: op[10], employee: 'B-100', good: 3 })]);
    expect(over).toMatchObject({ status: 'rejected', field: 'good' });
    const [noReason] = await send(station.token, [tx('count', { operationId: op[10], employee: 'B-100', scrap: 1 })]);
    expect(noReason).toMatchObject({ status: 'rejected', field: 'reason' });
    const [scrap] = await send(station.token, [
      tx('count', { operationId: op[10], employee: 'B-100', scrap: 1, reason: 'SCRAP_DIM' }),
    ]);
    expect(scrap!.status).toBe('applied');
    const [extra] = await send(station.token, [
      tx('count', { operationId: op[10], employee: 'B-100', good: 2, reason: 'OVERRUN_SPARES' }),
    ]);
    expect(extra!.status, extra!.message).toBe('applied');
    expect(await view(op[10]!)).toMatchObject({ good: 4, scrap: 1 });
  });

  it('finishing twice is a conflict; the slot is complete with its actual end', async () => {
    const [done] = await send(station.token, [tx('finish', { operationId: op[10], employee: 'B-100' })]);
    expect(done!.status).toBe('applied');
    const [again] = await send(station.token, [tx('finish', { operationId: op[10], employee: 'B-100' })]);
    expect(again).toMatchObject({ status: 'conflict' });
    expect(again!.message).toMatch(/already finished/);
    const v = await view(op[10]!);
    expect(v.status).toBe('finished');
    const slot = (await t.database.db.select().from(scheduleSlots).where(eq(scheduleSlots.routingId, op[10]!)))[0]!;
    expect(slot.status).toBe('complete');
    expect(slot.actualEnd?.toISOString()).toBe(v.actualEnd);
  });

  it('one batch mixes outcomes, each its own unit; order and people are checked', async () => {
    const results = await send(station.token, [
      tx('start', { operationId: op[20], employee: 'B-100' }),
      tx('start', { operationId: op[40], employee: 'B-100' }), // waits for 20 and 30
      tx('start', { operationId: randomUUID(), employee: 'B-100' }),
      tx('start', { operationId: op[20], employee: 'NOBODY' }),
      tx('jump', { operationId: op[20], employee: 'B-100' }),
      { ...tx('count', { operationId: op[20], employee: 'B-100', good: 1 }), seq: 1 },
    ]);
    expect(results.map((r) => [r.status, r.field])).toEqual([
      ['applied', undefined],
      ['conflict', undefined],
      ['rejected', 'operationId'],
      ['rejected', 'employee'],
      ['rejected', 'type'],
      ['rejected', 'seq'],
    ]);
    expect(results[1]!.message).toMatch(/not ready: waits for .*FORM/);
    expect((await view(op[20]!)).status).toBe('running');
  });

  it('only a supervisor overrides the queue; a station books only people signed in on it', async () => {
    const [byOperator] = await send(t.tokens.operator, [tx('start', { operationId: op[40], override: true })]);
    expect(byOperator).toMatchObject({ status: 'rejected', field: 'override' });
    const [bySupervisor] = await send(t.tokens.supervisor, [tx('start', { operationId: op[40], override: true })]);
    expect(bySupervisor!.status, bySupervisor!.message).toBe('applied');
    const [notHere] = await send(station.token, [tx('clock_in', { employee: 'supervisor' })]);
    expect(notHere).toMatchObject({ status: 'rejected', field: 'employee' });
    const [before] = await send(station.token, [
      tx('clock_in', { employee: 'B-100', at: new Date(Date.now() - 3600_000).toISOString() }),
    ]);
    expect(before).toMatchObject({ status: 'rejected', field: 'employee' });
    expect(before!.message).toMatch(/was not signed in on this station/);
  });

  it('clock in and out; clocking out ends the person’s labor; a second clock-in conflicts', async () => {
    const r = await send(station.token, [
      tx('clock_in', { employee: 'B-100' }),
      tx('clock_in', { employee: 'B-100' }),
      tx('clock_out', { employee: 'B-100' }),
    ]);
    expect(r.map((x) => x.status)).toEqual(['applied', 'conflict', 'applied']);
    const me = async () =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/floor/me', headers: bearer(t.tokens.operator) })).json() as {
        clockedIn: boolean;
        since: string | null;
      };
    expect(await me()).toMatchObject({ clockedIn: false, since: null });
    await send(t.tokens.operator, [tx('clock_in')]);
    expect((await me()).clockedIn).toBe(true);
    await send(t.tokens.operator, [tx('clock_out')]);
    const asStation = await t.app.inject({ method: 'GET', url: '/api/v1/floor/me', headers: bearer(station.token) });
    expect(asStation.statusCode).toBe(403);
    // the supervisor's list holds every tablet's refused transactions, the conflict above included
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/floor/problems',
      headers: bearer(t.tokens.supervisor),
    });
    expect(list.statusCode, list.body).toBe(200);
    const items = (list.json() as { items: Array<{ id: string; status: string }> }).items;
    expect(items.find((i) => i.id === r[1]!.id)).toMatchObject({ status: 'conflict' });
    const denied = await t.app.inject({
      method: 'GET',
      url: '/api/v1/floor/problems',
      headers: bearer(t.tokens.operator),
    });
    expect(denied.statusCode).toBe(403);
    const v = await view(op[20]!);
    expect(v.working).toHaveLength(0);
    expect(v.status).toBe('paused');
  });

  it('a page sent twice at once (a retry while the first is still running) applies each transaction once', async () => {
    const job = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.admin),
      payload: { ...sampleJob('J-F-RACE'), quantity: 20 },
    });
    expect(job.statusCode, job.body).toBe(201);
    const first = (job.json() as { routings: Array<{ id: string; sequence: number }> }).routings.sort(
      (a, b) => a.sequence - b.sequence,
    )[0]!.id;
    const page = [
      tx('start', { operationId: first, employee: 'B-100' }),
      ...Array.from({ length: 12 }, () => tx('count', { operationId: first, employee: 'B-100', good: 1 })),
    ];
    const [a, b] = await Promise.all([send(station.token, page), send(station.token, page)]);
    for (let i = 0; i < page.length; i++) {
      expect([a![i]!.status, b![i]!.status].sort(), `${i}: ${a![i]!.message} / ${b![i]!.message}`).toEqual([
        'applied',
        'duplicate',
      ]);
    }
    expect((await view(first)).good).toBe(12);
    // and once more, in one page that names the same transaction twice
    const again = tx('count', { operationId: first, employee: 'B-100', good: 1 });
    expect((await send(station.token, [again, again])).map((r) => r.status)).toEqual(['applied', 'duplicate']);
    expect((await view(first)).good).toBe(13);
  });

  it('splits labor across operations one person works at once', async () => {
    // The operator's own session: times an hour back are accepted (no station window applies).
    const now = Date.now();
    const at = (minAgo: number) => new Date(now - minAgo * 60_000).toISOString();
    const job = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.admin),
      payload: { ...sampleJob('J-F2'), quantity: 4 },
    });
    const steps = Object.fromEntries(
      (job.json() as { routings: Array<{ id: string; sequence: number }> }).routings.map((x) => [x.sequence, x.id]),
    );
    const r = await send(
      t.tokens.operator,
      [
        tx('start', { operationId: steps[10], at: at(60) }),
        tx('start', { operationId: steps[20], at: at(30) }),
        tx('pause', { operationId: steps[10], at: at(0), reason: 'BREAK' }),
        tx('pause', { operationId: steps[20], at: at(0), reason: 'BREAK' }),
      ],
      new Date(now),
    );
    expect(
      r.map((x) => x.status),
      JSON.stringify(r),
    ).toEqual(['applied', 'applied', 'applied', 'applied']);
    // 30 minutes alone on 10, then 30 minutes shared: 45 and 15.
    expect((await view(steps[10]!)).laborMinutes).toBeCloseTo(45, 0);
    expect((await view(steps[20]!)).laborMinutes).toBeCloseTo(15, 0);
  });

  it('a revoked station can no longer report, nor can its operators’ sessions', async () => {
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/floor/sign-in',
      headers: bearer(station.token),
      payload: { badge: 'B-100' },
    });
    const operatorOnStation = (signIn.json() as { token: string }).token;
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/api/v1/floor/stations/${station.id}/revoke`,
      headers: bearer(t.tokens.admin),
    });
    expect(revoke.statusCode, revoke.body).toBe(200);
    for (const token of [station.token, operatorOnStation]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/floor/transactions',
        headers: bearer(token),
        payload: { transactions: [tx('clock_in', { employee: 'B-100' })] },
      });
      expect(res.statusCode).toBe(401);
    }
  });
});
