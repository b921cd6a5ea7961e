import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';

describe('shop API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => t.close());

  it('walks 401 -> 400 -> 403 -> 201 for creating a work center', async () => {
    const url = '/api/v1/work-centers';
    const good = { id: 'LASER-09', name: 'Laser 9', departmentId: 'laser9', machineType: 'laser' };
    expect((await t.app.inject({ method: 'POST', url, payload: good })).statusCode).toBe(401);
    const bad = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(t.tokens.admin),
      payload: { ...good, capacityMinutesPerShift: -5 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_field', field: 'capacityMinutesPerShift' });
    expect(
      (await t.app.inject({ method: 'POST', url, headers: bearer(t.tokens.supervisor), payload: good })).statusCode,
    ).toBe(403);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: bearer(t.tokens.admin),
      payload: { id: 'laser9', name: 'Laser 9' },
    });
    const created = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(t.tokens.production_manager),
      payload: good,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      id: 'LASER-09',
      capacityMinutesPerShift: 480,
      efficiencyFactor: 0.85,
      version: 1,
    });
    const read = await t.app.inject({ method: 'GET', url: `${url}/LASER-09`, headers: bearer(t.tokens.operator) });
    expect(read.statusCode).toBe(200);
  });

  it('rejects unknown fields and unknown references naming the field', async () => {
    const h = bearer(t.tokens.admin);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/work-centers',
      headers: h,
      payload: { id: 'X-1', name: 'x', departmentId: 'laser9', machineType: 'x', colour: 'red' },
    });
    expect(unknown.json()).toMatchObject({ field: 'colour' });
    const ref = await t.app.inject({
      method: 'POST',
      url: '/api/v1/work-centers',
      headers: h,
      payload: { id: 'X-1', name: 'x', departmentId: 'nowhere', machineType: 'x' },
    });
    expect(ref.statusCode).toBe(400);
    expect(ref.json()).toMatchObject({ error: 'unknown_reference', field: 'departmentId' });
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/departments',
      headers: h,
      payload: { id: 'laser9', name: 'again' },
    });
    expect(dup.statusCode).toBe(409);
  });

  it('answers 409 on a stale version (body or If-Match) and never loses an update', async () => {
    const h = bearer(t.tokens.admin);
    const url = '/api/v1/work-centers/LASER-09';
    const first = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...h, 'if-match': '1' },
      payload: { name: 'Laser nine' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ name: 'Laser nine', version: 2 });
    const stale = await t.app.inject({ method: 'PATCH', url, headers: h, payload: { name: 'lost', version: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'stale_version', field: 'version' });
    const noVersion = await t.app.inject({ method: 'PATCH', url, headers: h, payload: { name: 'x' } });
    expect(noVersion.statusCode).toBe(400);
    // two writers with the same version at once: exactly one wins
    const [a, b] = await Promise.all([
      t.app.inject({ method: 'PATCH', url, headers: h, payload: { name: 'A', version: 2 } }),
      t.app.inject({ method: 'PATCH', url, headers: h, payload: { name: 'B', version: 2 } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const audit = await t.app.inject({ method: 'GET', url: '/api/v1/audit-log?limit=50', headers: h });
    const rows = (
      audit.json() as {
        items: Array<{ entity: string; entityId: string; action: string; before: unknown; after: { name?: string } }>;
      }
    ).items;
    const updates = rows.filter(
      (r) => r.entity === 'work_center' && r.entityId === 'LASER-09' && r.action === 'update',
    );
    expect(updates).toHaveLength(2);
    expect(updates[0]!.before).not.toBeNull();
  });

  it('lists with filter, sort and pagination', async () => {
    const h = bearer(t.tokens.admin);
    for (const id of ['W-3', 'W-1', 'W-2']) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/work-centers',
        headers: h,
        payload: { id, name: `Welder ${id}`, departmentId: 'laser9', machineType: 'weld' },
      });
    }
    const page = await t.app.inject({
      method: 'GET',
      url: '/api/v1/work-centers?machineType=weld&sort=-id&limit=2&offset=0',
      headers: h,
    });
    expect(page.json()).toMatchObject({ total: 3, limit: 2, offset: 0, items: [{ id: 'W-3' }, { id: 'W-2' }] });
    const badSort = await t.app.inject({ method: 'GET', url: '/api/v1/work-centers?sort=password', headers: h });
    expect(badSort.statusCode).toBe(400);
    expect(badSort.json()).toMatchObject({ field: 'sort' });
  });

  it('keeps shifts that cross midnight and refuses empty ones', async () => {
    const h = bearer(t.tokens.admin);
    const night = await t.app.inject({
      method: 'POST',
      url: '/api/v1/shift-calendars',
      headers: h,
      payload: {
        name: 'Night',
        workCenterId: 'LASER-09',
        dayOfWeek: 0,
        shiftNumber: 3,
        startTime: '22:00',
        endTime: '06:00',
      },
    });
    expect(night.statusCode).toBe(201);
    expect(night.json()).toMatchObject({ startTime: '22:00:00', endTime: '06:00:00' });
    const empty = await t.app.inject({
      method: 'POST',
      url: '/api/v1/shift-calendars',
      headers: h,
      payload: {
        name: 'Zero',
        workCenterId: 'LASER-09',
        dayOfWeek: 1,
        shiftNumber: 1,
        startTime: '06:00',
        endTime: '06:00',
      },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ field: 'endTime' });
    const holiday = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calendar-exceptions',
      headers: h,
      payload: { exceptionDate: '2026-11-26', exceptionType: 'holiday', description: 'Thanksgiving' },
    });
    expect(holiday.statusCode).toBe(201);
    expect(holiday.json()).toMatchObject({ workCenterId: null, exceptionDate: '2026-11-26' });
  });

  it('serves health, readiness and the OpenAPI document', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/work-centers', '/api/v1/jobs/{id}', '/api/v1/schedule-slots']),
    );
    expect((await t.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
