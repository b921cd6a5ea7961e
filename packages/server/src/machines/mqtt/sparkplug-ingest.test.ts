import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkplugNode, type SparkplugMessage } from '@kerf/connectors';
import { loadConfig } from '../../platform/config.js';
import { bearer, testApp, type TestApp } from '../../test/harness.js';
import { seedMiniShop } from '../../test/fixtures.js';
import { startMachines, type MachinesRuntime } from '../runtime.js';
import { saveDevice } from './devices.js';

const tag = randomBytes(3).toString('hex').toUpperCase();
const CODE = `SP${tag}`;
let t: TestApp;
let rt: MachinesRuntime;

beforeAll(async () => {
  t = await testApp();
  await seedMiniShop(t.app, t.tokens.admin);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/machines',
    headers: bearer(t.tokens.admin),
    payload: { code: CODE, name: 'Robot cell', departmentId: 'weld', protocol: 'sparkplug' },
  });
  expect(res.statusCode).toBe(201);
  rt = await startMachines(
    { database: t.database, events: t.events, config: { ...loadConfig({}), mqttEnabled: true, mqttPort: 0 } },
    { clientId: `kerf-sp-${tag}`, maintenance: false, log: () => undefined },
  );
  await saveDevice(t.database, {
    username: `edge-${tag}`,
    password: 'password-edge',
    allowedTopics: ['spBv1.0/Kerf/'],
  });
});
afterAll(async () => {
  await rt?.stop();
  await t?.close();
});

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Sparkplug B through the embedded broker', () => {
  it('births, data and death become state, part count and offline', async () => {
    const node = new SparkplugNode({ groupId: 'Kerf', edgeNodeId: `edge-${tag}` });
    const client = await mqtt.connectAsync(rt.mqttUrl!, {
      protocolVersion: 4,
      username: `edge-${tag}`,
      password: 'password-edge',
    });
    const send = (m: SparkplugMessage) => client.publishAsync(m.topic, Buffer.from(m.payload), { qos: m.qos });
    await send(node.nbirth());
    await send(
      node.dbirth(CODE, [
        { name: 'State', type: 'String', value: 'running' },
        { name: 'PartCount', type: 'Int32', value: 1 },
      ]),
    );
    await send(node.ddata(CODE, { PartCount: 5 }));
    await until(() => rt.cache.current(CODE)?.partCount === 5);
    expect(rt.cache.current(CODE)!.state).toBe('running');
    await send(node.ddeath(CODE));
    await until(() => rt.cache.current(CODE)?.state === 'offline');
    await rt.ingest.flushed();
    const intervals = await t.database.query<{ state: string }>(
      'SELECT e.state FROM machine_state_events e JOIN machines m ON m.id = e.machine_id WHERE m.code = $1 ORDER BY started_at',
      [CODE],
    );
    expect(intervals.map((r) => r.state)).toEqual(['running', 'offline']);
    await client.endAsync();
  });

  it('asks a node that sends data without a birth to rebirth (NCMD published back through the broker)', async () => {
    const nodeId = `edge-${tag}-nb`;
    const node = new SparkplugNode({ groupId: 'Kerf', edgeNodeId: nodeId });
    const client = await mqtt.connectAsync(rt.mqttUrl!, {
      protocolVersion: 4,
      username: `edge-${tag}`,
      password: 'password-edge',
    });
    const commands: string[] = [];
    client.on('message', (topic) => commands.push(topic));
    await client.subscribeAsync(`spBv1.0/Kerf/NCMD/${nodeId}`, { qos: 0 });
    const sent = rt.intake!.counters.commandsSent;
    // Births built but never sent: Kerf sees data from a node it knows nothing about.
    node.nbirth();
    node.dbirth(CODE, [{ name: 'PartCount', type: 'Int32', value: 1 }]);
    const m = node.ddata(CODE, { PartCount: 7 });
    await client.publishAsync(m.topic, Buffer.from(m.payload), { qos: 1 });
    await until(() => commands.length > 0);
    expect(commands).toEqual([`spBv1.0/Kerf/NCMD/${nodeId}`]);
    expect(rt.intake!.counters.commandsSent).toBe(sent + 1);
    await client.endAsync();
  });
});
