import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { RejectionLog, listRejections } from './ingest/rejection-log.js';
import { MqttDecoder } from './mqtt/decode.js';
import { ingestMessage, newIntakeCounters } from './mqtt/intake-core.js';
import type { MachinesRuntime } from './runtime.js';
import { sample, seedMachines } from './test-machines.js';

let t: TestApp;
let rt: MachinesRuntime;

beforeAll(async () => {
  t = await testApp();
  await seedMachines(t.app, t.tokens.admin);
  rt = t.machines;
});
afterAll(async () => t?.close());

interface Answer {
  ingest: { rejected: number; rejectedBy: Record<string, number> };
  devices: {
    device: string;
    total: number;
    counts: Record<string, number>;
    recent: { reason: string; message: string; topic: string | null; machine: string | null }[];
  }[];
}

const get = async (token: string, query = '') => {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/machine-ingest/rejections${query}`,
    headers: bearer(token),
  });
  return { status: res.statusCode, body: res.json() as Answer & { field?: string } };
};

const message = (topic: string, payload: string) =>
  ingestMessage(rt.ingest, new MqttDecoder(), newIntakeCounters(), topic, Buffer.from(payload), () => undefined);

describe('GET /api/v1/machine-ingest/rejections', () => {
  it('names the device, the reason and the topic of each rejected message', async () => {
    message('shopfloor/weld/WELD-01/program', `{"ts":${Date.now()},"seq":1002,"src":"chk","value":"P\\u0000X"}`);
    message('shopfloor/weld/WELD-01/part_count', '{not json');
    rt.ingest.submit([sample('NOPE-7', 1, 1, 'spindle_speed', 'edge-7')]);
    await rt.ingest.flushed();
    const { status, body } = await get(t.tokens.operator);
    expect(status).toBe(200);
    expect(body.ingest.rejectedBy.bad_payload).toBeGreaterThanOrEqual(2);
    const chk = body.devices.find((d) => d.device === 'chk')!;
    expect(chk.counts).toEqual({ bad_payload: 1 });
    expect(chk.recent[0]).toMatchObject({
      reason: 'bad_payload',
      topic: 'shopfloor/weld/WELD-01/program',
      machine: 'WELD-01',
    });
    expect(chk.recent[0]!.message).toMatch(/^value: contains a NUL character/);
    // An undecodable payload has no source: the topic names the publisher.
    const undecodable = body.devices.find((d) => d.device === 'shopfloor/weld/WELD-01')!;
    expect(undecodable.counts).toEqual({ bad_payload: 1 });
    expect(body.devices.find((d) => d.device === 'edge-7')?.counts).toEqual({ unknown_machine: 1 });
    const one = await get(t.tokens.operator, '?device=edge-7');
    expect(one.body.devices.map((d) => d.device)).toEqual(['edge-7']);
  });

  it('needs a login and refuses a bad limit naming the field', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/machine-ingest/rejections' });
    expect(anonymous.statusCode).toBe(401);
    const bad = await get(t.tokens.operator, '?limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('limit');
  });

  it('survives a restart: the records are in the database', async () => {
    const fresh = await listRejections(t.database.db, { device: 'chk', limit: 10 });
    expect(fresh[0]?.counts).toEqual({ bad_payload: 1 });
  });
});

describe('RejectionLog under a flood', () => {
  it('keeps the last 20 reasons per device, counts all, stores hostile text and bounds the log', async () => {
    const lines: string[] = [];
    const log = new RejectionLog(t.database, { log: (l) => lines.push(l) });
    const device = 'flood\u0000device\ud800';
    for (let i = 0; i < 1_000; i++)
      log.record({ device, reason: 'bad_payload', message: `bad ${i}\nforged line`, topic: `shopfloor/x/Y/m${i}` });
    await log.stop();
    const [row] = await listRejections(t.database.db, { device: 'flood\ufffddevice\ufffd', limit: 1 });
    expect(row?.total).toBe(1_000);
    expect(row?.recent).toHaveLength(20);
    expect(row?.recent[0]?.message).toBe('bad 999 forged line');
    expect(lines.length).toBeLessThanOrEqual(11);
    expect(lines.at(-1)).toMatch(/990 more in the last \d+ s not logged/);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });
});
