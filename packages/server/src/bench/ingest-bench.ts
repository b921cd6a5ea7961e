import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { encodeShopfloorMessage } from '@kerf/connectors';
import { ensureAdmin } from '../auth/service.js';
import { loadConfig } from '../platform/config.js';
import { openDatabase, type Database } from '../platform/db.js';
import { EventBus } from '../platform/events.js';
import { buildApp } from '../app/build-app.js';
import { migrate } from '../platform/migrate.js';
import { startMachines } from '../machines/runtime.js';

/**
 * `npm run bench:ingest`: MQTT publishers (worker threads, loopback) push shopfloor messages
 * through Mosquitto (MQTT_URL) and through the embedded broker into PostgreSQL (and PGlite,
 * shorter). The Mosquitto row uses a private Mosquitto (the installed binary, free loopback port,
 * `max_queued_messages 0`): the stock limit of 1000 queued QoS 1 messages per client drops bursts,
 * which would measure the broker's config instead of Kerf. KERF_BENCH_MQTT_URL uses another broker. Prints sustained messages/s into the database, then the latency from publish to a
 * WebSocket client at 200 machines x 1 Hz (timestamps are taken on one clock: same process).
 */

const PG_URL = process.env.KERF_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MACHINES = 200;
const PUBLISHERS = Number(process.env.KERF_BENCH_PUBLISHERS ?? 2);
/** unacknowledged QoS 1 messages a publisher keeps in flight */
const WINDOW = Number(process.env.KERF_BENCH_WINDOW ?? 2000);
const DEPTS = ['laser', 'punch', 'form', 'weld', 'polish', 'assembly'];
const code = (i: number) => `BM-${String(i).padStart(3, '0')}`;
const dept = (i: number) => DEPTS[i % DEPTS.length]!;

interface PublishJob {
  url: string;
  machines: number[];
  perMachine: number;
  runTag: string;
}

/** Worker: publishes `perMachine` part counts for each of its machines at QoS 1, as fast as acks allow. */
async function publisher(job: PublishJob): Promise<void> {
  const client = await mqtt.connectAsync(job.url, {
    protocolVersion: 4,
    clientId: `bench-pub-${randomBytes(4).toString('hex')}`,
  });
  // Connected: wait for the start signal so thread start-up is not timed.
  parentPort!.postMessage('ready');
  await new Promise((resolve) => parentPort!.once('message', resolve));
  const base = Date.now();
  const window: Promise<unknown>[] = [];
  for (let s = 1; s <= job.perMachine; s++) {
    for (const i of job.machines) {
      const m = encodeShopfloorMessage(
        {
          machineId: code(i),
          timestamp: new Date(base + s).toISOString(),
          source: `bench-${job.runTag}`,
          sequence: s,
          kind: 'metric',
          metric: 'spindle_speed',
          value: s % 1000,
        },
        dept(i),
      );
      window.push(client.publishAsync(m.topic, m.payload, { qos: 1 }));
      if (window.length >= WINDOW) await Promise.all(window.splice(0));
    }
  }
  await Promise.all(window);
  await client.endAsync();
  parentPort!.postMessage('done');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Mosquitto {
  url: string;
  stop: () => void;
}

/** KERF_BENCH_MQTT_URL, or a private Mosquitto that queues without limit, stopped by `stop`. */
async function startMosquitto(): Promise<Mosquitto> {
  const external = process.env.KERF_BENCH_MQTT_URL;
  if (external) return { url: external, stop: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'kerf-bench-mosquitto-'));
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'max_queued_messages 0',
      'max_inflight_messages 0',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
  const stop = () => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `mqtt://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const probe = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 500 });
      await probe.endAsync();
      return { url, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  stop();
  throw new Error(`mosquitto did not start on ${url} (is the mosquitto binary installed?)`);
}

async function setupDatabase(kind: 'postgres' | 'pglite'): Promise<Database & { drop: () => Promise<void> }> {
  const schema = `kerf_bench_${randomBytes(4).toString('hex')}`;
  const database =
    kind === 'postgres'
      ? await openDatabase({ databaseUrl: PG_URL, schema, poolSize: 10 })
      : await openDatabase({ dataDir: 'memory://' });
  await migrate(database);
  for (const d of DEPTS) await database.query('INSERT INTO departments (id, name) VALUES ($1, $1)', [d]);
  for (let i = 0; i < MACHINES; i++) {
    await database.query("INSERT INTO machines (code, name, department_id, protocol) VALUES ($1, $1, $2, 'mqtt')", [
      code(i),
      dept(i),
    ]);
  }
  return {
    ...database,
    drop: async () => {
      if (kind === 'postgres') await database.exec(`DROP SCHEMA ${schema} CASCADE`);
      await database.close();
    },
  };
}

interface ThroughputRow {
  database: string;
  broker: string;
  messages: number;
  seconds: number;
  rate: number;
  stored: number;
  duplicates: number;
  rejected: number;
  /** INSERT transactions: fewer, larger batches mean the writer kept up */
  batches: number;
}

async function throughput(
  kind: 'postgres' | 'pglite',
  broker: 'mosquitto' | 'embedded',
  perMachine: number,
): Promise<ThroughputRow> {
  const mosquitto = broker === 'mosquitto' ? await startMosquitto() : undefined;
  try {
    return await measureThroughput(kind, broker, perMachine, mosquitto?.url);
  } finally {
    mosquitto?.stop();
  }
}

async function measureThroughput(
  kind: 'postgres' | 'pglite',
  broker: 'mosquitto' | 'embedded',
  perMachine: number,
  mqttUrl: string | undefined,
): Promise<ThroughputRow> {
  const database = await setupDatabase(kind);
  const events = new EventBus();
  const config = {
    ...loadConfig({}),
    mqttEnabled: true,
    mqttPort: 0,
    mqttAnonymous: true,
    mqttUrl,
  };
  const runtime = await startMachines(
    { database, events, config },
    {
      clientId: `kerf-bench-${randomBytes(3).toString('hex')}`,
      maintenance: kind === 'postgres',
      log: () => undefined,
    },
  );
  const runTag = randomBytes(3).toString('hex');
  const total = MACHINES * perMachine;
  const workers = Array.from({ length: PUBLISHERS }, (_, w) => {
    const machines = Array.from({ length: MACHINES }, (_, i) => i).filter((i) => i % PUBLISHERS === w);
    return new Worker(new URL(import.meta.url), {
      workerData: { url: runtime.mqttUrl!, machines, perMachine, runTag } satisfies PublishJob,
    });
  });
  const next = (w: Worker) =>
    new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
    });
  await Promise.all(workers.map(next));
  const started = performance.now();
  const finished = workers.map(next);
  for (const w of workers) w.postMessage('go');
  await Promise.all(finished);
  const c = runtime.ingest.counters;
  // Stop waiting when nothing arrives for 5 s: a broker that dropped messages (Mosquitto's
  // max_queued_messages) would otherwise hang the run; the table then shows stored < messages.
  let last = -1;
  let lastChange = performance.now();
  while (c.stored + c.duplicates + c.rejected < total && performance.now() - lastChange < 5_000) {
    const now = c.stored + c.duplicates + c.rejected;
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await runtime.ingest.flushed();
  // A stalled run is timed to its last stored row, not to the 5 s wait.
  const seconds = ((c.stored + c.duplicates + c.rejected >= total ? performance.now() : lastChange) - started) / 1000;
  const row: ThroughputRow = {
    database: kind,
    broker,
    messages: total,
    seconds,
    rate: c.stored / seconds,
    stored: c.stored,
    duplicates: c.duplicates,
    rejected: c.rejected,
    batches: c.batches,
  };
  await runtime.stop();
  await database.drop();
  return row;
}

interface LatencyRow {
  database: string;
  broker: string;
  seconds: number;
  received: number;
  p50: number;
  p99: number;
  max: number;
}

async function latency(kind: 'postgres' | 'pglite', seconds: number): Promise<LatencyRow> {
  const database = await setupDatabase(kind);
  const events = new EventBus();
  const config = {
    ...loadConfig({}),
    mqttEnabled: true,
    mqttPort: 0,
    mqttAnonymous: true,
    logLevel: 'silent' as const,
  };
  const machines = await startMachines({ database, events, config }, { maintenance: false, log: () => undefined });
  await ensureAdmin(database.db, 'bench-owner-secret');
  const { app } = await buildApp({ database, config, events, machines });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'admin', password: 'bench-owner-secret' },
  });
  const token = (login.json() as { token: string }).token;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws?access_token=${token}`);
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ subscribe: ['machines'] }));
  const samples: number[] = [];
  ws.on('message', (raw: Buffer) => {
    const msg = JSON.parse(raw.toString()) as { event?: { type: string; at: string } };
    if (msg.event?.type === 'machine.status') samples.push(Date.now() - Date.parse(msg.event.at));
  });
  const pub = await mqtt.connectAsync(machines.mqttUrl!, { protocolVersion: 4 });
  await new Promise((r) => setTimeout(r, 200));
  // 200 machines at 1 Hz, spread over each second; every message is a new part count (a status event).
  for (let s = 1; s <= seconds; s++) {
    const tickStart = Date.now();
    for (let i = 0; i < MACHINES; i++) {
      const m = encodeShopfloorMessage(
        {
          machineId: code(i),
          timestamp: new Date().toISOString(),
          source: 'bench',
          sequence: s,
          kind: 'count',
          metric: 'part_count',
          value: s,
        },
        dept(i),
      );
      pub.publish(m.topic, m.payload, { qos: 1 });
      const due = tickStart + ((i + 1) * 1000) / MACHINES;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
  await new Promise((r) => setTimeout(r, 1000));
  ws.close();
  await pub.endAsync();
  await app.close();
  await machines.stop();
  await database.drop();
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? NaN;
  return {
    database: kind,
    broker: 'embedded',
    seconds,
    received: samples.length,
    p50: q(0.5),
    p99: q(0.99),
    max: samples.at(-1) ?? NaN,
  };
}

async function main(): Promise<void> {
  const per = Number(process.env.KERF_BENCH_PER_MACHINE ?? 500);
  const latencySeconds = Number(process.env.KERF_BENCH_SECONDS ?? 20);
  process.stderr.write(`bench:ingest: ${MACHINES} machines, ${PUBLISHERS} publisher threads, ${cpus().length} cores\n`);
  const rows: ThroughputRow[] = [];
  const only = process.env.KERF_BENCH_ONLY; // e.g. "postgres-embedded" to run one row
  const want = (db: string, broker: string) => !only || only === `${db}-${broker}`;
  if (want('postgres', 'mosquitto')) rows.push(await throughput('postgres', 'mosquitto', per));
  if (want('postgres', 'embedded')) rows.push(await throughput('postgres', 'embedded', per));
  if (want('pglite', 'embedded')) rows.push(await throughput('pglite', 'embedded', Math.max(1, Math.floor(per / 5))));
  console.log('\nSustained ingest (QoS 1 publish -> rows committed)');
  console.table(
    rows.map((r) => ({
      database: r.database,
      broker: r.broker,
      messages: r.messages,
      seconds: r.seconds.toFixed(2),
      'msg/s': Math.round(r.rate),
      stored: r.stored,
      duplicates: r.duplicates,
      rejected: r.rejected,
      batches: r.batches,
    })),
  );
  if (only) return;
  const lat: LatencyRow[] = [
    await latency('postgres', latencySeconds),
    await latency('pglite', Math.ceil(latencySeconds / 2)),
  ];
  console.log('\nLatency MQTT publish -> WebSocket machine.status (200 machines x 1 Hz, ms)');
  console.table(lat);
}

if (isMainThread) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  publisher(workerData as PublishJob).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
