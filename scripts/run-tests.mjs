#!/usr/bin/env node
// `npm test`: every suite on the embedded database, then the data-layer and API suites again
// on the real PostgreSQL, then the browser tests in headless Chromium. Without PostgreSQL the second pass is skipped with a warning,
// except under CI=true, where an unreachable PostgreSQL fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import pg from 'pg';

const url = process.env.KERF_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const vitest = (args, env = {}) =>
  spawnSync('npx', ['vitest', 'run', ...args], { stdio: 'inherit', env: { ...process.env, TZ: 'UTC', ...env } })
    .status ?? 1;

async function postgresReachable() {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (err) {
    console.error(`PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//')} is not reachable: ${err.message}`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const extra = process.argv.slice(2);
let status = vitest(extra);
console.log('\n== server suites on PostgreSQL ==');
if (await postgresReachable()) {
  status =
    vitest(['--project', 'server', ...extra], { KERF_TEST_DB: 'postgres', KERF_TEST_DATABASE_URL: url }) || status;
} else if (process.env.CI) {
  console.error('CI requires PostgreSQL for the second pass; start it (see .ci/run) and retry.');
  status ||= 1;
} else {
  console.warn('Skipping the PostgreSQL pass: set KERF_TEST_DATABASE_URL or start PostgreSQL on 127.0.0.1:5432.');
}
console.log('\n== browser tests (headless Chromium) ==');
if (existsSync('/usr/bin/chromium')) {
  const e2e =
    spawnSync('npm', ['run', 'test:e2e', '-w', 'packages/web'], {
      stdio: 'inherit',
      env: { ...process.env, TZ: 'UTC' },
    }).status ?? 1;
  status = e2e || status;
} else if (process.env.CI) {
  console.error('CI requires /usr/bin/chromium for the browser tests (apt-get install -y chromium).');
  status ||= 1;
} else {
  console.warn('Skipping the browser tests: install Debian chromium (apt-get install -y chromium) to run them.');
}
process.exit(status);
