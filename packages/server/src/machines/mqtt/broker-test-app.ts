import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { loadConfig } from '../../platform/config.js';
import { EventBus } from '../../platform/events.js';
import { buildApp } from '../../app/build-app.js';
import { seedMiniShop } from '../../test/fixtures.js';
import { bearer, testDatabase, createRoleUsers, loginEveryRole } from '../../test/harness.js';
import { startMachines } from '../runtime.js';

/**
 * An app whose machines runtime runs the embedded broker on a free port, with the mini shop
 * and two registered MQTT machines: LASER-01 (department laser) and WELD-01 (weld).
 */
export async function brokerTestApp() {
  const database = await testDatabase();
  const config = { ...loadConfig({}), loginRateLimit: 1000, mqttEnabled: true, mqttPort: 0 };
  await createRoleUsers(database);
  const events = new EventBus();
  const machines = await startMachines(
    { database, config, events },
    { clientId: `kerf-test-${randomBytes(3).toString('hex')}`, maintenance: false, log: () => undefined },
  );
  const kerf = await buildApp({ database, config, events, machines });
  const tokens = await loginEveryRole(kerf.app);
  await seedMiniShop(kerf.app, tokens.admin);
  const machineIds: Record<string, string> = {};
  for (const [code, departmentId] of [
    ['LASER-01', 'laser'],
    ['WELD-01', 'weld'],
  ] as const) {
    const res = await kerf.app.inject({
      method: 'POST',
      url: '/api/v1/machines',
      headers: bearer(tokens.admin),
      payload: { code, name: code, departmentId, workCenterId: code, protocol: 'mqtt' },
    });
    machineIds[code] = (res.json() as { id: string }).id;
  }
  return {
    ...kerf,
    database,
    tokens,
    machineIds,
    broker: machines.broker!,
    url: machines.mqttUrl!,
    close: async () => {
      await kerf.app.close();
      await machines.stop();
      await database.drop();
    },
  };
}

export type BrokerTestApp = Awaited<ReturnType<typeof brokerTestApp>>;

/** Connects once (no reconnect); rejects with the broker's refusal. */
export async function connectDevice(url: string, username: string, password: string): Promise<MqttClient> {
  const client = mqtt.connect(url, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    username,
    password,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new Error('connection closed before CONNACK')));
    });
  } catch (err) {
    client.end(true);
    throw err;
  }
  return client;
}

export async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
