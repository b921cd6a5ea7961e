import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';

describe('schedule slots API', () => {
  let t: TestApp;
  let routing: Record<number, string>;
  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
    const job = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/jobs',
        headers: bearer(t.tokens.admin),
        payload: sampleJob('J-S1'),
      })
    ).json() as {
      routings: Array<{ id: string; sequence: number }>;
    };
    routing = Object.fromEntries(job.routings.map((r) => [r.sequence, r.id]));
  });
  afterAll(async () => t.close());

  const create = (payload: object, role: 'supervisor' | 'operator' = 'supervisor') =>
    t.app.inject({ method: 'POST', url: '/api/v1/schedule-slots', headers: bearer(t.tokens[role]), payload });

  it('creates, refuses overlaps and wrong types, lists a window, moves and cancels', async () => {
    const first = await create({
      routingId: routing[10],
      workCenterId: 'LASER-01',
      plannedStart: '2026-11-30T06:00:00Z',
      plannedEnd: '2026-11-30T07:00:00Z',
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ jobNumber: 'J-S1', sequence: 10, status: 'scheduled' });
    expect(
      (
        await create({
          routingId: routing[20],
          workCenterId: 'LASER-01',
          plannedStart: '2026-11-30T06:30:00Z',
          plannedEnd: '2026-11-30T07:30:00Z',
        })
      ).statusCode,
    ).toBe(409);
    const wrong = await create({
      routingId: routing[20],
      workCenterId: 'WELD-01',
      plannedStart: '2026-11-30T08:00:00Z',
      plannedEnd: '2026-11-30T09:00:00Z',
    });
    expect(wrong.json()).toMatchObject({ error: 'wrong_work_center_type', field: 'workCenterId' });
    expect(
      (
        await create({
          routingId: routing[20],
          workCenterId: 'LASER-01',
          plannedStart: '2026-11-30T08:00:00Z',
          plannedEnd: '2026-11-30T08:00:00Z',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await create(
          {
            routingId: routing[20],
            workCenterId: 'LASER-01',
            plannedStart: '2026-11-30T08:00:00Z',
            plannedEnd: '2026-11-30T09:00:00Z',
          },
          'operator',
        )
      ).statusCode,
    ).toBe(403);
    const second = await create({
      routingId: routing[20],
      workCenterId: 'LASER-01',
      plannedStart: '2026-11-30T08:00:00Z',
      plannedEnd: '2026-11-30T09:00:00Z',
    });
    expect(second.statusCode).toBe(201);

    const window = await t.app.inject({
      method: 'GET',
      url: '/api/v1/schedule-slots?from=2026-11-30T06:30:00Z&to=2026-11-30T08:30:00Z&workCenterId=LASER-01',
      headers: bearer(t.tokens.operator),
    });
    expect((window.json() as { items: Array<{ sequence: number }> }).items.map((s) => s.sequence)).toEqual([10, 20]);
    const narrow = await t.app.inject({
      method: 'GET',
      url: '/api/v1/schedule-slots?from=2026-11-30T07:00:00Z&to=2026-11-30T08:00:00Z',
      headers: bearer(t.tokens.operator),
    });
    expect((narrow.json() as { total: number }).total).toBe(0);

    const id = (first.json() as { id: string }).id;
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/schedule-slots/${id}/move`,
      headers: bearer(t.tokens.supervisor),
      payload: { plannedStart: '2026-11-30T10:00:00Z', version: 1 },
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      committed: true,
      slot: { plannedStart: '2026-11-30T10:00:00.000Z', plannedEnd: '2026-11-30T11:00:00.000Z', version: 2 },
    });
    const stale = await t.app.inject({
      method: 'POST',
      url: `/api/v1/schedule-slots/${id}/move`,
      headers: bearer(t.tokens.supervisor),
      payload: { plannedStart: '2026-11-30T12:00:00Z', version: 1 },
    });
    expect(stale.statusCode).toBe(409);

    // Dropping it on top of the 08:00-09:00 slot pushes that one after it; a dry run only previews.
    const preview = await t.app.inject({
      method: 'POST',
      url: `/api/v1/schedule-slots/${id}/move`,
      headers: bearer(t.tokens.supervisor),
      payload: { plannedStart: '2026-11-30T08:30:00Z', version: 2, dryRun: true },
    });
    const body = preview.json() as {
      committed: boolean;
      consequences: { retimed: Array<{ slotId: string; reason: string; to: { plannedStart: string } }> };
    };
    expect(body.committed).toBe(false);
    const secondId = (second.json() as { id: string }).id;
    expect(body.consequences.retimed.find((r) => r.slotId === secondId)).toMatchObject({
      to: { plannedStart: '2026-11-30T09:30:00.000Z' },
      reason: 'follows J-S1 CUT on LASER-01',
    });
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/schedule-slots/${secondId}`,
          headers: bearer(t.tokens.operator),
        })
      ).json(),
    ).toMatchObject({ plannedStart: '2026-11-30T08:00:00.000Z' });
    const onTop = await t.app.inject({
      method: 'POST',
      url: `/api/v1/schedule-slots/${id}/move`,
      headers: bearer(t.tokens.supervisor),
      payload: { plannedStart: '2026-11-30T08:30:00Z', version: 2 },
    });
    expect(onTop.statusCode).toBe(200);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/schedule-slots/${secondId}`,
          headers: bearer(t.tokens.operator),
        })
      ).json(),
    ).toMatchObject({ plannedStart: '2026-11-30T09:30:00.000Z', version: 2 });

    // A step may not be dragged before the step it waits for ends; the refusal says why.
    const form = await create({
      routingId: routing[30],
      workCenterId: 'BRAKE-01',
      plannedStart: '2026-11-30T12:00:00Z',
      plannedEnd: '2026-11-30T13:00:00Z',
    });
    const early = await t.app.inject({
      method: 'POST',
      url: `/api/v1/schedule-slots/${(form.json() as { id: string }).id}/move`,
      headers: bearer(t.tokens.supervisor),
      payload: { plannedStart: '2026-11-30T08:00:00Z', version: 1 },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      error: 'move_refused',
      message: 'J-S1 FORM cannot start before J-S1 CUT ends',
    });
    const wrongType = await t.app.inject({
      method: 'POST',
      url: `/api/v1/schedule-slots/${id}/move`,
      headers: bearer(t.tokens.supervisor),
      payload: { plannedStart: '2026-11-30T08:30:00Z', workCenterId: 'WELD-01', version: 3 },
    });
    expect(wrongType.json()).toMatchObject({ error: 'wrong_work_center_type', field: 'workCenterId' });
    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/api/v1/schedule-slots/${id}/cancel`,
      headers: { ...bearer(t.tokens.supervisor), 'if-match': '3' },
      payload: { reason: 'customer hold' },
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', delayReason: 'customer hold', version: 4 });
  });
});
