import { encodeShopfloorMessage, SparkplugNode, type MachineEvent } from '@kerf/connectors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerTestApp, connectDevice, waitFor, type BrokerTestApp } from './broker-test-app.js';
import { listRejections } from '../ingest/rejection-log.js';
import { saveDevice } from './devices.js';

// A device granted a department prefix may publish only for that department's registered
// machines: the ingest maps a topic to its machine code and ignores the department segment.
let t: BrokerTestApp;
beforeAll(async () => {
  t = await brokerTestApp();
  await saveDevice(t.database, { username: 'weld-gw', password: 'password-weld', allowedTopics: ['shopfloor/weld/'] });
  await saveDevice(t.database, { username: 'weld-sp', password: 'password-sp', allowedTopics: ['spBv1.0/weld/'] });
});
afterAll(async () => t?.close());

const state = (code: string, value: string, seq: number): MachineEvent => ({
  machineId: code,
  timestamp: new Date(Date.UTC(2026, 10, 20, 9, 0, seq)).toISOString(),
  source: 'weld-gw',
  sequence: seq,
  kind: 'state',
  metric: 'state',
  value,
});
const laserState = async () =>
  (
    await t.app.inject({
      method: 'GET',
      url: '/api/v1/machines/LASER-01/status',
      headers: { authorization: `Bearer ${t.tokens.admin}` },
    })
  ).json<{ state: string }>().state;

describe('broker publish guard', () => {
  it('lets a weld device publish for a weld machine', async () => {
    const dev = await connectDevice(t.url, 'weld-gw', 'password-weld');
    const m = encodeShopfloorMessage(state('WELD-01', 'running', 1), 'weld');
    await dev.publishAsync(m.topic, m.payload, { qos: 1 });
    await waitFor(() => t.machines.ingest.counters.stored >= 1, 10_000, 'the weld state stored');
    await dev.endAsync();
  });

  it.each([
    ['a laser under the weld prefix', 'LASER-01', 'weld'],
    ['a machine that is not registered', 'WELD-09', 'weld'],
  ])('refuses %s before it reaches the ingest', async (_what, code, dept) => {
    const dev = await connectDevice(t.url, 'weld-gw', 'password-weld');
    const refused = t.broker.counters.refusedPublishes;
    const received = t.machines.ingest.counters.received;
    const m = encodeShopfloorMessage(state(code, 'alarm', 2), dept);
    dev.publish(m.topic, m.payload, { qos: 1 });
    await waitFor(() => t.broker.counters.refusedPublishes > refused, 5_000, 'the broker to refuse the publish');
    await t.machines.ingest.flushed();
    expect(t.machines.ingest.counters.received).toBe(received);
    expect(await laserState()).not.toBe('alarm');
    dev.end(true);
  });

  it("records the refusals in the device's rejection log", async () => {
    await t.machines.rejections.flush();
    const [rec] = await listRejections(t.database.db, { device: 'weld-gw', limit: 1 });
    expect(rec?.counts.topic_refused).toBeGreaterThanOrEqual(2);
    expect(rec?.recent.map((r) => r.machine)).toEqual(expect.arrayContaining(['LASER-01', 'WELD-09']));
    expect(rec?.recent[0]?.message).toMatch(/not registered|belongs to department laser/);
  });

  it('refuses a Sparkplug device birth naming a machine registered for plain MQTT', async () => {
    const dev = await connectDevice(t.url, 'weld-sp', 'password-sp');
    const node = new SparkplugNode({ groupId: 'weld', edgeNodeId: 'gw-1' });
    const refused = t.broker.counters.refusedPublishes;
    const birth = node.nbirth();
    await dev.publishAsync(birth.topic, Buffer.from(birth.payload), { qos: 0 });
    const dbirth = node.dbirth('LASER-01', [{ name: 'State', type: 'String', value: 'alarm' }]);
    dev.publish(dbirth.topic, Buffer.from(dbirth.payload), { qos: 0 });
    await waitFor(() => t.broker.counters.refusedPublishes > refused, 5_000, 'the broker to refuse the DBIRTH');
    expect(await laserState()).not.toBe('alarm');
    dev.end(true);
  });
});
