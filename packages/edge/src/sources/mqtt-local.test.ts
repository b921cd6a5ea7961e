import { join } from 'node:path';
import { encodeShopfloorMessage } from '@kerf/connectors';
import mqtt from 'mqtt';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { EdgeGateway } from '../gateway.js';
import { silentLogger } from '../log.js';
import {
  CheckingSubscriber,
  countEvent,
  isCompleteRun,
  randomId,
  removeTempDirs,
  tempDir,
  TwoDoorBroker,
  waitFor,
} from '../testing/peers.js';

afterAll(removeTempDirs);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('MqttLocalSource in the gateway', () => {
  it('forwards a local broker upstream under the configured department and counts undecodable messages', async () => {
    const local = await TwoDoorBroker.start();
    cleanups.push(() => local.close());
    const upstream = await TwoDoorBroker.start();
    cleanups.push(() => upstream.close());
    // Kerf's broker wants credentials; the gateway must present the configured ones.
    upstream.broker.authenticate = (client, username, password, done) =>
      done(
        null,
        client.id.startsWith('kerf-edge-test-sub-') || (username === 'edge-bay-1' && password?.toString() === 'pw'),
      );
    const department = `T${randomId()}`;
    const subscriber = await CheckingSubscriber.start(`mqtt://127.0.0.1:${upstream.downstream.port}`, department);
    cleanups.push(() => subscriber.close());
    const config = parseConfig({
      gatewayId: `local-${randomId()}`,
      upstream: { url: `mqtt://127.0.0.1:${upstream.upstream.port}`, username: 'edge-bay-1', password: 'pw' },
      buffer: { path: join(tempDir('kerf-edge-local-'), 'buffer.db'), maxEvents: 10_000 },
      machines: [{ id: 'WLD-01', department, protocol: 'mqtt-local', url: `mqtt://127.0.0.1:${local.upstream.port}` }],
      healthPort: 0,
    });
    const gateway = await EdgeGateway.start({ config, log: silentLogger, compactIntervalMs: 0 });
    cleanups.push(() => gateway.stop(500));
    await waitFor('both connections', () => gateway.healthReport().status === 'ok');

    const plc = await mqtt.connectAsync(`mqtt://127.0.0.1:${local.downstream.port}`);
    cleanups.push(() => plc.endAsync(true));
    for (let i = 1; i <= 50; i++) {
      const { payload } = encodeShopfloorMessage(countEvent('WLD-01', i, 'plc'), 'WELDSHOP');
      await plc.publishAsync('shopfloor/WELDSHOP/WLD-01/part_count', payload, { qos: 1 });
      if (i === 25) await plc.publishAsync('shopfloor/WELDSHOP/WLD-01/state', '"exploded"', { qos: 1 });
    }
    await subscriber.waitForDistinct(50);
    expect(isCompleteRun(subscriber.firstSeen.get('WLD-01')!, 1, 50)).toBe(true);
    expect(subscriber.values.every((e) => e.source === 'plc')).toBe(true);
    expect(gateway.counters).toMatchObject({ received: 51, rejected: 1, buffered: 50 });
  });

  it('shows a refused upstream login on /health, password masked', async () => {
    const upstream = await TwoDoorBroker.start();
    cleanups.push(() => upstream.close());
    let presented: string | undefined;
    upstream.broker.authenticate = (_client, username, password, done) => {
      presented = `${username}:${password?.toString()}`;
      done(null, false);
    };
    const config = parseConfig({
      gatewayId: `auth-${randomId()}`,
      // credentials in the URL: /health must not show the password
      upstream: { url: `mqtt://edge:wrong@127.0.0.1:${upstream.upstream.port}` },
      buffer: { path: join(tempDir('kerf-edge-auth-'), 'buffer.db'), maxEvents: 10_000 },
      machines: [{ id: 'WLD-01', department: 'WELD', protocol: 'mqtt-local', url: 'mqtt://127.0.0.1:1' }],
      healthPort: 0,
    });
    const gateway = await EdgeGateway.start({ config, log: silentLogger, compactIntervalMs: 0 });
    cleanups.push(() => gateway.stop(100));
    await waitFor('the refusal', () => gateway.publisher.error !== null);
    expect(presented).toBe('edge:wrong');
    const report = gateway.healthReport();
    expect(report.status).toBe('degraded');
    expect(report.upstream.connected).toBe(false);
    expect(report.upstream.error).toMatch(/Not authorized|Bad username or password/i);
    expect(report.upstream.url).toBe(`mqtt://edge:***@127.0.0.1:${upstream.upstream.port}`);
  });
});
