import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * The permissions routes may require. The base layer knows none: the auth module declares them
 * by declaration merging (`interface DeclaredPermissions extends Record<Permission, true> {}`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by auth/permissions.ts
export interface DeclaredPermissions {}

/** What a route requires: a declared permission, or 'public' for health, login and docs. */
export type RouteAccess = (keyof DeclaredPermissions & string) | 'public';

/** Who made a request; the auth module declares its shape (`interface RequestActor extends Actor {}`). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by auth/actor.ts
export interface RequestActor {}

/** How the gate checks a request: given by the composition root, answered by the auth module. */
export interface AccessGate {
  /** the actor a bearer token or API key stands for, or undefined when it is invalid or expired */
  authenticate(token: string): Promise<RequestActor | undefined>;
  /** whether the actor holds a permission */
  holds(actor: RequestActor, permission: string): boolean;
  /** whether a name is a declared permission (start-up refuses a route naming another) */
  isPermission(name: string): boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** every route must say who may call it; start-up fails otherwise */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor?: RequestActor;
  }
}

// Routes added by @fastify/swagger-ui cannot carry our config; they serve public docs only.
const PUBLIC_PREFIXES = ['/docs'];

export interface RouteAccessEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

/**
 * Installs the permission gate: refuses to register a route that does not declare its access,
 * and checks the bearer token and permission before every handler. Unknown means denied.
 */
export function installRouteAccess(app: FastifyInstance, gate: AccessGate): RouteAccessEntry[] {
  const table: RouteAccessEntry[] = [];
  app.addHook('onRoute', (route) => {
    const declared = route.config?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (declared === undefined) {
      if (PUBLIC_PREFIXES.some((p) => route.url === p || route.url.startsWith(`${p}/`))) {
        route.config = { ...route.config, access: 'public' };
      } else if (methods.every((m) => m === 'HEAD')) {
        return; // fastify's automatic HEAD twin of a GET route, gated by the same hook
      } else {
        throw new Error(
          `route ${methods.join(',')} ${route.url} declares no access (config.access); refusing to start`,
        );
      }
    } else if (declared !== 'public' && !gate.isPermission(declared)) {
      throw new Error(`route ${route.url} declares unknown permission "${declared}"`);
    }
    for (const m of methods) if (m !== 'HEAD') table.push({ method: m, url: route.url, access: route.config!.access! });
  });

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    if (access === 'public') return;
    if (access === undefined) {
      // Includes 404s for unknown URLs: answer 404 only to authenticated callers below.
      if (!request.routeOptions.url) return;
      throw new AppError('forbidden', 'no_access_declared', 'this route declares no access and is denied');
    }
    const token = bearerToken(request);
    if (!token)
      throw new AppError('unauthenticated', 'unauthenticated', 'log in first: send Authorization: Bearer <token>');
    const actor = await gate.authenticate(token);
    if (!actor) throw new AppError('unauthenticated', 'invalid_token', 'the token is invalid or expired; log in again');
    request.actor = actor;
    if (!gate.holds(actor, access)) {
      throw new AppError('forbidden', 'forbidden', `this action needs the permission ${access}`);
    }
  });
  return table;
}

/** The token a request authenticates with: Authorization: Bearer, X-API-Key, or ?access_token= on the WebSocket. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  // Browsers cannot set headers on a WebSocket, so that one route also takes ?access_token=.
  const queryToken =
    request.routeOptions.url === '/api/v1/ws' ? (request.query as { access_token?: string }).access_token : undefined;
  return header?.startsWith('Bearer ')
    ? header.slice(7).trim()
    : ((request.headers['x-api-key'] as string | undefined) ?? queryToken);
}

/** The authenticated actor of a request on a non-public route. */
export function actorOf(request: FastifyRequest): RequestActor {
  if (!request.actor) throw new AppError('unauthenticated', 'unauthenticated', 'log in first');
  return request.actor;
}
