import { resolve } from 'node:path';
import { loadDemoShopIfEmpty } from './demo/load-demo.js';
import { boot } from './platform/boot.js';
import { EventBus } from './platform/events.js';
import { scheduleNightlyPlan } from './planning/nightly.js';
import { cancelAllPlanRuns } from './planning/plan-run-service.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { buildApp } from './platform/http/app.js';
import { startNestingSync } from './nesting/start.js';
import { startDirectConnectors } from './machines/connectors/start-connectors.js';
import type { AppContext } from './platform/context.js';

/** `npm start`: Kerf on its embedded defaults (PGlite, demo shop) unless env vars say otherwise. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { demo: true });
  if (config.demo && !process.env.KERF_NESTING_MODE) {
    // The demo shop nests through the built-in SimTrans emulator, so its sync page and job nests are live.
    process.env.KERF_NESTING_MODE = 'emulator';
    process.env.KERF_SIMTRANS_POLL_SECONDS ??= '20';
    process.env.KERF_NC_ROOTS ??= resolve(config.dataDir, '..', 'nc');
  }
  const { database, applied, admin } = await boot(config);
  const log = (msg: string) => process.stdout.write(`${msg}\n`);
  log(`kerf: database ${database.describe}${applied.length ? `, applied migrations ${applied.join(', ')}` : ''}`);
  if (config.demo) {
    const demo = await loadDemoShopIfEmpty(database.db, { seed: 1, jobs: 150 }, (line) => log(`kerf: ${line}`), {
      timeZone: config.timeZone,
    });
    if (demo)
      log(
        `kerf: loaded the demo shop: ${demo.workCenters} work centers, ${demo.jobs} jobs, ${demo.routings} routing steps`,
      );
  }
  const events = new EventBus();
  const ctx: AppContext = { database, config, events };
  const { app, machines } = await buildApp(ctx, { logger: config.logLevel !== 'silent' });
  await app.listen({ port: config.port, host: config.host });
  // Simulator (demo) and MTConnect/OPC UA clients; sets ctx.connectors for the status route.
  const direct = await startDirectConnectors(ctx, machines, log);
  const nightly = scheduleNightlyPlan(database, events, config, (msg) => app.log.info(msg));
  const nesting = await startNestingSync(database.db, (msg) => app.log.info(msg));
  const where = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  log(`kerf: listening on ${where}  (API docs ${where}/docs)`);
  if (admin.password) {
    log(
      `kerf: created user "admin" with password ${admin.password}  (shown once; set KERF_ADMIN_PASSWORD to choose it)`,
    );
  } else if (admin.created) {
    log('kerf: created user "admin" with the password from KERF_ADMIN_PASSWORD');
  }
  log(`kerf: log in with POST ${where}/api/v1/auth/login {"username":"admin","password":"..."}`);
  const stop = async () => {
    nightly?.stop();
    await nesting?.stop();
    await direct.stop();
    await app.close();
    await cancelAllPlanRuns();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`kerf: configuration error: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`kerf: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
