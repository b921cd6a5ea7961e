import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installRouteAccess, type AccessGate } from '../platform/http/route-access.js';
import { registerWebApp } from './static.js';

// The static routes are public: nobody needs to authenticate.
const NO_ONE: AccessGate = { authenticate: async () => undefined, holds: () => false, isPermission: () => false };

describe('web app serving', () => {
  let root: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'kerf-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(root, 'floor.html'), '<!doctype html><div id="root" data-app="floor"></div>');
    writeFileSync(join(root, 'assets', 'app-abc123.js'), 'console.log(1)');
    app = Fastify();
    installRouteAccess(app, NO_ONE); // the gate refuses routes without declared access
    await registerWebApp(app, root);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / and for app paths (SPA fallback), without caching', async () => {
    for (const url of ['/', '/planner', '/departments/cut?x=1']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('id="root"');
      expect(res.headers['cache-control']).toMatch(/no-cache|max-age=0/);
    }
  });

  it('serves hashed assets with a long cache', async () => {
    const res = await app.inject({ url: '/assets/app-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log(1)');
    expect(res.headers['cache-control']).toMatch(/max-age=31536000/);
  });

  it('serves the floor app at /floor and below; a missing asset is a 404, not a page', async () => {
    for (const url of ['/floor', '/floor/issues/123']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('data-app="floor"');
    }
    expect((await app.inject({ url: '/floorplan' })).body).not.toContain('data-app="floor"');
    const missing = await app.inject({ url: '/assets/zxing_reader-gone.wasm' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/json/);
  });

  it('answers 404 JSON under /api and never leaves the root', async () => {
    const api = await app.inject({ url: '/api/v1/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: 'not_found' });
    const escape = await app.inject({ url: '/..%2f..%2fetc%2fpasswd' });
    expect(escape.body).not.toContain('root:');
  });

  it('registers nothing when the app is not built', async () => {
    const bare = Fastify();
    installRouteAccess(bare, NO_ONE);
    await registerWebApp(bare, join(root, 'missing'));
    await bare.ready();
    expect((await bare.inject({ url: '/' })).statusCode).toBe(404);
    await bare.close();
  });
});
