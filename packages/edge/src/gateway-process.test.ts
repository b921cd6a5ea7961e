import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeShopfloorMessage } from '@kerf/connectors';
import mqtt from 'mqtt';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { EdgeGateway } from './gateway.js';
import { silentLogger } from './log.js';
import { InProcessSource } from './sources/in-process.js';
import {
  CheckingSubscriber,
  clearSession,
  countEvent,
  CuttableProxy,
  isCompleteRun,
  randomId,
  sleep,
  TwoDoorBroker,
  waitFor,
  removeTempDirs,
  tempDir,
} from './testing/peers.js';

afterAll(removeTempDirs);
const MOSQUITTO = 'mqtt://127.0.0.1:1883';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempBuffer(): string {
  return join(tempDir('kerf-edge-proc-'), 'buffer.db');
}

describe('EdgeGateway with Mosquitto', () => {
  it('survives a network cut to Mosquitto (MQTT 5 persistent session) with every event once, in order', async () => {
    const proxy = new CuttableProxy(1883);
    await proxy.open();
    cleanups.push(() => proxy.cut());
    const department = `T${randomId()}`;
    const subscriber = await CheckingSubscriber.start(MOSQUITTO, department);
    cleanups.push(() => subscriber.close());
    const clientId = `kerf-edge-test-${randomId()}`;
    cleanups.push(() => clearSession(MOSQUITTO, clientId));
    const config = parseConfig({
      gatewayId: 'mosq',
      upstream: {
        url: `mqtt://127.0.0.1:${proxy.port}`,
        clientId,
        protocolVersion: 5,
        inflight: 200,
        reconnectMaxMs: 200,
      },
      buffer: { path: tempBuffer(), maxEvents: 100_000 },
      machines: [{ id: 'unused', department, protocol: 'mqtt-local', url: 'mqtt://127.0.0.1:1' }],
      healthPort: 0,
    });
    const machines = ['BRK-01', 'BRK-02'];
    const sources = machines.map((m) => new InProcessSource(m, department));
    const gateway = await EdgeGateway.start({ config, sources, log: silentLogger, compactIntervalMs: 0 });
    cleanups.push(() => gateway.stop(500));
    let seq = 0;
    const produce = async (ms: number, batch: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        for (const s of sources) s.push(...Array.from({ length: batch }, (_, k) => countEvent(s.id, seq + k + 1)));
        seq += batch;
        await sleep(2);
      }
    };
    await produce(300, 5);
    await proxy.cut();
    await waitFor('the cut', () => !gateway.publisher.connected);
    await produce(500, 20);
    expect(gateway.buffer.depth()).toBeGreaterThan(1000);
    await proxy.open();
    await produce(200, 5);
    await subscriber.waitForDistinct(seq * machines.length);
    for (const m of machines) expect(isCompleteRun(subscriber.firstSeen.get(m)!, 1, seq)).toBe(true);
    expect(subscriber.duplicates).toBeLessThanOrEqual(gateway.counters.resent);
    expect(gateway.counters.reconnects).toBe(1);
    await waitFor('the buffer to drain', () => gateway.buffer.depth() === 0);
  });
});

describe('kerf-edge process killed and restarted', () => {
  it('loses nothing after SIGKILL; the only duplicates are unacknowledged events with the same sequence', async () => {
    const local = await TwoDoorBroker.start();
    cleanups.push(() => local.close());
    const department = `T${randomId()}`;
    const subscriber = await CheckingSubscriber.start(MOSQUITTO, department);
    cleanups.push(() => subscriber.close());
    const upstreamClientId = `kerf-edge-test-${randomId()}`;
    cleanups.push(() => clearSession(MOSQUITTO, upstreamClientId));
    const inflight = 100;
    const dir = tempDir('kerf-edge-kill-');
    const configPath = join(dir, 'edge.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        gatewayId: `kill-${randomId()}`,
        upstream: { url: MOSQUITTO, clientId: upstreamClientId, inflight, reconnectMaxMs: 500 },
        buffer: { path: join(dir, 'buffer.db'), maxEvents: 1_000_000 },
        machines: [
          {
            id: 'K-01',
            department,
            protocol: 'mqtt-local',
            url: `mqtt://127.0.0.1:${local.upstream.port}`,
            topic: 'shopfloor/+/K-01/#',
          },
        ],
        healthPort: 0,
      }),
    );
    const children: ChildProcess[] = [];
    cleanups.push(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    let stderr = '';
    const startGateway = async (): Promise<ChildProcess> => {
      const subscribed = once(local.broker, 'subscribe');
      const child = spawn(process.execPath, ['--import', 'tsx', cli, '--config', configPath], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      children.push(child);
      // The first start subscribes; a restart resumes its session (sessionPresent) and does not.
      if (children.length === 1) await subscribed;
      return child;
    };

    const publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${local.downstream.port}`, {
      clientId: `kerf-edge-test-plc-${randomId()}`,
    });
    cleanups.push(() => publisher.endAsync(true));
    const total = 3000;
    const publishRange = async (from: number, to: number) => {
      for (let i = from; i <= to; i += 10) {
        const batch = [];
        for (let k = i; k < Math.min(i + 10, to + 1); k++) {
          const { payload } = encodeShopfloorMessage(countEvent('K-01', k, 'plc'), 'LOCAL');
          batch.push(publisher.publishAsync('shopfloor/LOCAL/K-01/part_count', payload, { qos: 1 }));
        }
        await Promise.all(batch);
        await sleep(3);
      }
    };

    const first = await startGateway();
    const publishing = publishRange(1, total);
    await waitFor('events upstream before the kill', () => subscriber.keys.size >= 800, 20_000);
    first.kill('SIGKILL');
    await once(first, 'exit');
    await publishing; // the rest waits in the local broker's session for the gateway
    const beforeRestart = subscriber.keys.size;
    expect(beforeRestart).toBeLessThan(total);

    const second = await startGateway();
    await subscriber.waitForDistinct(total, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${stderr}`);
    });
    second.kill('SIGTERM');
    const [code] = (await once(second, 'exit')) as [number | null];
    expect(code).toBe(0);

    expect(isCompleteRun(subscriber.firstSeen.get('K-01')!, 1, total)).toBe(true);
    expect(subscriber.errors).toEqual([]);
    // At most the in-flight window (sent, no PUBACK yet) plus the one local message persisted
    // but not yet acknowledged when the process died.
    expect(subscriber.duplicates).toBeLessThanOrEqual(inflight + 1);
    expect(stderr).toContain('"msg":"edge gateway stopped"');
  });
});
