import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseConfig, type FullPolicy } from './config.js';
import { EdgeGateway } from './gateway.js';
import type { HealthReport } from './health.js';
import { silentLogger } from './log.js';
import { InProcessSource } from './sources/in-process.js';
import {
  CheckingSubscriber,
  countEvent,
  isCompleteRun,
  randomId,
  sleep,
  TwoDoorBroker,
  waitFor,
  removeTempDirs,
  tempDir,
} from './testing/peers.js';

afterAll(removeTempDirs);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(options: { inflight?: number; maxEvents?: number; fullPolicy?: FullPolicy; machines: string[] }) {
  const broker = await TwoDoorBroker.start();
  cleanups.push(() => broker.close());
  const department = `T${randomId()}`;
  const subscriber = await CheckingSubscriber.start(`mqtt://127.0.0.1:${broker.downstream.port}`, department);
  cleanups.push(() => subscriber.close());
  const config = parseConfig({
    gatewayId: `test-${randomId()}`,
    upstream: {
      url: `mqtt://127.0.0.1:${broker.upstream.port}`,
      inflight: options.inflight ?? 100,
      reconnectMaxMs: 200,
    },
    buffer: {
      path: join(tempDir('kerf-edge-gw-'), 'buffer.db'),
      maxEvents: options.maxEvents ?? 1_000_000,
      fullPolicy: options.fullPolicy ?? 'drop-oldest',
    },
    machines: [{ id: 'unused', department, protocol: 'mqtt-local', url: 'mqtt://127.0.0.1:1' }],
    healthPort: 0,
  });
  const sources = options.machines.map((m) => new InProcessSource(m, department));
  const gateway = await EdgeGateway.start({ config, sources, log: silentLogger, compactIntervalMs: 0 });
  cleanups.push(() => gateway.stop(500));
  const get = async (path: string) => fetch(`http://127.0.0.1:${gateway.healthPort}${path}`);
  const health = async () => (await (await get('/health')).json()) as HealthReport;
  return { broker, subscriber, gateway, sources, health, get };
}

describe('EdgeGateway with the embedded broker', () => {
  it('buffers through an upstream cut and delivers every event once by key, in order per machine', async () => {
    const machines = ['LAS-01', 'PUN-01', 'WLD-01'];
    const { broker, subscriber, gateway, sources, health } = await setup({ machines, inflight: 50 });
    let seq = 0;
    const produce = async (ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        seq++;
        for (const s of sources) s.push(countEvent(s.id, seq));
        await sleep(2);
      }
    };

    await produce(300);
    await waitFor('upstream traffic', () => subscriber.keys.size > 0);
    await broker.upstream.cut();
    await waitFor('the gateway to notice the cut', () => !gateway.publisher.connected);
    const cutAt = seq;
    await produce(700);
    const during = await health();
    expect(during.status).toBe('degraded');
    expect(during.upstream.connected).toBe(false);
    expect(during.buffer.depth).toBeGreaterThanOrEqual((seq - cutAt) * machines.length);
    expect(during.buffer.oldestAgeSeconds).toBeGreaterThan(0.3);
    const seenAtCut = subscriber.keys.size;

    await broker.upstream.open();
    await produce(300);
    const total = seq * machines.length;
    await subscriber.waitForDistinct(total);
    await waitFor('the buffer to drain', () => gateway.buffer.depth() === 0);

    for (const m of machines) expect(isCompleteRun(subscriber.firstSeen.get(m)!, 1, seq)).toBe(true);
    expect(subscriber.keys.size).toBe(total);
    expect(subscriber.errors).toEqual([]);
    // Only events whose PUBACK was lost in the cut may arrive twice, and they were counted as resent.
    expect(subscriber.duplicates).toBeLessThanOrEqual(gateway.counters.resent);
    expect(gateway.counters.resent).toBeLessThanOrEqual(50);
    const c = gateway.counters;
    expect(c.received).toBe(total);
    expect(c.buffered).toBe(total);
    expect(c.published).toBeGreaterThanOrEqual(total);
    expect(c.published).toBeLessThanOrEqual(subscriber.raw);
    expect(c.published - c.resent).toBeLessThanOrEqual(total);
    expect(c.replayed).toBeGreaterThanOrEqual(total - seenAtCut - 300 * machines.length);
    expect(c.reconnects).toBe(1);
    expect((await health()).status).toBe('ok');
  });

  it('resends only the unacknowledged window when cut again in the middle of a replay', async () => {
    const machines = ['LAS-01', 'LAS-02'];
    const { broker, subscriber, gateway, sources } = await setup({ machines, inflight: 500 });
    await waitFor('first connect', () => gateway.publisher.connected);
    await broker.upstream.cut();
    await waitFor('the cut', () => !gateway.publisher.connected);
    const perMachine = 10_000;
    for (let i = 1; i <= perMachine; i += 1000) {
      for (const s of sources) s.push(...Array.from({ length: 1000 }, (_, k) => countEvent(s.id, i + k)));
    }
    await broker.upstream.open();
    await waitFor('part of the replay', () => subscriber.keys.size >= 2000, 20_000);
    await broker.upstream.cut();
    await waitFor('the second cut', () => !gateway.publisher.connected);
    const inBuffer = gateway.buffer.depth();
    expect(inBuffer).toBeGreaterThan(0);
    await broker.upstream.open();
    await subscriber.waitForDistinct(perMachine * machines.length);

    for (const m of machines) expect(isCompleteRun(subscriber.firstSeen.get(m)!, 1, perMachine)).toBe(true);
    const c = gateway.counters;
    expect(c.resent).toBeGreaterThan(0);
    expect(c.resent).toBeLessThanOrEqual(500);
    expect(subscriber.duplicates).toBeLessThanOrEqual(c.resent);
    expect(c.reconnects).toBe(2);
    expect(c.replayed).toBe(c.published);
  });

  it('applies drop-oldest when the buffer is full, counts it on /metrics, and sends the newest events', async () => {
    const { broker, subscriber, gateway, sources, get } = await setup({ machines: ['LAS-01'], maxEvents: 100 });
    await waitFor('first connect', () => gateway.publisher.connected);
    await broker.upstream.cut();
    await waitFor('the cut', () => !gateway.publisher.connected);
    for (let i = 1; i <= 250; i++) sources[0]!.push(countEvent('LAS-01', i));
    expect(gateway.counters.droppedOldest).toBe(150);
    expect(gateway.buffer.depth()).toBe(100);
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(/kerf_edge_dropped_total\{gateway="[^"]+",reason="oldest"\} 150\n/);
    expect(metrics).toMatch(/kerf_edge_backlog\{gateway="[^"]+"\} 100\n/);
    expect(metrics).toMatch(/kerf_edge_upstream_connected\{gateway="[^"]+"\} 0\n/);

    await broker.upstream.open();
    await subscriber.waitForDistinct(100);
    expect(isCompleteRun(subscriber.firstSeen.get('LAS-01')!, 151, 250)).toBe(true);
  });

  it('applies stop-intake when the buffer is full: the oldest events stay and new ones are refused and counted', async () => {
    const { broker, subscriber, gateway, sources, get } = await setup({
      machines: ['LAS-01'],
      maxEvents: 100,
      fullPolicy: 'stop-intake',
    });
    await waitFor('first connect', () => gateway.publisher.connected);
    await broker.upstream.cut();
    await waitFor('the cut', () => !gateway.publisher.connected);
    for (let i = 1; i <= 250; i++) sources[0]!.push(countEvent('LAS-01', i));
    expect(gateway.counters.droppedIntake).toBe(150);
    expect(await (await get('/metrics')).text()).toMatch(
      /kerf_edge_dropped_total\{gateway="[^"]+",reason="intake"\} 150\n/,
    );

    await broker.upstream.open();
    await subscriber.waitForDistinct(100);
    expect(isCompleteRun(subscriber.firstSeen.get('LAS-01')!, 1, 100)).toBe(true);
  });

  it('answers /health with per-source status and 404 elsewhere', async () => {
    const { gateway, health, get } = await setup({ machines: ['LAS-01', 'PUN-01'] });
    await waitFor('connect', () => gateway.publisher.connected);
    const report = await health();
    expect(report).toMatchObject({
      status: 'ok',
      upstream: { connected: true },
      buffer: { depth: 0, fullPolicy: 'drop-oldest' },
    });
    expect(report.sources.map((s) => [s.id, s.state])).toEqual([
      ['LAS-01', 'connected'],
      ['PUN-01', 'connected'],
    ]);
    expect((await get('/nope')).status).toBe(404);
  });
});
