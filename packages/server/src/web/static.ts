import { existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** packages/web/dist, seen from packages/server/dist/web/static.js (or src/web under tsx). */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Paths that belong to the API and docs: never answered with the web app. */
const NOT_THE_APP = ['/api/', '/docs', '/health', '/ready'];

/**
 * Serves the web app (packages/web/dist) at `/`: files as they are (hashed assets cached for a
 * year), /floor and below get floor.html (the floor app), any other GET path gets index.html so
 * the app's own router can take it. Skipped
 * silently when the app is not built (API-only builds). KERF_WEB_DIR serves another build (the
 * browser tests use a private copy). Everything here is public: the data stays behind the API.
 */
export async function registerWebApp(
  app: FastifyInstance,
  root: string = process.env.KERF_WEB_DIR || WEB_DIST,
): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) return;
  // serve: false registers no routes of its own (they could not declare access); it only adds reply.sendFile.
  await app.register(fastifyStatic, { root, serve: false });

  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const path = decodeURIComponent(request.url.split('?')[0] ?? '/');
    if (NOT_THE_APP.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p))) {
      return reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${path}` });
    }
    const relative = normalize(path).replace(/^[/\\]+/, '');
    const file = join(root, relative);
    if (
      relative &&
      !relative.startsWith('..') &&
      file.startsWith(root + sep) &&
      existsSync(file) &&
      statSync(file).isFile()
    ) {
      const immutable = relative.startsWith(`assets${sep}`) || relative.startsWith('assets/');
      return reply.sendFile(relative, { maxAge: immutable ? '365d' : 0, immutable });
    }
    // A missing asset is a 404, not the app's page: a browser (or the service worker caching
    // the floor app's shell) must not take HTML for a script or the scanner's WebAssembly.
    if (relative.startsWith('assets/') || relative.startsWith(`assets${sep}`)) {
      return reply.status(404).send({ error: 'not_found', message: `no file ${path}` });
    }
    reply.header('cache-control', 'no-cache');
    // The floor app is its own page (its own bundle, manifest and service worker scope).
    const page = (path === '/floor' || path.startsWith('/floor/')) && existsSync(join(root, 'floor.html'));
    return reply.sendFile(page ? 'floor.html' : 'index.html', { maxAge: 0 });
  });
}
