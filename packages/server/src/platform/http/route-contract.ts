import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Hidden routes that are not part of the API contract and so need no schemas: the web app's static
 * files (`/*`), the Swagger UI (`/docs/...`), the contract itself (`/api/v1/openapi.json`) and the
 * WebSocket upgrade (`/api/v1/ws`, which OpenAPI 3.0 cannot describe; its messages are the events).
 * Any other route under /api/ that hides itself is refused: hiding is not a way around the contract.
 */
const HIDDEN_API_ROUTES = new Set(['/api/v1/openapi.json', '/api/v1/ws']);

const isSuccess = (status: string) => /^2(\d\d|xx)$/i.test(status);
const declares = (statuses: string[], status: string) =>
  statuses.includes(status) || statuses.includes(`${status[0]}xx`) || statuses.includes('default');

/** What a route's schema lacks for the contract; empty when it is complete. */
export function contractGaps(route: Pick<RouteOptions, 'url' | 'schema' | 'config'>): string[] {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const statuses = Object.keys((schema.response as Record<string, unknown> | undefined) ?? {});
  const gaps: string[] = [];
  if (!statuses.some(isSuccess)) gaps.push('a success (2xx) response schema');
  if (route.url.includes(':') && !schema.params) gaps.push('a params schema for its path parameters');
  // What the framework itself answers: 400 when the request fails its schema, 401/403 from the access gate.
  if ((schema.params || schema.querystring || schema.body || schema.headers) && !declares(statuses, '400'))
    gaps.push('a 400 response (its request is validated)');
  const access = (route.config as { access?: string } | undefined)?.access;
  if (access !== undefined && access !== 'public') {
    for (const status of ['401', '403'])
      if (!declares(statuses, status)) gaps.push(`a ${status} response (the access gate sends it)`);
  }
  return gaps;
}

/**
 * Makes start-up fail when a route lacks its part of the API contract (docs/adr/0017): response schemas
 * for what it answers and request schemas for what it takes, so the OpenAPI document and the web
 * client generated from it are complete. Install before any route is registered.
 */
export function installRouteContract(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((m) => m === 'HEAD')) return; // fastify's automatic HEAD twin of a GET
    const hidden = (route.schema as { hide?: boolean } | undefined)?.hide === true;
    if (hidden && (!route.url.startsWith('/api/') || HIDDEN_API_ROUTES.has(route.url))) return;
    const gaps = contractGaps(route);
    if (hidden) gaps.unshift('no schema.hide (routes under /api/ are part of the contract)');
    if (gaps.length > 0) {
      throw new Error(
        `route ${methods.join(',')} ${route.url} lacks ${gaps.join(', ')} (see platform/http/route-contract.ts); refusing to start`,
      );
    }
  });
}
