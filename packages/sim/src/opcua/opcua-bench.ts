/**
 * OPC UA simulator and connector timings on loopback: server start (cold = new certificate, warm = restart),
 * client start, change-to-event latency, a burst over many machines, and recovery after a server restart.
 * Run: npx tsc -b packages/connectors packages/sim && node packages/sim/dist/opcua/opcua-bench.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MachineEvent } from '@kerf/connectors';
import { OpcUaMachineServer } from './opcua-machine-server.js';
import { RecordingClient } from './opcua-test-harness.js';

const rows: [string, string][] = [];
const ms = (t: number): string => `${t.toFixed(0)} ms`;
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const median = (values: number[]): number => percentile(values, 50);

async function timed<T>(step: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await step();
  return [result, performance.now() - t0];
}

async function main(): Promise<void> {
  const cold: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const pkiDir = mkdtempSync(join(tmpdir(), 'kerf-opcua-bench-'));
    const s = new OpcUaMachineServer({ machines: [{ machineId: 'M-01', name: 'M' }], pkiDir });
    cold.push((await timed(() => s.start()))[1]);
    await s.dispose();
    rmSync(pkiDir, { recursive: true, force: true });
  }
  rows.push(['server start, new PKI folder: certificate made (median of 3)', ms(median(cold))]);
  const shared: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const s = new OpcUaMachineServer({ machines: [{ machineId: 'M-01', name: 'M' }] });
    shared.push((await timed(() => s.start()))[1]);
    await s.dispose();
  }
  rows.push(['server start, shared PKI folder (median of 3)', ms(median(shared))]);

  const machines = Array.from({ length: 20 }, (_, i) => ({
    machineId: `M-${String(i + 1).padStart(2, '0')}`,
    name: `M${i}`,
  }));
  const server = new OpcUaMachineServer({ machines });
  const [{ endpointUrl }, big] = await timed(() => server.start());
  rows.push(['server start, 20 machines', ms(big)]);
  const warm: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    await server.stop();
    warm.push((await timed(() => server.start()))[1]);
  }
  rows.push(['server restart, same PKI, 20 machines (median of 3)', ms(median(warm))]);

  const ids = machines.map((m) => m.machineId);
  const c = new RecordingClient(endpointUrl, ids);
  const [, clientStart] = await timed(async () => {
    await c.client.start();
    await c.until('initial', () => ids.every((id) => c.of(id, 'part_count').length === 1), 30_000);
  });
  rows.push(['client start to first values, 20 machines x 6 nodes (publishing 50 ms)', ms(clientStart)]);

  const latencies: number[] = [];
  for (let n = 1; n <= 200; n += 1) {
    const t0 = performance.now();
    const got = new Promise<void>((resolve) => {
      const off = c.client.onEvents((events: MachineEvent[]) => {
        if (events.some((e) => e.machineId === 'M-01' && e.value === n)) {
          off();
          resolve();
        }
      });
    });
    server.setPartCount('M-01', n);
    await got;
    latencies.push(performance.now() - t0);
  }
  rows.push([
    'set -> event latency, 200 sequential counts: p50 / p95 / max',
    `${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 95))} / ${ms(Math.max(...latencies))}`,
  ]);

  const before = c.events.length;
  const [, burst] = await timed(async () => {
    for (let n = 1; n <= 50; n += 1) for (const id of ids) server.setPartCount(id, 1000 + n);
    await c.until('burst', () => ids.every((id) => c.values(id, 'part_count').at(-1) === 1050), 30_000);
  });
  const burstEvents = c.events.length - before;
  rows.push([
    'burst: 50 counts x 20 machines set at once -> all received',
    `${ms(burst)}, ${burstEvents} events (expected 1000)`,
  ]);

  const stopAt = performance.now();
  await server.stop();
  await c.until('lost', () => c.statuses.some((s) => s.status === 'connection_lost'));
  const detected = performance.now() - stopAt;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const restartAt = performance.now();
  await server.start({ extraNamespaceUris: ['urn:bench:padding'] });
  const started = performance.now();
  await c.until('restored', () => c.statuses.some((s) => s.status === 'session_restored'), 60_000);
  const restored = performance.now();
  server.setPartCount('M-01', 5000);
  await c.until('after restart', () => c.values('M-01', 'part_count').includes(5000));
  rows.push([
    'server restart (down 1 s, namespace moved): server up -> session restored + resubscribed',
    `${ms(restored - started)} (server start ${ms(started - restartAt)}; loss seen ${ms(detected)} after stop)`,
  ]);

  await c.stop();
  await server.dispose();
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nOPC UA simulator + connector (loopback, node ${process.version})\n`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
