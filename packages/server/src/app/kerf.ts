import type { FastifyInstance } from 'fastify';
import { ActorCache } from '../auth/actor-cache.js';
import { scheduleAttendanceClose } from '../floor/attendance-close.js';
import { accessGate } from '../auth/access-gate.js';
import { Authenticator } from '../auth/authenticate.js';
import { startDirectConnectors, type DirectConnectors } from '../machines/connectors/start-connectors.js';
import { startMachines } from '../machines/runtime.js';
import { startNestingSync } from '../nesting/start.js';
import { scheduleNightlyPlan } from '../planning/nightly.js';
import { createPlanRunService } from '../planning/plan-run-wiring.js';
import type { Config } from '../platform/config.js';
import type { Database } from '../platform/db.js';
import { EventBus } from '../platform/events.js';
import { createHttpServer } from '../platform/http/server.js';
import { RedisFanout } from '../platform/redis-fanout.js';
import { boot, type Booted } from './boot.js';
import { buildApp } from './build-app.js';
import { hasRole } from './roles.js';

export interface RunningKerf {
  booted: Booted;
  app: FastifyInstance;
  events: EventBus;
  /** stops everything in order; each step logged when it fails or is slow */
  stop: () => Promise<void>;
}

/**
 * The composition root of a Kerf process: opens and migrates the database, builds the event
 * bus (with Redis fan-out when REDIS_URL is set), starts the parts of KERF_ROLES in dependency
 * order (ingest: MQTT intake and machine connectors; worker: the outbox drainer, the nightly
 * plan, closing forgotten clock-outs and the nesting sync; api: the modules' routes and WebSockets) and stops them in reverse.
 * A process without `api` still answers /health and /ready.
 */
export interface StartOptions {
  /** runs after migrations, before any part starts (the demo shop is loaded here) */
  beforeStart?: (database: Database) => Promise<void>;
}

export async function startKerf(
  config: Config,
  log: (msg: string) => void,
  options: StartOptions = {},
): Promise<RunningKerf> {
  const booted = await boot(config);
  const { database } = booted;
  log(
    `kerf: database ${database.describe}${booted.applied.length ? `, applied migrations ${booted.applied.join(', ')}` : ''}`,
  );
  try {
    await options.beforeStart?.(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  const events = new EventBus();
  if (config.redisUrl) await events.connect(new RedisFanout(config.redisUrl));
  const api = hasRole(config, 'api');
  const worker = hasRole(config, 'worker');
  const ingest = hasRole(config, 'ingest');

  const machines = await startMachines(
    { database, config, events },
    { mqtt: ingest && config.mqttEnabled, maintenance: worker && config.mqttEnabled, log },
  );
  // Simulator (demo) and MTConnect/OPC UA clients.
  const direct: DirectConnectors | undefined = ingest
    ? await startDirectConnectors({ database, config }, machines, log)
    : undefined;
  const nesting = worker ? await startNestingSync(database.db, log, undefined, events) : undefined;
  // Every process queues plan runs; only a worker claims and solves them (and recovers the
  // runs of instances that died: at once here, then on every poll).
  const planRuns = createPlanRunService({ db: database.db, events, config }, { worker });
  planRuns.startWorker();

  let app: FastifyInstance;
  if (api) {
    ({ app } = await buildApp(
      {
        database,
        config,
        events,
        machines,
        connectors: direct?.manager,
        nesting: nesting?.sync,
        drainOutbox: worker,
        planRuns,
      },
      { logger: config.logLevel !== 'silent' },
    ));
  } else {
    ({ app } = await createHttpServer(database, config, accessGate(new Authenticator(database.db, new ActorCache())), {
      logger: config.logLevel !== 'silent',
    }));
    await app.ready();
  }
  const nightly = worker ? scheduleNightlyPlan(database, planRuns, config, (msg) => app.log.info(msg)) : undefined;
  // Forgotten clock-outs are closed at shift end by one worker per period (floor/attendance-close.ts).
  const attendance = worker
    ? scheduleAttendanceClose(database, { db: database.db, events, timeZone: config.timeZone }, config, log)
    : undefined;

  const stop = async () => {
    const step = async (name: string, work: () => Promise<unknown> | unknown) => {
      const t = Date.now();
      try {
        await work();
      } catch (err) {
        log(`kerf: stopping ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (Date.now() - t > 1_000) log(`kerf: stopping ${name} took ${Date.now() - t} ms`);
    };
    await step('the nightly plan', () => nightly?.stop());
    await step('closing forgotten clock-outs', () => attendance?.stop());
    await step('nesting sync', () => nesting?.stop());
    await step('machine connectors', () => direct?.stop());
    await step('HTTP and WebSockets', () => app.close());
    await step('MQTT and machine ingest', () => machines.stop());
    await step('plan runs', () => planRuns.stop());
    await step('the event fan-out', () => events.disconnect());
    await step('the database', () => database.close());
  };
  return { booted, app, events, stop };
}
