import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { EventBus } from '../../platform/events.js';
import { testDatabase } from '../../test/harness.js';
import { startMachines, type MachinesRuntime } from '../runtime.js';
import { startDirectConnectors } from './start-connectors.js';

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// What `npm start` does for the demo, on a shop with one demo machine per protocol family:
// the simulator serves them, Kerf registers them pointing at it, and live states arrive through
// the connector manager (MTConnect, OPC UA) and the embedded broker (MQTT, with the simulator's
// own device credential).
describe('demo simulator wiring', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let runtime: MachinesRuntime;
  let ctx: {
    database: Awaited<ReturnType<typeof testDatabase>>;
    config: ReturnType<typeof loadConfig>;
    events: EventBus;
  };
  const lines: string[] = [];
  const log = (msg: string) => lines.push(msg);

  beforeAll(async () => {
    database = await testDatabase();
    await database.exec(`
      INSERT INTO departments (id, name) VALUES ('laser', 'Laser'), ('punch', 'Punch'), ('weld', 'Weld');
      INSERT INTO work_centers (id, name, department_id, machine_type) VALUES
        ('LASER-01', 'Fiber laser 1', 'laser', 'laser'),
        ('PUNCH-01', 'Turret punch 1', 'punch', 'punch'),
        ('WELD-01', 'TIG 1', 'weld', 'weld');`);
    const config = {
      ...loadConfig({
        KERF_SIM: '1',
        KERF_MQTT: '1',
        KERF_MQTT_PORT: '0',
        KERF_OPCUA_PKI_DIR: join(tmpdir(), 'kerf-opcua', 'client-pki'),
      }),
    };
    ctx = { database, config, events: new EventBus() };
    runtime = await startMachines(ctx, { maintenance: false, log });
  }, 30_000);

  afterAll(async () => {
    await runtime?.stop();
    await database?.drop();
  }, 30_000);

  const states = async () =>
    Object.fromEntries(
      (
        await database.query<{ code: string; state: string }>(
          'SELECT m.code, s.state FROM machines m JOIN machine_status s ON s.machine_id = m.id ORDER BY m.code',
        )
      ).map((r) => [r.code, r.state]),
    );

  it('registers the demo machines that exist, pointing at the simulator, and their states arrive', async () => {
    const direct = await startDirectConnectors(ctx, runtime, log);
    try {
      expect(direct.simulator).not.toBeNull();
      const machines = await database.query<{ code: string; protocol: string; connection: Record<string, unknown> }>(
        'SELECT code, protocol, connection FROM machines ORDER BY code',
      );
      expect(machines.map((m) => [m.code, m.protocol])).toEqual([
        ['LASER-01', 'mtconnect'],
        ['PUNCH-01', 'opcua'],
        ['WELD-01', 'mqtt'],
      ]);
      expect(machines[0]!.connection).toMatchObject({ simulated: true, url: direct.simulator!.endpoints.mtconnect });
      await until('all three states', async () => {
        const s = await states();
        return Object.keys(s).length === 3 ? s : undefined;
      });
      expect(direct.manager.status().map((s) => [s.code, s.protocol, s.lastError])).toEqual([
        ['LASER-01', 'mtconnect', null],
        ['PUNCH-01', 'opcua', null],
      ]);
      expect(lines.some((l) => l.includes('simulator running 3 demo machines'))).toBe(true);
    } finally {
      await direct.stop();
    }
  }, 60_000);

  it('a restart repoints simulated machines without duplicating them; a machine an admin edited keeps its settings', async () => {
    await database.query(
      `UPDATE machines SET connection = '{"url": "http://10.0.0.5:5000", "device": "real-laser"}' WHERE code = 'LASER-01'`,
    );
    const before = await database.query<{ code: string; connection: { endpointUrl?: string } }>(
      `SELECT code, connection FROM machines WHERE code = 'PUNCH-01'`,
    );
    const direct = await startDirectConnectors(ctx, runtime, log);
    try {
      const after = await database.query<{ code: string; connection: Record<string, unknown> }>(
        'SELECT code, connection FROM machines ORDER BY code',
      );
      expect(after).toHaveLength(3);
      expect(after[0]!.connection).toEqual({ url: 'http://10.0.0.5:5000', device: 'real-laser' });
      expect(after[1]!.connection.endpointUrl).toBe(direct.simulator!.endpoints.opcua);
      expect(after[1]!.connection.endpointUrl).not.toBe(before[0]!.connection.endpointUrl);
    } finally {
      await direct.stop();
    }
  }, 60_000);

  it('KERF_SIM=0: no simulator, the manager still runs', async () => {
    const off = { ...ctx, config: { ...ctx.config, sim: false } };
    const direct = await startDirectConnectors(off, runtime, log);
    try {
      expect(direct.simulator).toBeNull();
      expect(direct.manager.status().map((s) => s.code)).toEqual(['LASER-01', 'PUNCH-01']);
    } finally {
      await direct.stop();
    }
  }, 30_000);

  it('a simulator that cannot start is logged and Kerf goes on without it', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const before = lines.length;
    try {
      const direct = await startDirectConnectors(ctx, runtime, log, { simulatorPorts: { mtconnectPort: port } });
      try {
        expect(direct.simulator).toBeNull();
        expect(lines.slice(before).find((l) => l.includes('simulator failed to start'))).toMatch(/EADDRINUSE/);
        expect(direct.manager.status().map((s) => s.code)).toEqual(['LASER-01', 'PUNCH-01']);
      } finally {
        await direct.stop();
      }
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  }, 30_000);
});
