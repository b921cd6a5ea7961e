import type { FastifyInstance } from 'fastify';
import { watchConflicts } from '../analysis/conflict-watch.js';
import { registerAnalysisRoutes } from '../analysis/routes.js';
import { ActorCache } from '../auth/actor-cache.js';
import { Authenticator } from '../auth/authenticate.js';
import { CredentialChanges } from '../auth/credential-changes.js';
import { accessGate } from '../auth/access-gate.js';
import { registerAuthRoutes } from '../auth/routes.js';
import { SESSION_ENDED, sessionWatch } from '../auth/session-watch.js';
import { registerStationRoutes } from '../auth/station-routes.js';
import { registerDispatchRoutes } from '../dispatch/routes.js';
import { registerIssueRoutes } from '../floor/issue-routes.js';
import { registerFloorRoutes } from '../floor/routes.js';
import { registerJobRoutes } from '../jobs/routes.js';
import { watchAlarms, type AlarmWatch } from '../machines/alarms/alarm-watch.js';
import { registerAlarmRoutes } from '../machines/alarms/routes.js';
import { registerConnectorRoutes, type ConnectorStatusSource } from '../machines/connectors/routes.js';
import { registerIngestRejectionRoutes } from '../machines/ingest-rejection-routes.js';
import { registerDeviceRoutes } from '../machines/mqtt/device-routes.js';
import { registerMachineRoutes } from '../machines/routes.js';
import { startMachines, type MachinesRuntime } from '../machines/runtime.js';
import { registerNestingRoutes } from '../nesting/routes.js';
import type { NestingSync } from '../nesting/sync-worker.js';
import { PushSender } from '../notifications/push-sender.js';
import { registerPushRoutes } from '../notifications/push-routes.js';
import { registerNotificationRoutes } from '../notifications/routes.js';
import { eventVisibleTo } from '../notifications/visibility.js';
import { registerPlanRoutes } from '../planning/plan-routes.js';
import type { PlanRunService } from '../planning/plan-run-service.js';
import { createPlanRunService } from '../planning/plan-run-wiring.js';
import { registerPlanningRoutes } from '../planning/routes.js';
import { registerScenarioRoutes } from '../planning/scenario-routes.js';
import type { Config } from '../platform/config.js';
import type { AppContext } from '../platform/context.js';
import type { Database } from '../platform/db.js';
import { OutboxDrainer } from '../platform/event-outbox.js';
import type { EventBus } from '../platform/events.js';
import type { RouteAccessEntry } from '../platform/http/route-access.js';
import { createHttpServer, type HttpServerOptions } from '../platform/http/server.js';
import { registerWebSocket } from '../platform/http/websocket.js';
import { ReadCache } from '../platform/read-cache.js';
import { registerPromiseRoutes } from '../promise/routes.js';
import { registerShopRoutes } from '../shop/routes.js';
import { registerWebApp } from '../web/static.js';
import { CHANNEL_ACCESS, EVENT_CHANNELS } from './event-routing.js';

export interface KerfApp {
  app: FastifyInstance;
  /** every route with its declared access (for the role matrix test and the docs) */
  routes: RouteAccessEntry[];
  /** publishes conflicts that appear or clear after schedule changes */
  conflictWatch: ReturnType<typeof watchConflicts>;
  /** alarm records and alarm rules fed by machine events (tests call its tick with their own clock) */
  alarmWatch: AlarmWatch;
  /** machine data: registry, status cache, ingest and (when on) the MQTT broker/subscriber */
  machines: MachinesRuntime;
  /** delivers the domain_events outbox (absent when this process does not drain it) */
  outbox?: OutboxDrainer;
  /** Web Push of created notifications: where the outbox is drained, so each is pushed once */
  push?: PushSender;
  /** plan runs: admitted here, solved by the processes with the `worker` role */
  planRuns: PlanRunService;
}

/** What the HTTP app is built from. Parts left out are built here with their defaults (tests). */
export interface AppParts {
  database: Database;
  config: Config;
  events: EventBus;
  /** a machines runtime started by the caller; one is started (and stopped with the app) otherwise */
  machines?: MachinesRuntime;
  /** the MTConnect/OPC UA clients of this process, when it runs them */
  connectors?: ConnectorStatusSource;
  /** the Sigmanest sync worker of this process, when it runs one */
  nesting?: NestingSync;
  /** deliver the outbox from this process (default true; KERF_ROLES without `worker` turns it off) */
  drainOutbox?: boolean;
  /** the plan-run service of this process; one that also solves runs is built (and stopped with the app) otherwise */
  planRuns?: PlanRunService;
}

export type BuildOptions = HttpServerOptions;

/**
 * The HTTP transport of Kerf: every module registered as its own Fastify plugin with the
 * dependencies it declares, the WebSocket channels, and the module watchers that feed them.
 */
export async function buildApp(parts: AppParts, options: BuildOptions = {}): Promise<KerfApp> {
  const { database, config, events } = parts;
  const authenticator = new Authenticator(database.db, new ActorCache());
  const credentials = new CredentialChanges(events, authenticator.cache);
  const gate = accessGate(authenticator);
  const { app, routes } = await createHttpServer(database, config, gate, options);
  app.addHook('onClose', async () => credentials.stop());
  const ctx: AppContext = { database, config, events, reads: new ReadCache(database) };

  // Started here (or passed in) so every app has live machine status; stopped with the app.
  const machines =
    parts.machines ??
    (await startMachines(ctx, {
      // Partition upkeep where machine data flows (npm start); tests and the CLI skip it.
      maintenance: config.mqttEnabled,
      log: (msg) => {
        if (config.logLevel !== 'silent') process.stdout.write(`${msg}\n`);
      },
    }));
  if (!parts.machines) app.addHook('onClose', async () => machines.stop());
  const planRuns = parts.planRuns ?? createPlanRunService({ db: database.db, events, config }, { worker: true });
  if (!parts.planRuns) {
    planRuns.startWorker();
    app.addHook('onClose', async () => planRuns.stop());
  }

  // Each module is its own plugin (encapsulated scope) given only what it declares it needs.
  const modules: [string, (scope: FastifyInstance) => void | Promise<void>][] = [
    [
      'auth',
      (scope) => {
        registerAuthRoutes(scope, ctx, credentials);
        registerStationRoutes(scope, ctx, credentials);
      },
    ],
    ['shop', (scope) => registerShopRoutes(scope, ctx)],
    ['jobs', (scope) => registerJobRoutes(scope, ctx)],
    [
      'planning',
      (scope) => {
        registerPlanningRoutes(scope, ctx);
        registerPlanRoutes(scope, ctx, planRuns);
        registerScenarioRoutes(scope, ctx);
      },
    ],
    ['dispatch', (scope) => registerDispatchRoutes(scope, ctx)],
    [
      'floor',
      (scope) => {
        registerFloorRoutes(scope, ctx);
        registerIssueRoutes(scope, ctx, machines.cache);
      },
    ],
    ['promise', (scope) => registerPromiseRoutes(scope, ctx)],
    ['analysis', (scope) => registerAnalysisRoutes(scope, ctx)],
    ['nesting', (scope) => registerNestingRoutes(scope, ctx, parts.nesting)],
    [
      'machines',
      (scope) => {
        registerMachineRoutes(scope, ctx, machines);
        registerIngestRejectionRoutes(scope, ctx, machines);
        registerDeviceRoutes(scope, ctx, machines);
        registerAlarmRoutes(scope, ctx);
        registerConnectorRoutes(scope, parts.connectors);
      },
    ],
    [
      'notifications',
      (scope) => {
        registerNotificationRoutes(scope, ctx);
        registerPushRoutes(scope, ctx);
      },
    ],
  ];
  for (const [name, register] of modules) {
    await app.register(
      Object.assign(async (scope: FastifyInstance) => register(scope), { [Symbol.for('fastify.display-name')]: name }),
    );
  }

  const sessions = sessionWatch(authenticator, credentials);
  app.addHook('onClose', async () => sessions.stop());
  await registerWebSocket(app, {
    events,
    channels: EVENT_CHANNELS,
    access: CHANNEL_ACCESS,
    holds: gate.holds,
    visible: eventVisibleTo,
    watchCredential: async (token, actor, end) => {
      // The gate just authenticated this token (a cache hit): this adds its expiry to watch for.
      const credential = await authenticator.credential(token);
      if (!credential) {
        end(SESSION_ENDED.code, SESSION_ENDED.reason);
        return () => undefined;
      }
      return sessions.watch({ token, actor, expiresAt: credential.expiresAt, end });
    },
  });

  const conflictWatch = watchConflicts(database.db, events, config.timeZone);
  app.addHook('onClose', async () => conflictWatch.stop());
  const alarmWatch = watchAlarms(database.db, events, {
    tickMs: config.alarmTickSeconds * 1000,
    onError: (err) => app.log.error({ err }, 'alarm rules'),
  });
  app.addHook('onClose', async () => {
    alarmWatch.stop();
    await alarmWatch.settled();
  });

  let outbox: OutboxDrainer | undefined;
  let push: PushSender | undefined;
  if (parts.drainOutbox !== false) {
    outbox = new OutboxDrainer(database, events, {
      log: (msg) => {
        if (config.logLevel !== 'silent') process.stdout.write(`${msg}\n`);
      },
    });
    outbox.start();
    app.addHook('onClose', async () => outbox?.stop());
    push = new PushSender(() => database.db, events, config, app.log);
    push.start();
    app.addHook('onClose', async () => push?.stop());
  }

  await registerWebApp(app);
  await app.ready();
  return { app, routes, conflictWatch, alarmWatch, machines, outbox, push, planRuns };
}
