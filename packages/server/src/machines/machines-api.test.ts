import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import type { MachinesRuntime } from './runtime.js';
import { sample, seedMachines, stateEvent, TEST_T0 } from './test-machines.js';

let t: TestApp;
let rt: MachinesRuntime;

beforeAll(async () => {
  t = await testApp();
  await seedMachines(t.app, t.tokens.admin);
  rt = t.machines;
  const events = [];
  for (let i = 0; i < 7200; i += 10) events.push(sample('WELD-01', i, i % 100));
  // Another source: (machine, source, sequence) would make them duplicates of the samples.
  events.push(stateEvent('WELD-01', 0, 'running', 'plc'), stateEvent('WELD-01', 3600, 'idle', 'plc'));
  rt.ingest.submit(events);
  await rt.ingest.flushed();
});
afterAll(async () => t?.close());

const get = (url: string, token = t.tokens.operator) => t.app.inject({ method: 'GET', url, headers: bearer(token) });
const iso = (s: number) => new Date(TEST_T0 + s * 1000).toISOString();

describe('machines API', () => {
  it('lists machines with status, filtered by department; 401 without a token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/machines' })).statusCode).toBe(401);
    const res = await get('/api/v1/machines?departmentId=weld');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: { code: string; status: { state: string } }[]; total: number };
    expect(body.items.map((m) => m.code)).toEqual(['WELD-01', 'WELD-02']);
    expect(body.items[0]!.status.state).toBe('idle');
    expect(body.items[1]!.status).toMatchObject({ state: 'offline', since: null, lastSeen: null });
    expect((await get('/api/v1/machines?protocol=carrier-pigeon')).statusCode).toBe(400);
  });

  it('answers status by code or id, 404 for an unknown machine', async () => {
    const status = (await get('/api/v1/machines/WELD-01/status')).json() as { machineId: string; state: string };
    expect(status.state).toBe('idle');
    expect((await get(`/api/v1/machines/${status.machineId}/status`)).json()).toMatchObject({ code: 'WELD-01' });
    expect((await get('/api/v1/machines/NOPE/status')).statusCode).toBe(404);
  });

  it('serves raw and bucketed metrics; bad parameters are 400 naming the field', async () => {
    const raw = (
      await get(`/api/v1/machines/WELD-01/metrics?metric=spindle_speed&from=${iso(0)}&to=${iso(600)}`)
    ).json();
    expect(raw).toMatchObject({ bucket: 'raw', truncated: false });
    expect(raw.points).toHaveLength(60);
    const hourly = (
      await get(`/api/v1/machines/WELD-01/metrics?metric=spindle_speed&from=${iso(0)}&to=${iso(7200)}&bucket=1h`)
    ).json();
    expect(hourly.points).toHaveLength(2);
    expect(hourly.points[0]).toMatchObject({ samples: 360, min: 0, max: 90 });
    const fine = (
      await get(`/api/v1/machines/WELD-01/metrics?metric=spindle_speed&from=${iso(0)}&to=${iso(3600)}&bucket=15m`)
    ).json();
    expect(fine.points.map((p: { samples: number }) => p.samples)).toEqual([90, 90, 90, 90]);
    const bad = await get(`/api/v1/machines/WELD-01/metrics?metric=spindle_speed&from=${iso(10)}&to=${iso(0)}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ field: 'from' });
    expect((await get('/api/v1/machines/WELD-01/metrics')).statusCode).toBe(400);
    expect((await get('/api/v1/machines/WELD-01/metrics?metric=x&bucket=2h')).statusCode).toBe(400);
    expect((await get('/api/v1/machines/WELD-01/metrics?metric=x&from=tuesday')).statusCode).toBe(400);
  });

  it('serves state intervals with totals inside the window', async () => {
    const res = (await get(`/api/v1/machines/WELD-01/states?from=${iso(1800)}&to=${iso(5400)}`)).json();
    expect(res.intervals.map((i: { state: string }) => i.state)).toEqual(['running', 'idle']);
    expect(res.totals).toEqual({ running: 1800, idle: 1800 });
  });

  it('creates and updates machines with machine:config only, with version checks', async () => {
    const payload = { code: 'WELD-09', name: 'Robot cell', departmentId: 'weld', protocol: 'sparkplug' };
    const post = (token: string, body: object) =>
      t.app.inject({ method: 'POST', url: '/api/v1/machines', headers: bearer(token), payload: body });
    expect((await post(t.tokens.supervisor, payload)).statusCode).toBe(403);
    expect((await post(t.tokens.production_manager, { ...payload, protocol: 'modbus' })).statusCode).toBe(400);
    expect((await post(t.tokens.production_manager, { ...payload, code: 'bad/code' })).statusCode).toBe(400);
    const created = await post(t.tokens.production_manager, payload);
    expect(created.statusCode).toBe(201);
    expect((await post(t.tokens.production_manager, payload)).statusCode).toBe(409);
    const patch = (body: object) =>
      t.app.inject({
        method: 'PATCH',
        url: '/api/v1/machines/WELD-09',
        headers: bearer(t.tokens.admin),
        payload: body,
      });
    expect((await patch({ enabled: false, version: 1 })).json()).toMatchObject({ enabled: false, version: 2 });
    expect((await patch({ enabled: true, version: 1 })).statusCode).toBe(409);
    // A disabled machine's data is refused and counted.
    const before = rt.ingest.counters.rejectedBy.disabled_machine;
    rt.ingest.submit([sample('WELD-09', 1, 1)]);
    await rt.ingest.flushed();
    expect(rt.ingest.counters.rejectedBy.disabled_machine).toBe(before + 1);
  });
});

describe('machine WebSocket channels', () => {
  it('delivers machine.status for a state change on the department and machine channels only', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as { port: number }).port;
    const open = async (channels: string[]) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws?access_token=${t.tokens.operator}`);
      const got: { channel?: string; event?: { type: string; machineId: string; status: { state: string } } }[] = [];
      ws.on('message', (raw: Buffer) => got.push(JSON.parse(raw.toString())));
      await new Promise((r) => ws.once('open', r));
      ws.send(JSON.stringify({ subscribe: channels }));
      await new Promise((r) => setTimeout(r, 100));
      return { ws, got };
    };
    const weld = await open(['machines:weld', 'machine:WELD-02']);
    const laser = await open(['machines:laser', 'bogus-channel']);
    rt.ingest.submit([stateEvent('WELD-02', 10, 'running')]);
    await rt.ingest.flushed();
    await new Promise((r) => setTimeout(r, 200));
    const weldEvents = weld.got.filter((m) => m.event);
    expect(weldEvents).toHaveLength(1);
    expect(weldEvents[0]).toMatchObject({
      channel: 'machine:WELD-02',
      event: { type: 'machine.status', machineId: 'WELD-02', status: { state: 'running' } },
    });
    expect(laser.got.filter((m) => m.event)).toHaveLength(0);
    expect(laser.got.some((m) => (m as { type?: string }).type === 'error')).toBe(true);
    weld.ws.close();
    laser.ws.close();
  });
});
