import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.js';
import { EventBus } from '../platform/events.js';
import { testApp, type TestApp } from '../test/harness.js';
import { PortTakenError } from './mqtt/broker.js';
import { startMachines } from './runtime.js';
import { StatusCache, unknownStatus } from './status-cache.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t?.close());

const base = () => ({ ...loadConfig({}), mqttEnabled: true, mqttHost: '127.0.0.1' });

describe('embedded broker port', () => {
  // The local Mosquitto holds 127.0.0.1:1883.
  it('moves to a free port when the default 1883 is taken, and says so', async () => {
    const lines: string[] = [];
    const rt = await startMachines(
      { database: t.database, events: new EventBus(), config: { ...base(), mqttPort: 1883, mqttPortExplicit: false } },
      { clientId: 'kerf-port-test', maintenance: false, log: (m) => lines.push(m) },
    );
    expect(rt.broker!.port).not.toBe(1883);
    expect(lines.join('\n')).toMatch(/1883 is taken/);
    expect(lines.join('\n')).toContain(`listening on 127.0.0.1:${rt.broker!.port}`);
    await rt.stop();
  });

  it('refuses to start when an explicitly set port is taken', async () => {
    await expect(
      startMachines(
        { database: t.database, events: new EventBus(), config: { ...base(), mqttPort: 1883, mqttPortExplicit: true } },
        { maintenance: false, log: () => undefined },
      ),
    ).rejects.toThrow(PortTakenError);
  });
});

describe('status cache in Redis', () => {
  it('shares status between instances', async () => {
    const a = new StatusCache();
    const b = new StatusCache();
    await a.connectRedis('redis://127.0.0.1:6379');
    await b.connectRedis('redis://127.0.0.1:6379');
    const code = `REDIS-${Date.now()}`;
    const ref = { id: '00000000-0000-4000-8000-000000000001', code, departmentId: 'weld' };
    const status = { ...unknownStatus(ref), state: 'running' as const, since: new Date().toISOString() };
    await a.put([status]);
    expect((await b.read([ref]))[0]!.state).toBe('running');
    const { Redis } = await import('ioredis');
    const other = new Redis('redis://127.0.0.1:6379');
    await other.del(`kerf:machine:${code}`);
    other.disconnect();
    await a.close();
    await b.close();
  });
});
