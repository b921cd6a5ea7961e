import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freshPostgresDatabase } from './bench-database.js';

/**
 * `npm run bench:api`: starts Kerf with the demo shop on PGlite and on PostgreSQL (loopback
 * only), then measures GET /api/v1/work-centers and a one-day schedule window with autocannon:
 * a fixed 500 req/s run (p99 target < 20 ms) and a saturation run (max req/s).
 */

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const DURATION = Number(process.env.KERF_BENCH_SECONDS ?? 10);
const PASSWORD = 'bench-owner-secret';

interface Row {
  database: string;
  endpoint: string;
  mode: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function startKerf(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      KERF_ADMIN_PASSWORD: PASSWORD,
      KERF_DEMO: 'true',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      process.stderr.write(chunk);
      if (out.includes('kerf: listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`kerf exited with ${code}`)));
  });
  return child;
}

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  return ((await res.json()) as { token: string }).token;
}

async function busiestDay(base: string, token: string): Promise<{ from: string; to: string }> {
  const res = await fetch(`${base}/api/v1/schedule-slots?limit=1&sort=plannedStart`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const first = ((await res.json()) as { items: Array<{ plannedStart: string }> }).items[0];
  const start = first ? new Date(first.plannedStart) : new Date();
  start.setUTCHours(0, 0, 0, 0);
  return { from: start.toISOString(), to: new Date(start.getTime() + 86_400_000).toISOString() };
}

async function measure(
  url: string,
  token: string,
  rate: number | undefined,
): Promise<Omit<Row, 'database' | 'endpoint' | 'mode'>> {
  const result = await autocannon({
    url,
    headers: { authorization: `Bearer ${token}` },
    connections: Number(process.env.KERF_BENCH_CONNECTIONS ?? (rate ? 10 : 50)),
    duration: DURATION,
    ...(rate ? { overallRate: rate } : {}),
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function benchOne(database: string, env: Record<string, string>, port: number): Promise<Row[]> {
  const child = await startKerf(env, port);
  try {
    const base = `http://127.0.0.1:${port}`;
    const token = await login(base);
    const day = await busiestDay(base, token);
    const endpoints = {
      'GET /api/v1/work-centers': `${base}/api/v1/work-centers`,
      'GET /api/v1/schedule-slots?from=&to= (1 day)': `${base}/api/v1/schedule-slots?from=${encodeURIComponent(day.from)}&to=${encodeURIComponent(day.to)}&limit=500`,
    };
    const rows: Row[] = [];
    for (const [endpoint, url] of Object.entries(endpoints)) {
      await measure(url, token, 200); // warm-up: JIT, connection pool, PGlite caches
      for (const [mode, rate] of [
        ['500 req/s', 500],
        ['saturation', undefined],
      ] as const) {
        process.stderr.write(`bench: ${database} ${endpoint} ${mode} (${DURATION} s)...\n`);
        rows.push({ database, endpoint, mode, ...(await measure(url, token, rate)) });
      }
    }
    return rows;
  } finally {
    child.kill('SIGTERM');
  }
}

function table(rows: Row[]): string {
  const lines = [
    '| database | endpoint | load | req/s | p50 ms | p99 ms | errors |',
    '|---|---|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.database} | ${r.endpoint} | ${r.mode} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} |`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'kerf-bench-'));
  try {
    rows.push(...(await benchOne('PGlite', { KERF_DATA_DIR: dataDir, DATABASE_URL: '' }, 18181)));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const pgUrl = await freshPostgresDatabase('kerf_bench');
  if (pgUrl) rows.push(...(await benchOne('PostgreSQL 15', { DATABASE_URL: pgUrl }, 18182)));
  const out = table(rows);
  process.stdout.write(`\n${out}\n`);
  const header = `\n## API (${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, Node ${process.version}, autocannon ${DURATION} s per row, loopback, demo shop)\n\nTarget: p99 < 20 ms at 500 req/s on both databases.\n\n`;
  appendFileSync(join(REPO, 'docs/benchmarks.md'), `${header}${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
