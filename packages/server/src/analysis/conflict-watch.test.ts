import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KerfEvent } from '../platform/events.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';

describe('conflict events', () => {
  let t: TestApp;
  const seen: KerfEvent[] = [];
  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
    t.events.subscribe((e) => seen.push(e));
  });
  afterAll(async () => t.close());

  it('publishes a conflict when it appears after a schedule change and when it clears', async () => {
    const h = bearer(t.tokens.admin);
    const job = (
      await t.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: h, payload: sampleJob('J-E1') })
    ).json() as {
      routings: Array<{ id: string; sequence: number }>;
    };
    const r = Object.fromEntries(job.routings.map((x) => [x.sequence, x.id]));
    await t.conflictWatch.settled();
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/schedule-slots',
      headers: h,
      payload: {
        routingId: r[10],
        workCenterId: 'LASER-01',
        plannedStart: '2026-12-01T06:00:00Z',
        plannedEnd: '2026-12-01T08:00:00Z',
      },
    });
    expect(first.statusCode).toBe(201);
    // a second booking on top, written behind the API's back (e.g. an import or a sync)
    await t.database.exec(
      `INSERT INTO schedule_slots (routing_id, work_center_id, planned_start, planned_end) VALUES ('${r[20]}', 'LASER-01', '2026-12-01T07:00:00Z', '2026-12-01T09:00:00Z')`,
    );
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/schedule-slots',
      headers: h,
      payload: {
        routingId: r[40],
        workCenterId: 'WELD-01',
        plannedStart: '2026-12-02T06:00:00Z',
        plannedEnd: '2026-12-02T07:00:00Z',
      },
    });
    expect(other.statusCode).toBe(201);
    // slot.changed comes from the outbox after commit; the watch reacts to it
    await t.outbox.drain();
    await t.conflictWatch.settled();
    const appeared = seen.filter(
      (e): e is Extract<KerfEvent, { type: 'conflict.appeared' }> => e.type === 'conflict.appeared',
    );
    expect(appeared.map((e) => e.conflict.kind)).toContain('overlap');

    const id = (first.json() as { id: string }).id;
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/schedule-slots/${id}/cancel`,
      headers: h,
      payload: { reason: 'double booked', version: 1 },
    });
    await t.outbox.drain();
    await t.conflictWatch.settled();
    expect(seen.some((e) => e.type === 'conflict.cleared' && e.kind === 'overlap')).toBe(true);
  });
});
