import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';

interface RunBody {
  status: string;
  planId: string | null;
  valid: boolean | null;
  violations: unknown[];
  objectiveValues: {
    weightedTardiness: number;
    lateJobs: number;
    operations: number;
    utilizationPct: number | null;
  } | null;
  stats: { operations: number } | null;
}

describe('plan runs, drafts and publishing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    await seedMiniShop(t.app, t.tokens.admin);
    const h = bearer(t.tokens.admin);
    for (const wc of ['LASER-01', 'BRAKE-01', 'WELD-01', 'WELD-02']) {
      for (const dayOfWeek of [0, 1, 2, 3, 4]) {
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/shift-calendars',
          headers: h,
          payload: { name: 'Day', workCenterId: wc, dayOfWeek, shiftNumber: 1, startTime: '06:00', endTime: '14:30' },
        });
      }
    }
    for (let i = 1; i <= 6; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/jobs',
        headers: h,
        payload: {
          ...sampleJob(`J-P${i}`),
          priority: 1 + (i % 4),
          dueDate: new Date(Date.now() + i * 86_400_000).toISOString(),
        },
      });
      expect(res.statusCode).toBe(201);
    }
  });
  afterAll(async () => t.close());

  const runPlan = async (role: 'supervisor' | 'operator' = 'supervisor', body: object = { timeLimitSeconds: 1 }) =>
    t.app.inject({ method: 'POST', url: '/api/v1/plan-runs', headers: bearer(t.tokens[role]), payload: body });

  it('runs the solver off the event loop, streams progress on the WebSocket, stores a valid draft', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address() as { port: number };
    const ws = new WebSocket(`ws://127.0.0.1:${address.port}/api/v1/ws?access_token=${t.tokens.operator}`);
    const messages: Array<{ channel?: string; type?: string; event?: { type: string } }> = [];
    ws.on('message', (raw) => messages.push(JSON.parse(raw.toString())));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ subscribe: ['plan-runs', 'secrets'] }));
    await new Promise((r) => setTimeout(r, 100));
    expect(messages.find((m) => m.type === 'subscribed')).toMatchObject({ channels: ['plan-runs'] });
    expect(messages.find((m) => m.type === 'error')).toBeDefined();

    expect((await runPlan('operator')).statusCode).toBe(403);
    expect((await runPlan('supervisor', { timeLimitSeconds: -1 })).statusCode).toBe(400);
    const started = await runPlan();
    expect(started.statusCode).toBe(202);
    const { id } = started.json() as { id: string };
    // the API answers while the run is busy
    expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    await t.planRuns.waitFor(id);
    const run = (
      await t.app.inject({ method: 'GET', url: `/api/v1/plan-runs/${id}`, headers: bearer(t.tokens.operator) })
    ).json() as RunBody;
    expect(run.status).toBe('done');
    expect(run.valid).toBe(true);
    expect(run.violations).toEqual([]);
    expect(run.stats!.operations).toBe(24);
    expect(run.objectiveValues!.operations).toBe(24);
    expect(run.objectiveValues!.utilizationPct).toBeGreaterThan(0);
    expect(run.objectiveValues!.utilizationPct).toBeLessThanOrEqual(100);
    await new Promise((r) => setTimeout(r, 100));
    const kinds = messages.filter((m) => m.channel === 'plan-runs').map((m) => m.event!.type);
    expect(kinds).toContain('plan-run.progress');
    expect(kinds[kinds.length - 1]).toBe('plan-run.finished');
    ws.close();
  });

  it('publishes a draft into schedule slots (schedule:approve), diffs the next draft against it', async () => {
    const first = (await runPlan()).json() as { id: string };
    await t.planRuns.waitFor(first.id);
    const planId = (
      (
        await t.app.inject({ method: 'GET', url: `/api/v1/plan-runs/${first.id}`, headers: bearer(t.tokens.admin) })
      ).json() as RunBody
    ).planId!;
    const publish = (role: 'supervisor' | 'production_manager', version: number) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/plans/${planId}/publish`,
        headers: bearer(t.tokens[role]),
        payload: { version },
      });
    expect((await publish('supervisor', 1)).statusCode).toBe(403);
    expect((await publish('production_manager', 7)).statusCode).toBe(409);
    const published = await publish('production_manager', 1);
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ slotsWritten: 24, plan: { status: 'published' } });
    expect((await publish('production_manager', 2)).statusCode).toBe(409); // not a draft any more

    const slots = (
      await t.app.inject({ method: 'GET', url: '/api/v1/schedule-slots?limit=500', headers: bearer(t.tokens.operator) })
    ).json() as {
      total: number;
      items: Array<{ id: string; version: number; workCenterId: string; plannedStart: string; plannedEnd: string }>;
    };
    expect(slots.total).toBe(24);
    // the floor's schedule has no double-booked work center
    const byWc = new Map<string, Array<[number, number]>>();
    for (const s of slots.items)
      byWc.set(s.workCenterId, [
        ...(byWc.get(s.workCenterId) ?? []),
        [Date.parse(s.plannedStart), Date.parse(s.plannedEnd)],
      ]);
    for (const list of byWc.values()) {
      list.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < list.length; i++) expect(list[i]![0]).toBeGreaterThanOrEqual(list[i - 1]![1]);
    }

    // shifts are Mon-Fri 06:00-14:30 UTC: a drag to Sunday is refused with the next shift named
    const anySlot = slots.items[0]!;
    const sunday = await t.app.inject({
      method: 'POST',
      url: `/api/v1/schedule-slots/${anySlot.id}/move`,
      headers: bearer(t.tokens.supervisor),
      payload: { plannedStart: '2026-11-29T10:00:00Z', version: anySlot.version, dryRun: true },
    });
    expect(sunday.statusCode).toBe(400);
    expect(sunday.json()).toMatchObject({ error: 'outside_working_time', field: 'plannedStart' });
    expect((sunday.json() as { message: string }).message).toMatch(/next shift starts 2026-11-30T06:00:00.000Z/);

    await t.app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: bearer(t.tokens.admin),
      payload: { ...sampleJob('J-RUSH'), priority: 1, dueDate: new Date(Date.now() + 3600_000).toISOString() },
    });
    const second = (await runPlan()).json() as { id: string };
    await t.planRuns.waitFor(second.id);
    const draftId = (
      (
        await t.app.inject({ method: 'GET', url: `/api/v1/plan-runs/${second.id}`, headers: bearer(t.tokens.admin) })
      ).json() as RunBody
    ).planId!;
    const diff = (
      await t.app.inject({ method: 'GET', url: `/api/v1/plans/${draftId}/diff`, headers: bearer(t.tokens.operator) })
    ).json() as {
      publishedPlanId: string;
      movedJobs: number;
      kpis: { delta: { lateJobs: number; utilizationPct: number | null } | null };
      jobs: Array<{ jobNumber: string; publishedEnd: string | null }>;
    };
    expect(diff.publishedPlanId).toBe(planId);
    expect(diff.kpis.delta).not.toBeNull();
    expect(typeof diff.kpis.delta!.utilizationPct).toBe('number');
    expect(diff.jobs.find((j) => j.jobNumber === 'J-RUSH')).toMatchObject({ publishedEnd: null });
    expect(diff.movedJobs).toBeGreaterThanOrEqual(1);
    const discard = await t.app.inject({
      method: 'POST',
      url: `/api/v1/plans/${draftId}/discard`,
      headers: { ...bearer(t.tokens.production_manager), 'if-match': '1' },
      payload: {},
    });
    expect(discard.json()).toMatchObject({ status: 'discarded' });
    const audit = (
      await t.app.inject({ method: 'GET', url: '/api/v1/audit-log?limit=20', headers: bearer(t.tokens.admin) })
    ).json() as { items: Array<{ action: string; entity: string }> };
    expect(
      audit.items
        .filter((a) => a.entity === 'plan')
        .map((a) => a.action)
        .sort(),
    ).toEqual(['discard', 'publish']);
  });
});
