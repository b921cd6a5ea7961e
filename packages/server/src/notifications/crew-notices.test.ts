import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { floorStation, userIdOf } from '../test/floor-station.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';

interface Listed {
  items: Array<{ kind: string; title: string; body: string; recipientUserId: string | null }>;
}

describe('notices to the people at a work center’s tablets', () => {
  let t: TestApp;
  let session: string;
  let operatorId: string;
  const slots: string[] = [];

  const inbox = async (token: string) =>
    (
      (
        await t.app.inject({ method: 'GET', url: '/api/v1/notifications?limit=100', headers: bearer(token) })
      ).json() as Listed
    ).items;

  const job = async (number: string, priority: number) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.admin),
      payload: { ...sampleJob(number), priority },
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { routings: Array<{ id: string; sequence: number }> }).routings.find(
      (r) => r.sequence === 10,
    )!.id;
  };
  const slot = async (routingId: string, hour: number) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/schedule-slots',
      headers: bearer(t.tokens.supervisor),
      payload: {
        routingId,
        workCenterId: 'LASER-01',
        plannedStart: `2027-02-01T${String(hour).padStart(2, '0')}:00:00Z`,
        plannedEnd: `2027-02-01T${String(hour + 1).padStart(2, '0')}:00:00Z`,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    slots.push((res.json() as { id: string }).id);
  };

  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
    operatorId = await userIdOf(t.database.db, 'operator');
    const station = await floorStation(t.app, t.tokens.admin, {
      workCenterIds: ['LASER-01'],
      userId: operatorId,
      badge: 'B-300',
      pin: '4711',
      signIn: true,
    });
    session = station.session!;
  });
  afterAll(async () => t.close());

  it('a rush job booked onto the center reaches the person signed in there, nobody else', async () => {
    await slot(await job('J-NORMAL', 3), 7);
    expect((await inbox(session)).filter((n) => n.kind === 'rush-job')).toHaveLength(0);
    await slot(await job('J-RUSH', 1), 9);
    const rush = (await inbox(session)).filter((n) => n.kind === 'rush-job');
    expect(rush).toHaveLength(1);
    expect(rush[0]).toMatchObject({ title: 'Rush job J-RUSH for LASER-01', recipientUserId: operatorId });
    // the production manager is not at a tablet: nothing addressed to them
    expect((await inbox(t.tokens.production_manager)).filter((n) => n.kind === 'rush-job')).toHaveLength(0);
  });

  it('a supervisor reordering the queue tells the people at its tablets why', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/work-centers/LASER-01/queue-order',
      headers: bearer(t.tokens.supervisor),
      payload: { slotIds: [...slots].reverse(), reason: 'rush for the site opening first' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const notice = (await inbox(session)).find((n) => n.kind === 'queue-changed');
    expect(notice).toMatchObject({
      title: 'New order for the LASER-01 queue',
      body: expect.stringContaining('rush for the site opening first'),
    });
  });

  it('once signed out, the person is no longer told', async () => {
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/floor/sign-out', headers: bearer(session) });
    expect(out.statusCode, out.body).toBeLessThan(300);
    await slot(await job('J-RUSH-2', 1), 11);
    const listed = await inbox(t.tokens.operator);
    expect(listed.filter((n) => n.title.includes('J-RUSH-2'))).toHaveLength(0);
  });
});
