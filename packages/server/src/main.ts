import { resolve } from 'node:path';
import { startKerf } from './app/kerf.js';
import { floorAppLines, type DemoFloorApp } from './demo/floor-app.js';
import { loadDemoShopIfEmpty } from './demo/load-demo.js';
import { ConfigError, loadConfig } from './platform/config.js';

/** How long a graceful stop may take before Kerf exits anyway (the ingest gives its queue up after 5 s with the database away). */
const STOP_DEADLINE_MS = 15_000;

/** `npm start`: Kerf on its embedded defaults (PGlite, demo shop) unless env vars say otherwise. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { demo: true });
  if (config.demo && !process.env.KERF_NESTING_MODE) {
    // The demo shop nests through the built-in SimTrans emulator, so its sync page and job nests are live.
    process.env.KERF_NESTING_MODE = 'emulator';
    process.env.KERF_SIMTRANS_POLL_SECONDS ??= '20';
    process.env.KERF_NC_ROOTS ??= resolve(config.dataDir, '..', 'nc');
  }
  const log = (msg: string) => process.stdout.write(`${msg}\n`);
  // Its tokens and PINs exist only in this variable until printed below, once.
  let floorApp: DemoFloorApp | undefined;
  const kerf = await startKerf(config, log, {
    // The demo shop is loaded after migrations and before anything reads the shop.
    beforeStart: async (database) => {
      if (!config.demo) return;
      const demo = await loadDemoShopIfEmpty(database.db, { seed: 1, jobs: 150 }, (line) => log(`kerf: ${line}`), {
        timeZone: config.timeZone,
        floorApp: true,
      });
      floorApp = demo?.floorApp;
      if (demo)
        log(
          `kerf: loaded the demo shop: ${demo.workCenters} work centers, ${demo.jobs} jobs, ${demo.routings} routing steps`,
        );
    },
  });
  const { admin } = kerf.booted;
  await kerf.app.listen({ port: config.port, host: config.host });
  const where = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  log(`kerf: listening on ${where}  (API docs ${where}/docs)`);
  if (admin.password) {
    log(
      `kerf: created user "admin" with password ${admin.password}  (shown once; set KERF_ADMIN_PASSWORD to choose it)`,
    );
  } else if (admin.created) {
    log('kerf: created user "admin" with the password from KERF_ADMIN_PASSWORD');
  }
  // Demo stations and people, beside the admin password: first start only (the tokens are not stored).
  if (floorApp) for (const line of floorAppLines(where, floorApp)) log(line);
  log(`kerf: log in with POST ${where}/api/v1/auth/login {"username":"admin","password":"..."}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      log(`kerf: ${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    const started = Date.now();
    log(`kerf: ${signal}: stopping (machine data queued is written first)`);
    // A step that hangs (a frozen client, a database that is away) must not hold the process
    // until its supervisor kills it without a word.
    setTimeout(() => {
      log(`kerf: still stopping after ${STOP_DEADLINE_MS / 1000} s; exiting`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    await kerf.stop();
    log(`kerf: stopped in ${Date.now() - started} ms`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`kerf: configuration error: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`kerf: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
