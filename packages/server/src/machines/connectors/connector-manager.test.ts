import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MTConnectAgent, OpcUaMachineServer, SIM_SHOP_NAMESPACE_URI } from '@kerf/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { OutboxDrainer } from '../../platform/event-outbox.js';
import { EventBus, type KerfEvent } from '../../platform/events.js';
import { testDatabase } from '../../test/harness.js';
import { startMachines, type MachinesRuntime } from '../runtime.js';
import { watchAlarms, type AlarmWatch } from '../alarms/alarm-watch.js';
import { connectorFactories } from './client-factories.js';
import { createConnectorManager, type ConnectorManager } from './connector-manager.js';

// Shared with the other OPC UA tests on the machine: making the client certificate costs seconds.
const FACTORIES = connectorFactories({
  pkiDir: join(tmpdir(), 'kerf-opcua', 'client-pki'),
  trustUnknownServerCertificates: false,
});

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The sim's OPC UA server -> OpcUaMachineClient run by the manager -> the real ingest -> status
// and alarm records: the whole server-side path of a direct connector.
describe('connector manager against the simulator OPC UA server', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let server: OpcUaMachineServer;
  let runtime: MachinesRuntime;
  let manager: ConnectorManager;
  let watch: AlarmWatch;
  const events = new EventBus();
  const published: KerfEvent[] = [];
  events.subscribe((e) => published.push(e));
  let endpointUrl = '';

  const stateOf = async (code: string) =>
    (
      await database.query<{ state: string }>(
        'SELECT s.state FROM machine_status s JOIN machines m ON m.id = s.machine_id WHERE m.code = $1',
        [code],
      )
    )[0]?.state;

  beforeAll(async () => {
    database = await testDatabase();
    await database.exec(`
      INSERT INTO departments (id, name) VALUES ('punch', 'Punching');
      INSERT INTO work_centers (id, name, department_id, machine_type, is_bottleneck)
        VALUES ('PUN-01', 'Turret punch 1', 'punch', 'punch', true), ('PUN-02', 'Turret punch 2', 'punch', 'punch', false);`);
    server = new OpcUaMachineServer({
      machines: [
        { machineId: 'PUN-01', name: 'Turret punch 1' },
        { machineId: 'PUN-02', name: 'Turret punch 2' },
      ],
    });
    endpointUrl = (await server.start()).endpointUrl;
    for (const code of ['PUN-01', 'PUN-02'])
      await database.query(
        `INSERT INTO machines (code, name, work_center_id, department_id, protocol, connection)
         VALUES ($1, $1, $1, 'punch', 'opcua', $2)`,
        [code, JSON.stringify({ endpointUrl, namespaceUri: SIM_SHOP_NAMESPACE_URI, securityMode: 'None' })],
      );
    const config = { ...loadConfig({}), mqttEnabled: false };
    runtime = await startMachines({ database, config, events }, { mqtt: false, maintenance: false, log: () => {} });
    watch = watchAlarms(database.db, events, { tickMs: 0 });
    manager = createConnectorManager({
      db: database.db,
      submit: (e) => runtime.ingest.push(e),
      factories: FACTORIES,
      refreshMs: 0,
    });
  }, 60_000);

  afterAll(async () => {
    await manager?.stop();
    watch?.stop();
    await runtime?.stop();
    await server?.dispose();
    await database?.drop();
  }, 30_000);

  it('starts a client per enabled OPC UA machine; states and alarms reach the status and alarm records', async () => {
    await manager.refresh();
    expect(manager.status().map((s) => [s.code, s.protocol])).toEqual([
      ['PUN-01', 'opcua'],
      ['PUN-02', 'opcua'],
    ]);
    server.setState('PUN-01', 'running');
    await until('PUN-01 running', async () => ((await stateOf('PUN-01')) === 'running' ? true : undefined));
    server.raiseAlarm('PUN-01', 'E42', 'punch jam', 'fault');
    await until('alarm record', async () => {
      await watch.settled();
      const rows = await database.query<{ code: string }>('SELECT code FROM machine_alarms WHERE cleared_at IS NULL');
      return rows.length === 1 ? rows : undefined;
    });
    // PUN-01 is a bottleneck: the fault notifies supervisors and production managers (from the outbox)
    await watch.settled();
    await new OutboxDrainer(database, events).drain();
    expect(
      published
        .filter((e) => e.type === 'notification.created')
        .map((e) => e.type === 'notification.created' && e.notification.kind),
    ).toEqual(['alarm-rule.bottleneck-fault', 'alarm-rule.bottleneck-fault']);
    server.clearAlarm('PUN-01', 'E42');
    await until('alarm cleared', async () => {
      await watch.settled();
      const rows = await database.query('SELECT 1 FROM machine_alarms WHERE cleared_at IS NOT NULL');
      return rows.length === 1 ? true : undefined;
    });
    const s = manager.status().find((x) => x.code === 'PUN-01')!;
    expect(s.connected).toBe(true);
    expect(s.events).toBeGreaterThan(0);
    expect(s.lastEventAt).not.toBeNull();
    expect(s.lastError).toBeNull();
  }, 40_000);

  it('a changed connection restarts that client only; a disabled machine is stopped; bad settings show as an error', async () => {
    await database.query(
      `UPDATE machines SET connection = connection || '{"publishingIntervalMs": 100}'::jsonb WHERE code = 'PUN-02'`,
    );
    await manager.refresh();
    expect(manager.status().map((s) => [s.code, s.restarts])).toEqual([
      ['PUN-01', 0],
      ['PUN-02', 1],
    ]);
    server.setState('PUN-02', 'setup');
    await until('PUN-02 setup after restart', async () => ((await stateOf('PUN-02')) === 'setup' ? true : undefined));

    await database.query(`UPDATE machines SET enabled = false WHERE code = 'PUN-02'`);
    await database.query(
      `UPDATE machines SET connection = '{"endpointUrl": "opc.tcp://127.0.0.1:1"}' WHERE code = 'PUN-01'`,
    );
    await manager.refresh();
    const after = manager.status();
    expect(after.map((s) => s.code)).toEqual(['PUN-01']);
    expect(after[0]!.lastError).toBe('machine PUN-01: connection.namespaceUri is required for protocol opcua');
    expect(after[0]!.connected).toBe(false);
  }, 40_000);
});

describe('connector manager against the simulator MTConnect agent', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let agent: MTConnectAgent;
  let runtime: MachinesRuntime;
  let manager: ConnectorManager;
  const events = new EventBus();

  beforeAll(async () => {
    database = await testDatabase();
    await database.exec(`
      INSERT INTO departments (id, name) VALUES ('laser', 'Laser');
      INSERT INTO work_centers (id, name, department_id, machine_type) VALUES ('LASER-01', 'Fiber laser 1', 'laser', 'laser');`);
    agent = new MTConnectAgent({
      port: 0,
      devices: [{ name: 'LASER-01', uuid: 'sim-laser-01', machineId: 'LASER-01' }],
    });
    const { url } = await agent.start();
    await database.query(
      `INSERT INTO machines (code, name, work_center_id, department_id, protocol, connection)
       VALUES ('LASER-01', 'Fiber laser 1', 'LASER-01', 'laser', 'mtconnect', $1)`,
      [JSON.stringify({ url, interval: 100, heartbeat: 1000 })],
    );
    runtime = await startMachines(
      { database, config: { ...loadConfig({}), mqttEnabled: false }, events },
      { mqtt: false, maintenance: false, log: () => {} },
    );
    manager = createConnectorManager({
      db: database.db,
      submit: (e) => runtime.ingest.push(e),
      factories: FACTORIES,
      refreshMs: 0,
    });
  }, 30_000);

  afterAll(async () => {
    await manager?.stop();
    await runtime?.stop();
    await agent?.stop();
    await database?.drop();
  }, 30_000);

  it('streams the agent into the machine status, and keeps streaming after the agent restarts', async () => {
    const state = async () => (await database.query<{ state: string }>('SELECT state FROM machine_status'))[0]?.state;
    await manager.refresh();
    for (const [item, value] of Object.entries({
      availability: 'AVAILABLE',
      execution: 'ACTIVE',
      controller_mode: 'AUTOMATIC',
    }))
      agent.observe('LASER-01', item, value);
    await until('LASER-01 running', async () => ((await state()) === 'running' ? true : undefined));
    expect(manager.status()[0]).toMatchObject({ code: 'LASER-01', protocol: 'mtconnect', connected: true });
    await agent.stop();
    await agent.start();
    agent.observe('LASER-01', 'execution', 'READY');
    await until('LASER-01 idle after the agent restart', async () => ((await state()) === 'idle' ? true : undefined));
    expect(manager.status()[0]!.events).toBeGreaterThan(1);
  }, 30_000);
});
