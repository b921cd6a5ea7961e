import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ADMIN_USAGE, adminCommand } from './auth/admin-command.js';
import { mondayOf, parseDay } from './demo/calendar-dates.js';
import { generateDemoShop, MAX_DEMO_JOBS } from './demo/generate.js';
import { loadDemoShopIfEmpty, shopCounts } from './demo/load-demo.js';
import { progressBar } from './demo/progress-bar.js';
import { DEVICE_USAGE, deviceCommand } from './machines/mqtt/device-cli.js';
import { boot, type Booted } from './app/boot.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { AppError } from './platform/errors.js';

/** The `kerf` command (bin/kerf.js runs the compiled file): demo shop, migrations, help. */

export type { CliIo } from './platform/cli-io.js';
import type { CliIo } from './platform/cli-io.js';

const USAGE = `usage: kerf <command> [options]

commands:
  demo [--jobs N] [--seed S] [--start YYYY-MM-DD] [--json FILE]
        load a generated demo shop (default 150 jobs, seed 1, horizon from this week's Monday)
        into the configured database, which must be empty; with --json, write the generated
        shop to FILE (- for standard output) instead and touch no database
  migrate
        apply pending database migrations (and create the admin user on a new database)
${DEVICE_USAGE}
${ADMIN_USAGE}
  help  show this text

examples:
  KERF_DATA_DIR=./.kerf/demo kerf demo --jobs 500 --seed 7
  kerf demo --jobs 150 --seed 1 --start 2026-11-23 --json demo-shop.json

The database is PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite database in
KERF_DATA_DIR (default ./.kerf/data). Exit codes: 0 done, 1 failed, 2 bad usage or refused.`;

/** A mistake on the command line: exit 2 with a line saying what to fix. */
class UsageError extends Error {}

function defaultIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    isTTY: process.stderr.isTTY === true,
  };
}

export async function runCli(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return 0;
      case 'demo':
        return await demoCommand(rest, io);
      case 'device':
        return await deviceCommand(rest, io, (config) => bootAndReport(config, io));
      case 'admin':
        return await adminCommand(rest, io, (config) => boot(config));
      case 'migrate':
        return await migrateCommand(rest, io);
      case undefined:
        io.stderr(`${USAGE}\n`);
        return 2;
      default:
        throw new UsageError(`unknown command "${command}"; commands are demo, migrate, device, admin, help`);
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      io.stderr(`kerf: ${err.message}\n`);
      return 2;
    }
    if (err instanceof AppError) {
      io.stderr(`kerf: ${err.message}\n`);
      return 1;
    }
    io.stderr(`kerf: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

function parseFlags(args: string[], options: Record<string, { type: 'string' | 'boolean' }>, command: string) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    // node's messages name the flag ("Unknown option '--jbos'"); add where to look.
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new UsageError(`${command}: ${msg}; see "kerf help"`);
  }
}

function intFlag(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`demo: --${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(
    args,
    { jobs: { type: 'string' }, seed: { type: 'string' }, start: { type: 'string' }, json: { type: 'string' } },
    'demo',
  );
  const jobs = intFlag('jobs', flags.jobs as string | undefined, 150, 1, MAX_DEMO_JOBS);
  const seed = intFlag('seed', flags.seed as string | undefined, 1, 0, 0xffffffff);
  const start = flags.start as string | undefined;
  if (start !== undefined) {
    try {
      parseDay(start);
    } catch {
      throw new UsageError(`demo: --start must be a date YYYY-MM-DD, got "${start}"`);
    }
  }
  const startDate = start ?? mondayOf(new Date());
  const json = flags.json as string | undefined;
  if (json !== undefined) {
    if (json === '') throw new UsageError('demo: --json needs a file name');
    const text = `${JSON.stringify(generateDemoShop({ seed, jobs, startDate }), null, 2)}\n`;
    // "-" is standard output, for piping into jq or another tool.
    if (json === '-') {
      io.stdout(text);
      return 0;
    }
    writeFileSync(json, text);
    io.stdout(`kerf: wrote the demo shop (seed ${seed}, ${jobs} jobs from ${startDate}) to ${json}\n`);
    return 0;
  }
  const config = loadConfig(io.env);
  const booted = await bootAndReport(config, io);
  try {
    const bar = progressBar(io.stderr, io.isTTY);
    const summary = await loadDemoShopIfEmpty(
      booted.database.db,
      { seed, jobs, startDate },
      (line) => bar.line(`kerf: ${line}`),
      { onJob: (done, total) => bar.tick(done, total), timeZone: config.timeZone },
    );
    bar.finish();
    if (!summary) {
      const counts = await shopCounts(booted.database.db);
      io.stderr(
        `kerf: ${booted.database.describe} already has ${counts.jobs} jobs and ${counts.workCenters} work centers; ` +
          'the demo loads only into an empty shop: set KERF_DATA_DIR to a new directory (or DATABASE_URL to an empty database)\n',
      );
      return 2;
    }
    io.stdout(
      `kerf: loaded the demo shop (seed ${seed}, from ${startDate}) in ${(summary.milliseconds / 1000).toFixed(1)} s: ` +
        `${summary.departments} departments, ${summary.workCenters} work centers, ${summary.jobs} jobs, ` +
        `${summary.routings} routing steps, ${summary.slots} schedule slots\n`,
    );
    return 0;
  } finally {
    await booted.database.close();
  }
}

async function migrateCommand(args: string[], io: CliIo): Promise<number> {
  parseFlags(args, {}, 'migrate');
  const booted = await bootAndReport(loadConfig(io.env), io);
  await booted.database.close();
  return 0;
}

/** Opens and migrates the configured database and says what happened, admin password included. */
async function bootAndReport(config: ReturnType<typeof loadConfig>, io: CliIo): Promise<Booted> {
  const booted = await boot(config);
  const { database, applied, admin } = booted;
  io.stdout(
    `kerf: database ${database.describe}: ${applied.length ? `applied migrations ${applied.join(', ')}` : 'migrations up to date'}\n`,
  );
  // The generated password is shown only here; without it nobody could log in.
  if (admin.password) io.stdout(`kerf: created user "admin" with password ${admin.password}  (shown once)\n`);
  else if (admin.created) io.stdout('kerf: created user "admin" with the password from KERF_ADMIN_PASSWORD\n');
  return booted;
}
