import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { sql } from 'drizzle-orm';
import { Type } from 'typebox';
import type { Config } from '../config.js';
import type { Database } from '../db.js';
import { migrationsApplied } from '../migrate.js';
import { frameworkError, installErrorHandler, loggableError } from './error-handler.js';
import { installJsonBodyParser, JSON_BODY_LIMIT } from './json-body.js';
import { installInputGuard } from './input-guard.js';
import { redactingStream } from './log-redaction.js';
import { installRouteAccess, type AccessGate, type RouteAccessEntry } from './route-access.js';
import { installRouteContract } from './route-contract.js';
import { hoistTitledSchemas } from './openapi-components.js';
import { kerfValidator } from './validator.js';
import { registerWebSocketPlugin } from './websocket.js';

export interface HttpServerOptions {
  logger?: boolean;
  /** where log lines go (default standard output); tests capture them here */
  logDestination?: { write: (line: string) => void };
}

/**
 * The HTTP server every module registers on, with nothing of any module in it: validation, the
 * error shape, input hardening, the access gate and the route contract (both refuse to start on
 * a route that declares no access or no schemas), OpenAPI, `/health` and `/ready`.
 */
export async function createHttpServer(
  database: Database,
  config: Config,
  gate: AccessGate,
  options: HttpServerOptions = {},
): Promise<{ app: FastifyInstance; routes: RouteAccessEntry[] }> {
  const app = Fastify({
    logger: options.logger
      ? { level: config.logLevel, stream: redactingStream(options.logDestination ?? process.stdout) }
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
  const routes = installRouteAccess(app, gate);
  installRouteContract(app);

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
    // named components for the titled schemas (docs/adr/0017-api-contract.md)
    transformObject: (doc) => ('openapiObject' in doc ? hoistTitledSchemas(doc.openapiObject) : doc.swaggerObject),
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
        await database.db.execute(sql`SELECT 1`);
        if (!(await migrationsApplied(database))) {
          req.log.warn({ database: database.kind }, 'not ready: migrations pending');
          return reply.status(503).send({ status: 'not_ready' });
        }
        return { status: 'ready' };
      } catch (err) {
        req.log.warn({ database: database.kind, error: loggableError(err) }, 'not ready: database unreachable');
        return reply.status(503).send({ status: 'not_ready' });
      }
    },
  });
  return { app, routes };
}
