import { join } from 'node:path';
// A test-only peer: the simulator's MTConnect agent (workspace package, built before the tests).
import { MTConnectAgent } from '@kerf/sim';
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

describe('MtconnectSource in the gateway', () => {
  it('forwards an MTConnect agent through an upstream cut: every part count once, in order', async () => {
    const agent = new MTConnectAgent({ devices: [{ name: 'laser1', uuid: 'kerf-laser1' }] });
    await agent.start();
    cleanups.push(() => agent.stop());
    agent.observe('laser1', 'availability', 'AVAILABLE');
    agent.observe('laser1', 'controller_mode', 'AUTOMATIC');
    agent.observe('laser1', 'execution', 'ACTIVE');

    const broker = await TwoDoorBroker.start();
    cleanups.push(() => broker.close());
    const department = `T${randomId()}`;
    const subscriber = await CheckingSubscriber.start(`mqtt://127.0.0.1:${broker.downstream.port}`, department);
    cleanups.push(() => subscriber.close());
    const config = parseConfig({
      gatewayId: `mtc-${randomId()}`,
      upstream: { url: `mqtt://127.0.0.1:${broker.upstream.port}`, reconnectMaxMs: 200 },
      buffer: { path: join(tempDir('kerf-edge-mtc-'), 'buffer.db'), maxEvents: 10_000 },
      machines: [{ id: 'LAS-01', department, protocol: 'mtconnect', agentUrl: agent.url, device: 'laser1' }],
      healthPort: 0,
    });
    const gateway = await EdgeGateway.start({ config, log: silentLogger, compactIntervalMs: 0 });
    cleanups.push(() => gateway.stop(500));
    await waitFor('the source to stream', () => gateway.healthReport().sources[0]!.state === 'connected');

    const counts = 60;
    for (let i = 1; i <= counts; i++) {
      agent.observe('laser1', 'part_count', i);
      if (i === 20) {
        await waitFor('counts upstream', () => subscriber.keys.size > 10);
        await broker.upstream.cut();
        await waitFor('the cut', () => !gateway.publisher.connected);
      }
      if (i === 40) {
        await waitFor('counts buffered during the cut', () => gateway.buffer.depth() >= 10);
        await broker.upstream.open();
      }
      await sleep(10);
    }
    await waitFor(
      'the last count upstream',
      () => subscriber.firstSeen.get('LAS-01')?.length === subscriber.keys.size && seenCounts().at(-1) === counts,
      15_000,
    );

    function seenCounts(): number[] {
      return subscriber.values.filter((e) => e.metric === 'part_count').map((e) => e.value as number);
    }
    expect(seenCounts()).toEqual(Array.from({ length: counts }, (_, i) => i + 1));
    const sources = new Set(subscriber.values.map((e) => e.source));
    expect([...sources]).toEqual([`mtconnect:${agent.instanceId}`]);
    const seqs = subscriber.firstSeen.get('LAS-01')!;
    expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
    expect(subscriber.values.find((e) => e.metric === 'state')?.value).toBe('running');
    expect(gateway.counters.replayed).toBeGreaterThan(0);
  });
});
