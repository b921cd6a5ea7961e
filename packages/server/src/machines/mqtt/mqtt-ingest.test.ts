import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeShopfloorMessage, type MachineEvent } from '@kerf/connectors';
import { loadConfig } from '../../platform/config.js';
import { bearer, testApp, type TestApp } from '../../test/harness.js';
import { seedMiniShop } from '../../test/fixtures.js';
import { startMachines, type MachinesRuntime } from '../runtime.js';
import { saveDevice } from './devices.js';

// Codes unique to this run: Mosquitto is shared with other test files and processes.
const tag = randomBytes(3).toString('hex').toUpperCase();
const A = `MQ${tag}-A`;
const B = `MQ${tag}-B`;
const C = `MQ${tag}-C`;
const D = `MQ${tag}-D`;
const L = `MQ${tag}-L`; // a laser
let t: TestApp;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await testApp();
  await seedMiniShop(t.app, t.tokens.admin);
  for (const code of [A, B, C, D]) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/machines',
      headers: bearer(t.tokens.admin),
      payload: { code, name: code, departmentId: 'weld', protocol: 'mqtt' },
    });
    ids[code] = (res.json() as { id: string }).id;
  }
  const laser = await t.app.inject({
    method: 'POST',
    url: '/api/v1/machines',
    headers: bearer(t.tokens.admin),
    payload: { code: L, name: L, departmentId: 'laser', protocol: 'mqtt' },
  });
  ids[L] = (laser.json() as { id: string }).id;
});
afterAll(async () => t?.close());

const event = (machineId: string, seq: number, value: number): MachineEvent => ({
  machineId,
  timestamp: new Date(Date.UTC(2026, 10, 20, 9) + seq * 1000).toISOString(),
  source: 'edge-1',
  sequence: seq,
  kind: 'count',
  metric: 'part_count',
  value,
});
const message = (machineId: string, seq: number) => encodeShopfloorMessage(event(machineId, seq, seq), 'weld');

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const rows = async (code: string) =>
  Number(
    (
      await t.database.query<{ n: string }>('SELECT count(*) AS n FROM machine_metrics WHERE machine_id = $1', [
        ids[code],
      ])
    )[0]!.n,
  );

async function connect(url: string, options: mqtt.IClientOptions = {}): Promise<MqttClient> {
  const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 100, ...options });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

const start = (overrides: Partial<ReturnType<typeof loadConfig>>, clientId: string) =>
  startMachines(
    {
      database: t.database,
      events: t.events,
      config: { ...loadConfig({}), mqttEnabled: true, mqttPort: 0, ...overrides },
    },
    { clientId, maintenance: false, log: () => undefined },
  );

describe('MQTT ingest through the embedded broker', () => {
  let rt: MachinesRuntime;
  beforeAll(async () => {
    rt = await start({}, `kerf-test-${tag}-emb`);
    await saveDevice(t.database, { username: `dev-${tag}`, password: 'password-dev', machineId: ids[A]! });
  });
  afterAll(async () => rt?.stop());

  it('stores every message once: published = stored + duplicates + rejected', async () => {
    const dev = await connect(rt.mqttUrl!, { username: `dev-${tag}`, password: 'password-dev' });
    const before = { ...rt.ingest.counters };
    const published: Promise<unknown>[] = [];
    for (let i = 1; i <= 200; i++) {
      const m = message(A, i);
      published.push(dev.publishAsync(m.topic, m.payload, { qos: 1 }));
      if (i % 10 === 0) published.push(dev.publishAsync(m.topic, m.payload, { qos: 1 })); // redelivery
    }
    for (const bad of ['{not json', '{"value": {"nested": true}, "seq": "x"}', '']) {
      published.push(dev.publishAsync(`shopfloor/weld/${A}/part_count`, bad, { qos: 1 }));
    }
    await Promise.all(published);
    const total = 200 + 20 + 3;
    const c = rt.ingest.counters;
    await waitFor(
      () => c.stored + c.duplicates + c.rejected - (before.stored + before.duplicates + before.rejected) === total,
    );
    await rt.ingest.flushed();
    expect(c.stored - before.stored).toBe(200);
    expect(c.duplicates - before.duplicates).toBe(20);
    expect(c.rejected - before.rejected).toBe(3);
    expect(await rows(A)).toBe(200);
    await dev.endAsync();
  });

  it("refuses a device publishing to another machine's topic", async () => {
    const dev = await connect(rt.mqttUrl!, { username: `dev-${tag}`, password: 'password-dev', reconnectPeriod: 0 });
    const refused = rt.broker!.counters.refusedPublishes;
    const m = message(B, 1);
    dev.publish(m.topic, m.payload, { qos: 1 });
    await waitFor(() => rt.broker!.counters.refusedPublishes > refused);
    await new Promise((r) => setTimeout(r, 200));
    expect(await rows(B)).toBe(0);
    dev.end(true);
  });

  it('refuses a wrong password and anonymous clients', async () => {
    await expect(
      connect(rt.mqttUrl!, { username: `dev-${tag}`, password: 'wrong', reconnectPeriod: 0 }),
    ).rejects.toThrow();
    await expect(connect(rt.mqttUrl!, { reconnectPeriod: 0 })).rejects.toThrow();
  });

  it('survives a broker restart: the stream resumes and redeliveries are deduped', async () => {
    const dev = await connect(rt.mqttUrl!, {
      username: `dev-${tag}`,
      password: 'password-dev',
      clean: false,
      clientId: `dev-${tag}`,
    });
    const sends: Promise<unknown>[] = [];
    for (let i = 1001; i <= 1100; i++) {
      const m = message(A, i);
      sends.push(dev.publishAsync(m.topic, m.payload, { qos: 1 }));
      if (i === 1050) {
        await rt.broker!.stop();
        await rt.broker!.start();
      }
    }
    await Promise.all(sends);
    await waitFor(async () => (await rows(A)) === 300, 15_000);
    await rt.ingest.flushed();
    expect(await rows(A)).toBe(300);
    expect(rt.intake!.counters.reconnects).toBeGreaterThan(0);
    await dev.endAsync();
  });
});

describe('embedded broker with a full ingest queue', () => {
  it('holds the QoS 1 acks until the queue has room, dropping nothing', async () => {
    // A queue of one event is full after every message: each delivery waits for the writer.
    const rt = await startMachines(
      {
        database: t.database,
        events: t.events,
        config: { ...loadConfig({}), mqttEnabled: true, mqttPort: 0, mqttAnonymous: true },
      },
      { maintenance: false, log: () => undefined, ingest: { maxQueue: 1 } },
    );
    try {
      const dev = await connect(rt.mqttUrl!);
      const sends: Promise<unknown>[] = [];
      for (let i = 1; i <= 60; i++) {
        const m = message(D, i);
        sends.push(dev.publishAsync(m.topic, m.payload, { qos: 1 }));
      }
      await Promise.all(sends);
      await rt.ingest.flushed();
      expect(rt.intake!.counters.paused).toBeGreaterThan(0);
      expect(rt.ingest.counters.dropped).toBe(0);
      expect(rt.ingest.counters.stored).toBe(60);
      expect(await rows(D)).toBe(60);
      await dev.endAsync();
    } finally {
      await rt.stop();
    }
  });
});

describe('MQTT ingest through Mosquitto (MQTT_URL)', () => {
  it('a restarted Kerf picks up what was published meanwhile (persistent QoS 1 session)', async () => {
    const url = 'mqtt://127.0.0.1:1883';
    const clientId = `kerf-test-${tag}-mosq`;
    let rt = await start({ mqttUrl: url }, clientId);
    const dev = await connect(url);
    for (let i = 1; i <= 50; i++) {
      const m = message(C, i);
      await dev.publishAsync(m.topic, m.payload, { qos: 1 });
    }
    await waitFor(async () => (await rows(C)) === 50);
    await rt.stop();
    // Kerf is away: the broker queues these for its session.
    for (let i = 51; i <= 150; i++) {
      const m = message(C, i);
      await dev.publishAsync(m.topic, m.payload, { qos: 1 });
    }
    rt = await start({ mqttUrl: url }, clientId);
    await waitFor(async () => (await rows(C)) === 150, 15_000);
    expect(rt.ingest.counters.stored).toBe(100);
    // Remove the session so the shared broker does not keep queueing for this test.
    await rt.stop();
    const cleanup = await connect(url, { clientId, clean: true });
    await cleanup.endAsync();
    await dev.endAsync();
  });

  // Issue #11: a device allowed under shopfloor/weld/ put a laser into alarm by naming it. With an
  // external broker the grants live there, so the ingest checks the topic's department itself.
  it("refuses data for a machine under another department's topic, and stores it under its own", async () => {
    const url = 'mqtt://127.0.0.1:1883';
    const clientId = `kerf-test-${tag}-dept`;
    const rt = await start({ mqttUrl: url }, clientId);
    try {
      const dev = await connect(url);
      const before = rt.ingest.counters.rejectedBy.wrong_department;
      for (let i = 1; i <= 5; i++) {
        const wrong = encodeShopfloorMessage(event(L, i, i), 'weld');
        expect(wrong.topic.startsWith('shopfloor/weld/')).toBe(true);
        await dev.publishAsync(wrong.topic, wrong.payload, { qos: 1 });
      }
      const right = encodeShopfloorMessage(event(L, 6, 6), 'laser');
      await dev.publishAsync(right.topic, right.payload, { qos: 1 });
      // Mosquitto is shared with the other suites, whose traffic this subscriber sees too: wait longer.
      await waitFor(async () => (await rows(L)) >= 1, 30_000);
      await waitFor(() => rt.ingest.counters.rejectedBy.wrong_department - before === 5, 30_000);
      await rt.ingest.flushed();
      expect(await rows(L)).toBe(1);
      await dev.endAsync();
    } finally {
      await rt.stop();
      const cleanup = await connect(url, { clientId, clean: true });
      await cleanup.endAsync();
    }
  });
});
