import { join } from 'node:path';
import { machineToolMapping } from '@kerf/connectors';
// A test-only peer: the simulator's OPC UA server (workspace package, built before the tests).
import { OpcUaMachineServer, SIM_SHOP_NAMESPACE_URI } from '@kerf/sim';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { EdgeGateway } from '../gateway.js';
import { silentLogger } from '../log.js';
import {
  CheckingSubscriber,
  randomId,
  sleep,
  TwoDoorBroker,
  waitFor,
  removeTempDirs,
  tempDir,
} from '../testing/peers.js';

afterAll(removeTempDirs);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('OpcuaSource in the gateway', () => {
  it('forwards states and part counts of an OPC UA machine upstream, in order', async () => {
    const server = new OpcUaMachineServer({ machines: [{ machineId: 'PUN-01', name: 'Turret punch 1' }] });
    const { endpointUrl } = await server.start();
    cleanups.push(() => server.stop());

    const broker = await TwoDoorBroker.start();
    cleanups.push(() => broker.close());
    const department = `T${randomId()}`;
    const subscriber = await CheckingSubscriber.start(`mqtt://127.0.0.1:${broker.downstream.port}`, department);
    cleanups.push(() => subscriber.close());
    const { machineId: _, ...nodes } = machineToolMapping('PUN-01', SIM_SHOP_NAMESPACE_URI);
    const dir = tempDir('kerf-edge-opcua-');
    const config = parseConfig({
      gatewayId: `opcua-${randomId()}`,
      upstream: { url: `mqtt://127.0.0.1:${broker.upstream.port}` },
      buffer: { path: join(dir, 'buffer.db'), maxEvents: 10_000 },
      machines: [{ id: 'PUN-01', department, protocol: 'opcua', endpoint: endpointUrl, nodes }],
      healthPort: 0,
    });
    const gateway = await EdgeGateway.start({ config, log: silentLogger, compactIntervalMs: 0 });
    cleanups.push(() => gateway.stop(500));
    await waitFor('the OPC UA session', () => gateway.healthReport().sources[0]!.state === 'connected', 20_000);

    server.setState('PUN-01', 'running');
    for (let i = 1; i <= 5; i++) {
      server.setPartCount('PUN-01', i);
      await sleep(300);
    }
    const counts = () => subscriber.values.filter((e) => e.metric === 'part_count').map((e) => e.value);
    await waitFor('part count 5 upstream', () => counts().at(-1) === 5, 15_000);
    expect(counts().filter((c) => c !== 0)).toEqual([1, 2, 3, 4, 5]);
    expect(subscriber.values.filter((e) => e.metric === 'state').map((e) => e.value)).toContain('running');
    expect(new Set(subscriber.values.map((e) => e.source)).size).toBe(1);
    expect(subscriber.values[0]!.source).toMatch(/^opcua:/);
    expect(subscriber.duplicates).toBe(0);
  });
});
