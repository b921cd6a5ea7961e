import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../test/harness.js';
import { alarmTestApp, type AlarmTestApp } from './alarm-test-app.js';

const MIN = 60_000;

describe('alarm rules, notifications and replan suggestions', () => {
  let t: AlarmTestApp;
  beforeAll(async () => {
    t = await alarmTestApp();
  });
  afterAll(async () => t.close());

  const get = async (url: string, role: keyof AlarmTestApp['tokens']) => {
    const res = await t.app.inject({ method: 'GET', url, headers: bearer(t.tokens[role]) });
    expect(res.statusCode).toBe(200);
    return res.json() as Record<string, unknown> & { items: Record<string, unknown>[] };
  };
  const notificationsOf = async (role: keyof AlarmTestApp['tokens']) =>
    (await get('/api/v1/notifications', role)).items as { id: string; kind: string; title: string; link: string }[];

  it('machine down longer than 15 min fires once after the threshold, with a replan suggestion', async () => {
    const since = new Date();
    await t.setState('WELD-01', 'alarm', since);
    expect((await t.alarmWatch.tick(new Date(since.getTime() + 14 * MIN))).fired).toEqual([]);
    const at15 = await t.alarmWatch.tick(new Date(since.getTime() + 15 * MIN));
    expect(at15.fired.map((f) => [f.ruleId, f.machineCode])).toEqual([['machine-down', 'WELD-01']]);
    // still down: no second firing, no second notification
    const later = await t.alarmWatch.tick(new Date(since.getTime() + 40 * MIN));
    expect(later.fired).toEqual([]);
    expect(later.notifications).toEqual([]);

    const sup = await notificationsOf('supervisor');
    expect(sup.map((n) => n.kind).sort()).toEqual(['alarm-rule.machine-down', 'replan-suggested']);
    expect(sup.find((n) => n.kind === 'alarm-rule.machine-down')!.title).toBe('WELD-01 down for 15 min');
    expect(sup.find((n) => n.kind === 'replan-suggested')!.link).toBe('/plan-runs');
    expect((await notificationsOf('production_manager')).length).toBe(2);
    expect(await notificationsOf('operator')).toEqual([]);
    expect(t.ofType('notification.created')).toHaveLength(4);

    const replans = t.ofType('planning.replan-suggested');
    expect(replans.map((e) => [e.workCenterId, e.reason, e.since])).toEqual([
      ['WELD-01', 'machine_down', since.toISOString()],
    ]);
    const open = await get('/api/v1/replan-suggestions?open=true', 'operator');
    expect(open.items.map((s) => [s.workCenterId, s.reason])).toEqual([['WELD-01', 'machine_down']]);
  });

  it('the machine coming back resolves the firing and offers the work center back to the planner', async () => {
    const back = new Date();
    await t.setState('WELD-01', 'running', back);
    const replans = t.ofType('planning.replan-suggested');
    expect(replans.map((e) => e.reason)).toEqual(['machine_down', 'machine_back']);
    expect(replans[1]!.since).toBe(back.toISOString());
    const all = await get('/api/v1/replan-suggestions', 'operator');
    // created_at follows the evaluation clock, which this test moved ahead: compare regardless of order
    expect(all.items.map((s) => [s.reason, s.closeReason]).sort()).toEqual([
      ['machine_back', null],
      ['machine_down', 'superseded'],
    ]);
    const firings = await t.database.query<{ resolved: boolean }>(
      `SELECT resolved_at IS NOT NULL AS resolved FROM alarm_rule_firings WHERE rule_id = 'machine-down'`,
    );
    expect(firings).toEqual([{ resolved: true }]);
    // nothing more on later ticks
    expect((await t.alarmWatch.tick(new Date(back.getTime() + 60 * MIN))).replans).toEqual([]);
  });

  it('a short stop (under the threshold) neither notifies nor suggests replanning', async () => {
    const before = t.ofType('notification.created').length;
    const since = new Date();
    await t.setState('WELD-01', 'stopped', since);
    await t.alarmWatch.tick(new Date(since.getTime() + 5 * MIN));
    await t.setState('WELD-01', 'running', new Date(since.getTime() + 6 * MIN));
    await t.alarmWatch.tick(new Date(since.getTime() + 30 * MIN));
    expect(t.ofType('notification.created').length).toBe(before);
    expect(t.ofType('planning.replan-suggested')).toHaveLength(2);
  });

  it('a fault alarm on a bottleneck work center notifies at once; a warning or a non-bottleneck does not', async () => {
    const before = t.ofType('notification.created').length;
    const at = new Date();
    await t.alarm('LASER-01', { code: 'W7', active: true, severity: 'warning', message: 'filter' }, at);
    await t.alarm('WELD-01', { code: 'F1', active: true, severity: 'fault', message: 'wire feed' }, at);
    expect(t.ofType('notification.created').length).toBe(before);
    await t.alarm('LASER-01', { code: 'F9', active: true, severity: 'fault', message: 'chiller' }, at);
    const created = t.ofType('notification.created').slice(before);
    expect(created.map((e) => [e.notification.kind, e.notification.recipientRole])).toEqual([
      ['alarm-rule.bottleneck-fault', 'supervisor'],
      ['alarm-rule.bottleneck-fault', 'production_manager'],
    ]);
    expect(created[0]!.notification.link).toBe('/departments/laser');
    // a second fault while the first persists: same condition, no new notification
    await t.alarm('LASER-01', { code: 'F10', active: true, severity: 'fault', message: 'door' }, at);
    await t.alarmWatch.tick(new Date(at.getTime() + 10 * MIN));
    expect(t.ofType('notification.created').length).toBe(before + 2);
    // all faults cleared, then a new one: a new condition, notified again
    await t.alarm('LASER-01', { code: 'F9', active: false, severity: 'fault', message: '' }, at);
    expect(t.ofType('notification.created').length).toBe(before + 2);
    await t.alarm('LASER-01', { code: 'F10', active: false, severity: 'fault', message: '' }, at);
    await t.alarm('LASER-01', { code: 'F11', active: true, severity: 'fault', message: 'again' }, new Date());
    expect(t.ofType('notification.created').length).toBe(before + 4);
  });

  it('notifications: per-user read state, unread count, read-all, and nobody reads another role’s', async () => {
    const sup = await notificationsOf('supervisor');
    const first = sup[0]!;
    const read = await t.app.inject({
      method: 'POST',
      url: `/api/v1/notifications/${first.id}/read`,
      headers: bearer(t.tokens.supervisor),
    });
    expect(read.statusCode).toBe(200);
    expect((read.json() as { readAt: string | null }).readAt).not.toBeNull();
    const page = await get('/api/v1/notifications?unread=true', 'supervisor');
    expect(page.unread).toBe(sup.length - 1);
    expect(page.items.map((n) => n.id)).not.toContain(first.id);
    // the production manager's copy is separate
    expect((await get('/api/v1/notifications', 'production_manager')).unread).toBe(sup.length);
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/v1/notifications/${first.id}/read`,
      headers: bearer(t.tokens.operator),
    });
    expect(foreign.statusCode).toBe(404);
    const all = await t.app.inject({
      method: 'POST',
      url: '/api/v1/notifications/read-all',
      headers: bearer(t.tokens.supervisor),
    });
    expect(all.json()).toEqual({ marked: sup.length - 1 });
    expect((await get('/api/v1/notifications', 'supervisor')).unread).toBe(0);
  });

  it('replan suggestions are dismissed once by a planner (409 after), operators may not', async () => {
    const open = (await get('/api/v1/replan-suggestions?open=true', 'operator')).items;
    expect(open).toHaveLength(1);
    const url = `/api/v1/replan-suggestions/${String(open[0]!.id)}/dismiss`;
    expect((await t.app.inject({ method: 'POST', url, headers: bearer(t.tokens.operator) })).statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url, headers: bearer(t.tokens.supervisor) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ closeReason: 'dismissed', closedBy: 'supervisor' });
    expect((await t.app.inject({ method: 'POST', url, headers: bearer(t.tokens.supervisor) })).statusCode).toBe(409);
  });

  it('rules are edited by machine:config with the row version; a disabled rule does not fire', async () => {
    const rules = (await get('/api/v1/alarm-rules', 'operator')).items;
    expect(rules.map((r) => [r.id, r.thresholdMinutes, r.enabled])).toEqual([
      ['bottleneck-fault', 0, true],
      ['machine-down', 15, true],
    ]);
    const url = '/api/v1/alarm-rules/machine-down';
    const patch = (role: keyof AlarmTestApp['tokens'], payload: object) =>
      t.app.inject({ method: 'PATCH', url, headers: bearer(t.tokens[role]), payload });
    expect((await patch('supervisor', { version: 1, thresholdMinutes: 5 })).statusCode).toBe(403);
    const bad = await patch('production_manager', { version: 1, notifyRoles: ['foreman'] });
    expect(bad.statusCode).toBe(400);
    const ok = await patch('production_manager', { version: 1, thresholdMinutes: 5, enabled: false });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ thresholdMinutes: 5, enabled: false, version: 2 });
    expect((await patch('admin', { version: 1, enabled: true })).statusCode).toBe(409);
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: '/api/v1/alarm-rules/nope',
          headers: bearer(t.tokens.admin),
          payload: { version: 1 },
        })
      ).statusCode,
    ).toBe(404);

    const since = new Date();
    await t.setState('WELD-01', 'offline', since);
    expect((await t.alarmWatch.tick(new Date(since.getTime() + 60 * MIN))).fired).toEqual([]);
    expect((await patch('admin', { version: 2, enabled: true })).statusCode).toBe(200);
    const fired = await t.alarmWatch.tick(new Date(since.getTime() + 6 * MIN));
    expect(fired.fired.map((f) => f.ruleId)).toEqual(['machine-down']);
  });
});
