import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../test/harness.js';
import { alarmTestApp, type AlarmTestApp } from './alarm-test-app.js';

const fault = (code: string, active = true) => ({ code, active, severity: 'fault' as const, message: `${code} text` });

describe('alarm records: raise, acknowledge, clear', () => {
  let t: AlarmTestApp;
  beforeAll(async () => {
    t = await alarmTestApp();
  });
  afterAll(async () => t.close());

  const list = async (query: string, role: 'operator' | 'admin' = 'operator') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/alarms${query}`, headers: bearer(t.tokens[role]) });
    expect(res.statusCode).toBe(200);
    return res.json() as {
      items: { id: string; code: string; acknowledgedBy: string | null; clearedAt: string | null }[];
      total: number;
    };
  };

  it('a raise opens one record; a re-raise of the active alarm does not duplicate it', async () => {
    const at = new Date('2026-11-25T08:00:00Z');
    await t.alarm('WELD-01', fault('E100'), at, 'mqtt');
    await t.alarm('WELD-01', fault('E100'), new Date(at.getTime() + 5000), 'mqtt');
    const open = await list('?active=true&machine=WELD-01');
    expect(open.total).toBe(1);
    expect(open.items[0]!.code).toBe('E100');
    expect(t.ofType('alarm.raised').filter((e) => e.alarm.code === 'E100')).toHaveLength(1);
    expect(t.ofType('alarm.raised')[0]!.alarm).toMatchObject({
      machineCode: 'WELD-01',
      departmentId: 'weld',
      raisedAt: at.toISOString(),
    });
  });

  it('acknowledge: operators refused, a supervisor acknowledges once (audited), again is 409, unknown is 404', async () => {
    const id = (await list('?active=true&machine=WELD-01')).items[0]!.id;
    const url = `/api/v1/alarms/${id}/acknowledge`;
    expect((await t.app.inject({ method: 'POST', url, headers: bearer(t.tokens.operator) })).statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url, headers: bearer(t.tokens.supervisor) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id, acknowledgedBy: 'supervisor', clearedAt: null });
    // recorded with the acknowledgement, delivered from the outbox after commit
    await t.outbox!.drain();
    expect(t.ofType('alarm.acknowledged').map((e) => e.alarm.id)).toEqual([id]);
    const again = await t.app.inject({ method: 'POST', url, headers: bearer(t.tokens.production_manager) });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'already_acknowledged' });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/alarms/00000000-0000-4000-8000-000000000000/acknowledge',
      headers: bearer(t.tokens.supervisor),
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/alarms/nope/acknowledge',
      headers: bearer(t.tokens.supervisor),
    });
    expect(bad.statusCode).toBe(400);
    const audit = await t.database.query<{ action: string; actor_name: string }>(
      `SELECT action, actor_name FROM audit_log WHERE entity = 'machine_alarm' AND entity_id = $1`,
      [id],
    );
    expect(audit).toEqual([{ action: 'update', actor_name: 'supervisor' }]);
  });

  it('a clear closes the open record; a clear with nothing open changes nothing; a new raise opens a new record', async () => {
    await t.alarm('WELD-01', fault('E100', false), new Date('2026-11-25T08:10:00Z'), 'mqtt');
    await t.alarm('WELD-01', fault('E999', false), new Date('2026-11-25T08:10:00Z'), 'mqtt');
    expect((await list('?active=true&machine=WELD-01')).total).toBe(0);
    const closed = await list('?active=false');
    expect(closed.items.map((a) => [a.code, a.clearedAt])).toEqual([['E100', '2026-11-25T08:10:00.000Z']]);
    expect(t.ofType('alarm.cleared')).toHaveLength(1);
    await t.alarm('WELD-01', fault('E100'), new Date('2026-11-25T09:00:00Z'), 'mqtt');
    const all = await list('?machine=WELD-01');
    expect(all.total).toBe(2);
    expect(all.items[0]!.acknowledgedBy).toBeNull();
  });

  it('filters by department, machine id and since; alarms of unknown machines are not recorded', async () => {
    await t.alarm(
      'LASER-01',
      { code: 'W1', active: true, severity: 'warning', message: 'low gas' },
      new Date('2026-11-25T09:30:00Z'),
    );
    await t.alarm('NOPE-01', fault('X'), new Date('2026-11-25T09:30:00Z'));
    expect((await list('?department=laser')).items.map((a) => a.code)).toEqual(['W1']);
    expect((await list(`?machine=${t.machineIds['LASER-01']}`)).total).toBe(1);
    expect((await list('?since=2026-11-25T08:30:00Z')).items.map((a) => a.code)).toEqual(['W1', 'E100']);
    expect((await list('')).total).toBe(3);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/alarms?since=yesterday',
      headers: bearer(t.tokens.operator),
    });
    expect(bad.statusCode).toBe(400);
  });
});
