import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/kerf-process.js';
import { freshPostgresDatabase } from './bench-database.js';

/**
 * `npm run bench:floor-api`: what an offline tablet's backlog costs the server. Starts Kerf with
 * the demo shop on PGlite and on PostgreSQL (loopback only), sets up a station with a signed-in
 * operator on the work center with the most ready work, then posts a backlog as the station's
 * replay loop does: BACKLOG transactions in pages of PAGE, starting OPERATIONS operations and
 * then pausing and resuming them in turn. Also times the same backlog sent again (every one a
 * duplicate) and one transaction per POST (a tap online). Prints a table.
 * Env: KERF_BENCH_BACKLOG (500), KERF_BENCH_PAGE (100), KERF_BENCH_OPERATIONS (4),
 * KERF_BENCH_ROUND_TRIPS (200), KERF_BENCH_PG_URL, KERF_BENCH_NODE_ARGS (e.g. "--cpu-prof
 * --cpu-prof-dir=/tmp/prof" to profile the server), KERF_BENCH_DATABASES ("pglite,postgres").
 */

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const BACKLOG = Number(process.env.KERF_BENCH_BACKLOG ?? 500);
const PAGE = Number(process.env.KERF_BENCH_PAGE ?? 100);
const OPERATIONS = Number(process.env.KERF_BENCH_OPERATIONS ?? 4);
const ROUND_TRIPS = Number(process.env.KERF_BENCH_ROUND_TRIPS ?? 200);
const NODE_ARGS = (process.env.KERF_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const DATABASES = (process.env.KERF_BENCH_DATABASES ?? 'pglite,postgres').split(',');
const PASSWORD = 'bench-owner-secret';

interface Row {
  database: string;
  what: string;
  count: number;
  ms: number;
  perSecond: number;
  note: string;
}

interface Tx {
  id: string;
  deviceId: string;
  seq: number;
  at: string;
  type: string;
  operationId: string;
  employee: string;
  reason?: string;
}

async function startKerf(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...NODE_ARGS, MAIN], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      KERF_ADMIN_PASSWORD: PASSWORD,
      KERF_DEMO: 'true',
      KERF_NIGHTLY_AT: 'off',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('kerf: listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`kerf exited with ${code}`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

async function stopKerf(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  // a profiled server writes its .cpuprofile on the way out
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
}

async function call<T>(base: string, method: string, path: string, token: string | undefined, body?: unknown) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** A station on the demo work center with the most ready operations, and an operator signed in on it. */
async function setUp(base: string) {
  const admin = (
    await call<{ token: string }>(base, 'POST', '/auth/login', undefined, { username: 'admin', password: PASSWORD })
  ).token;
  const centers = await call<{ items: Array<{ id: string }> }>(base, 'GET', '/work-centers?limit=200', admin);
  let best: { id: string; ops: string[] } = { id: '', ops: [] };
  for (const wc of centers.items) {
    const q = await call<{ items: Array<{ operationId: string; ready: boolean; floorStatus: string }> }>(
      base,
      'GET',
      `/floor/work-centers/${wc.id}/queue`,
      admin,
    );
    const ready = q.items.filter((i) => i.ready && i.floorStatus === 'not_started').map((i) => i.operationId);
    if (ready.length > best.ops.length) best = { id: wc.id, ops: ready };
  }
  if (best.ops.length < OPERATIONS + 1) throw new Error(`no work center has ${OPERATIONS + 1} ready operations`);
  const user = await call<{ id: string }>(base, 'POST', '/users', admin, {
    username: 'bench-operator',
    password: 'Kerf-floor-bench-2026!',
    role: 'operator',
  });
  await call(base, 'PUT', `/users/${user.id}/floor-credential`, admin, { pin: '4711' });
  const station = await call<{ id: string; token: string }>(base, 'POST', '/floor/stations', admin, {
    name: 'bench tablet',
    workCenterIds: [best.id],
  });
  await call(base, 'POST', '/floor/sign-in', station.token, { userId: user.id, pin: '4711' });
  return { station: station.token, operator: user.id, ops: best.ops };
}

/** Start each operation, then pause (with a reason) and resume them in turn: the browser backlog's mix. */
function backlog(deviceId: string, ops: string[], operator: string, n: number): Tx[] {
  const now = Date.now();
  const running = new Set<number>();
  const out: Tx[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const k = (seq - 1) % ops.length;
    const type = seq <= ops.length ? 'start' : running.has(k) ? 'pause' : 'resume';
    if (type === 'pause') running.delete(k);
    else running.add(k);
    out.push({
      id: randomUUID(),
      deviceId,
      seq,
      at: new Date(now - (n - seq)).toISOString(), // 1 ms apart, after the sign-in
      type,
      operationId: ops[k]!,
      employee: operator,
      ...(type === 'pause' ? { reason: 'BREAK' } : {}),
    });
  }
  return out;
}

async function replay(base: string, token: string, txs: Tx[], expect: string): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < txs.length; i += PAGE) {
    const page = txs.slice(i, i + PAGE);
    const answer = await call<{ results: Array<{ status: string; message: string }> }>(
      base,
      'POST',
      '/floor/transactions',
      token,
      { transactions: page, sentAt: new Date().toISOString() },
    );
    const wrong = answer.results.find((r) => r.status !== expect);
    if (wrong) throw new Error(`expected ${expect}, got ${wrong.status}: ${wrong.message}`);
  }
  return performance.now() - t0;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};

async function benchOne(database: string, env: Record<string, string>): Promise<Row[]> {
  const { child, base } = await startKerf(env);
  try {
    const shop = await setUp(base);
    // every backlog time (1 ms apart, ending now) is after the sign-in
    await new Promise((r) => setTimeout(r, 1000 + BACKLOG));
    const rows: Row[] = [];
    const row = (what: string, count: number, ms: number, note = '') =>
      rows.push({ database, what, count, ms, perSecond: (count / ms) * 1000, note });

    // warm-up on its own device and operation: JIT, pool, caches
    const warm = backlog('bench-warm-up', [shop.ops[OPERATIONS]!], shop.operator, 40);
    await replay(base, shop.station, warm, 'applied');

    const txs = backlog('bench-backlog', shop.ops.slice(0, OPERATIONS), shop.operator, BACKLOG);
    process.stderr.write(`bench: ${database} backlog of ${BACKLOG}...\n`);
    row(
      `backlog, pages of ${PAGE}`,
      BACKLOG,
      await replay(base, shop.station, txs, 'applied'),
      `${OPERATIONS} operations`,
    );
    row('same backlog resent', BACKLOG, await replay(base, shop.station, txs, 'duplicate'), 'all duplicate');

    process.stderr.write(`bench: ${database} ${ROUND_TRIPS} round trips...\n`);
    const trips: number[] = [];
    // the warm-up left its operation paused (its last transaction was a pause): resume, pause, ...
    const one = backlog('bench-round-trip', [shop.ops[OPERATIONS]!], shop.operator, ROUND_TRIPS + 2).slice(2);
    for (const t of one) {
      const start = performance.now();
      await replay(base, shop.station, [{ ...t, at: new Date().toISOString() }], 'applied');
      trips.push(performance.now() - start);
    }
    const sum = trips.reduce((a, b) => a + b, 0);
    row('one per POST', ROUND_TRIPS, sum, `p50 ${pct(trips, 50).toFixed(1)} ms, p99 ${pct(trips, 99).toFixed(1)} ms`);
    return rows;
  } finally {
    await stopKerf(child);
  }
}

function table(rows: Row[]): string {
  return [
    '| database | transactions | count | total ms | ms per transaction | transactions/s | note |',
    '|---|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.database} | ${r.what} | ${r.count} | ${r.ms.toFixed(0)} | ${(r.ms / r.count).toFixed(2)} | ${r.perSecond.toFixed(0)} | ${r.note} |`,
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  if (DATABASES.includes('pglite')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'kerf-floor-bench-'));
    try {
      rows.push(...(await benchOne('PGlite', { KERF_DATA_DIR: dataDir, DATABASE_URL: '' })));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (DATABASES.includes('postgres')) {
    const pgUrl = await freshPostgresDatabase('kerf_floor_bench');
    if (pgUrl) rows.push(...(await benchOne('PostgreSQL', { DATABASE_URL: pgUrl })));
  }
  process.stdout.write(
    `\nFloor transactions (${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, Node ${process.version}, loopback, demo shop)\n\n${table(rows)}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
