import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installRouteAccess } from './route-access.js';
import type { Db } from '../db.js';

describe('route access gate', () => {
  it('refuses at start-up a route that declares no access', () => {
    const app = Fastify();
    installRouteAccess(app, {} as Db);
    expect(() => app.get('/api/v1/secret', async () => 'x')).toThrow(/declares no access/);
  });

  it('refuses an unknown permission name', () => {
    const app = Fastify();
    installRouteAccess(app, {} as Db);
    expect(() => app.get('/api/v1/x', { config: { access: 'job:fly' as never } }, async () => 'x')).toThrow(
      /unknown permission/,
    );
  });
});
