/**
 * bench:edge: a 24 h outage of 50 machines at 1 Hz (4.32 M events) in the disk buffer, then the
 * replay through Mosquitto on loopback to a subscriber that checks every event arrived in order.
 *
 * By default it starts a private Mosquitto (the installed binary) on a free loopback port with
 * `max_queued_messages 0`: the stock limit of 1000 queued QoS 1 messages per subscriber would drop
 * messages whenever the subscriber lags the replay, which measures the broker's config, not the
 * gateway. KERF_BENCH_MQTT_URL points it at another broker instead.
 *
 * Env: KERF_BENCH_EDGE_MACHINES (50), KERF_BENCH_EDGE_SECONDS (86400), KERF_BENCH_EDGE_INFLIGHT (1000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { encodeShopfloorMessage, type MachineEvent } from '@kerf/connectors';
import mqtt from 'mqtt';
import { EventBuffer, type BufferedMessage } from '../buffer.js';
import { silentLogger } from '../log.js';
import { EdgeCounters } from '../metrics.js';
import { UpstreamPublisher } from '../publisher.js';
import type { SubscriberInput, SubscriberReport } from './edge-subscriber.js';

const MACHINES = Number(process.env.KERF_BENCH_EDGE_MACHINES ?? 50);
const SECONDS = Number(process.env.KERF_BENCH_EDGE_SECONDS ?? 86_400);
const INFLIGHT = Number(process.env.KERF_BENCH_EDGE_INFLIGHT ?? 1000);
const FILL_BATCH = 10_000;
const DEPARTMENT = 'BENCH';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startMosquitto(dir: string): Promise<{ url: string; child: ChildProcess | null }> {
  if (process.env.KERF_BENCH_MQTT_URL) return { url: process.env.KERF_BENCH_MQTT_URL, child: null };
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'max_queued_messages 0', ''].join('\n'),
  );
  const child = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  const url = `mqtt://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const probe = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 500 });
      await probe.endAsync();
      return { url, child };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error(`mosquitto did not start on ${url}`);
}

/** Machine m's reading at second t: a spindle load most seconds, the part count once a minute. */
function eventAt(machine: number, t: number, start: number): MachineEvent {
  const machineId = `BNC-${String(machine + 1).padStart(2, '0')}`;
  const timestamp = new Date(start + t * 1000).toISOString();
  const sequence = t + 1;
  if (t % 60 === 59) {
    return {
      machineId,
      timestamp,
      source: 'bench',
      sequence,
      kind: 'count',
      metric: 'part_count',
      value: (t + 1) / 60,
    };
  }
  return {
    machineId,
    timestamp,
    source: 'bench',
    sequence,
    kind: 'metric',
    metric: 'spindle_load',
    value: (t * 7) % 100,
  };
}

function fill(buffer: EventBuffer): { seconds: number; events: number } {
  const started = performance.now();
  const start = Date.parse('2026-11-24T00:00:00Z');
  const receivedAt = Date.now();
  let batch: BufferedMessage[] = [];
  let events = 0;
  for (let t = 0; t < SECONDS; t++) {
    for (let m = 0; m < MACHINES; m++) {
      const { topic, payload } = encodeShopfloorMessage(eventAt(m, t, start), DEPARTMENT);
      batch.push({ topic, payload, receivedAt });
      if (batch.length === FILL_BATCH) {
        events += buffer.append(batch).accepted;
        batch = [];
      }
    }
  }
  events += buffer.append(batch).accepted;
  return { seconds: (performance.now() - started) / 1000, events };
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kerf-bench-edge-'));
  const { url, child: mosquitto } = await startMosquitto(dir);
  const total = MACHINES * SECONDS;
  console.log(`bench:edge  ${MACHINES} machines x ${SECONDS} s at 1 Hz = ${total.toLocaleString('en-US')} events`);
  console.log(
    `broker ${url}${mosquitto ? ' (private mosquitto, max_queued_messages 0)' : ''}, in-flight window ${INFLIGHT}`,
  );
  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  );

  const buffer = EventBuffer.open({ path: join(dir, 'buffer.db'), fullPolicy: 'drop-oldest', maxEvents: total });
  const filled = fill(buffer);
  buffer.compact(1);
  const diskAfterFill = buffer.diskBytes();

  const worker = new Worker(new URL('./edge-subscriber.js', import.meta.url), {
    workerData: { url, department: DEPARTMENT, expected: total } satisfies SubscriberInput,
  });
  const messages: { ready?: boolean; done?: boolean; progress?: boolean; report?: SubscriberReport }[] = [];
  worker.on('message', (msg: (typeof messages)[number]) => messages.push(msg));
  while (!messages.some((m) => m.ready)) await new Promise((r) => setTimeout(r, 20));

  const counters = new EdgeCounters();
  const publisher = new UpstreamPublisher(
    buffer,
    { url, clientId: 'kerf-bench-edge', protocolVersion: 4, inflight: INFLIGHT, reconnectMaxMs: 1000 },
    counters,
    silentLogger,
  );
  const replayStarted = performance.now();
  publisher.start();
  const drained = await publisher.drain(30 * 60_000);
  const publishSeconds = (performance.now() - replayStarted) / 1000;
  const deadline = Date.now() + 5 * 60_000;
  while (!messages.some((m) => m.done) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const endToEndSeconds = (performance.now() - replayStarted) / 1000;
  let report = messages.find((m) => m.done)?.report;
  if (!report) {
    worker.postMessage({ progress: true });
    await new Promise((r) => setTimeout(r, 200));
    report = messages.filter((m) => m.progress).pop()?.report;
  }
  await publisher.stop(1000);
  let compactSteps = 0;
  while (buffer.compact(16_384) > 0) compactSteps++;
  const diskAfterDrain = buffer.diskBytes();
  buffer.close();
  worker.postMessage({ stop: true });
  await new Promise((r) => setTimeout(r, 200));
  await worker.terminate();
  mosquitto?.kill();
  rmSync(dir, { recursive: true, force: true });

  const ok =
    drained &&
    report !== undefined &&
    report.distinct === total &&
    report.gaps === 0 &&
    report.decodeErrors === 0 &&
    report.machines === MACHINES;
  const rows: [string, string][] = [
    [
      'fill (encode + batch insert)',
      `${filled.seconds.toFixed(1)} s, ${Math.round(filled.events / filled.seconds).toLocaleString('en-US')} events/s`,
    ],
    ['buffer on disk after fill', `${mb(diskAfterFill)} (${(diskAfterFill / total).toFixed(0)} B/event)`],
    [
      'replay, PUBACKed',
      `${publishSeconds.toFixed(1)} s, ${Math.round(counters.published / publishSeconds).toLocaleString('en-US')} events/s`,
    ],
    [
      'replay, end to end (subscriber)',
      `${endToEndSeconds.toFixed(1)} s, ${Math.round((report?.distinct ?? 0) / endToEndSeconds).toLocaleString('en-US')} events/s`,
    ],
    ['subscriber received / distinct', `${report?.received ?? 0} / ${report?.distinct ?? 0} of ${total}`],
    [
      'duplicates / gaps / decode errors',
      `${report?.duplicates ?? '?'} / ${report?.gaps ?? '?'} / ${report?.decodeErrors ?? '?'}`,
    ],
    ['buffer on disk after drain', `${mb(diskAfterDrain)} (${compactSteps} compaction steps)`],
    ['all events, in order per machine', ok ? 'yes' : 'NO'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('');
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  process.exitCode = ok ? 0 : 1;
}

await main();
