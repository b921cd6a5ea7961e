import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { watchConflicts } from '../../analysis/conflict-watch.js';
import { registerAnalysisRoutes } from '../../analysis/routes.js';
import { registerNestingRoutes } from '../../nesting/routes.js';
import { registerAuthRoutes } from '../../auth/routes.js';
import { registerDispatchRoutes } from '../../dispatch/routes.js';
import { registerJobRoutes } from '../../jobs/routes.js';
import { registerMachineRoutes } from '../../machines/routes.js';
import { registerIngestRejectionRoutes } from '../../machines/ingest-rejection-routes.js';
import { registerDeviceRoutes } from '../../machines/mqtt/device-routes.js';
import { rememberMachines, startMachines, type MachinesRuntime } from '../../machines/runtime.js';
import { watchAlarms, type AlarmWatch } from '../../machines/alarms/alarm-watch.js';
import { registerAlarmRoutes } from '../../machines/alarms/routes.js';
import { registerConnectorRoutes } from '../../machines/connectors/routes.js';
import { registerNotificationRoutes } from '../../notifications/routes.js';
import { registerPlanRoutes } from '../../planning/plan-routes.js';
import { registerScenarioRoutes } from '../../planning/scenario-routes.js';
import { registerPlanningRoutes } from '../../planning/routes.js';
import { registerPromiseRoutes } from '../../promise/routes.js';
import { registerShopRoutes } from '../../shop/routes.js';
import { registerWebApp } from '../../web/static.js';
import type { AppContext } from '../context.js';
import { migrationsApplied } from '../migrate.js';
import { frameworkError, installErrorHandler, loggableError } from './error-handler.js';
import { installJsonBodyParser, JSON_BODY_LIMIT } from './json-body.js';
import { installInputGuard } from './input-guard.js';
import { redactingStream } from './log-redaction.js';
import { installRouteAccess, type RouteAccessEntry } from './route-access.js';
import { kerfValidator } from './validator.js';
import { registerWebSocket, registerWebSocketPlugin } from './websocket.js';

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
}

export interface BuildOptions {
  logger?: boolean;
  /** where log lines go (default standard output); tests capture them here */
  logDestination?: { write: (line: string) => void };
}

export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<KerfApp> {
  const app = Fastify({
    logger: options.logger
      ? { level: ctx.config.logLevel, stream: redactingStream(options.logDestination ?? process.stdout) }
      : false,
    // ajv options, type coercion per part and date bounds: validator.ts
    schemaController: { compilersFactory: { buildValidator: kerfValidator() } },
    bodyLimit: JSON_BODY_LIMIT,
    frameworkErrors: frameworkError,
  });
  installErrorHandler(app);
  installJsonBodyParser(app);
  installInputGuard(app);
  // before the access gate: see registerWebSocketPlugin
  await registerWebSocketPlugin(app);
  const routes = installRouteAccess(app, ctx.database.db);

  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Kerf API',
        version: '0.1.0',
        description: 'Shop-floor production management for sheet-metal job shops',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  app.get('/health', {
    config: { access: 'public' },
    schema: { tags: ['platform'], security: [], response: { 200: Type.Object({ status: Type.String() }) } },
    handler: async () => ({ status: 'ok' }),
  });

  // Anyone may ask whether Kerf is ready, so the answer is a word; why not goes to the log.
  app.get('/ready', {
    config: { access: 'public' },
    schema: {
      tags: ['platform'],
      security: [],
      response: { 200: Type.Object({ status: Type.String() }), 503: Type.Object({ status: Type.String() }) },
    },
    handler: async (req, reply) => {
      try {
        await ctx.database.db.execute(sql`SELECT 1`);
        if (!(await migrationsApplied(ctx.database))) {
          req.log.warn({ database: ctx.database.kind }, 'not ready: migrations pending');
          return reply.status(503).send({ status: 'not_ready' });
        }
        return { status: 'ready' };
      } catch (err) {
        req.log.warn({ database: ctx.database.kind, error: loggableError(err) }, 'not ready: database unreachable');
        return reply.status(503).send({ status: 'not_ready' });
      }
    },
  });

  registerAuthRoutes(app, ctx);
  registerShopRoutes(app, ctx);
  registerJobRoutes(app, ctx);
  registerPlanningRoutes(app, ctx);
  registerPlanRoutes(app, ctx);
  registerScenarioRoutes(app, ctx);
  registerDispatchRoutes(app, ctx);
  registerPromiseRoutes(app, ctx);
  registerAnalysisRoutes(app, ctx);
  registerNestingRoutes(app, ctx);
  // Started here (or passed in) so every app has live machine status; stopped with the app.
  const machines =
    ctx.machines ??
    (await startMachines(ctx, {
      // Partition upkeep where machine data flows (npm start); tests and the CLI skip it.
      maintenance: ctx.config.mqttEnabled,
      log: (msg) => {
        if (ctx.config.logLevel !== 'silent') process.stdout.write(`${msg}\n`);
      },
    }));
  rememberMachines(app, machines);
  if (!ctx.machines) app.addHook('onClose', async () => machines.stop());
  registerMachineRoutes(app, ctx, machines);
  registerIngestRejectionRoutes(app, ctx, machines);
  registerDeviceRoutes(app, ctx, machines);
  registerAlarmRoutes(app, ctx);
  registerNotificationRoutes(app, ctx);
  registerConnectorRoutes(app, ctx);
  await registerWebSocket(app, ctx);
  const conflictWatch = watchConflicts(ctx.database.db, ctx.events, ctx.config.timeZone);
  app.addHook('onClose', async () => conflictWatch.stop());
  const alarmWatch = watchAlarms(ctx.database.db, ctx.events, {
    tickMs: ctx.config.alarmTickSeconds * 1000,
    onError: (err) => app.log.error({ err }, 'alarm rules'),
  });
  app.addHook('onClose', async () => {
    alarmWatch.stop();
    await alarmWatch.settled();
  });
  await registerWebApp(app);
  await app.ready();
  return { app, routes, conflictWatch, alarmWatch, machines };
}
