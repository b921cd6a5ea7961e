import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { installRouteAccess } from './route-access.js';
import type { AccessGate } from './route-access.js';

// Nothing authenticates here: these routes are refused at registration.
const NO_ONE: AccessGate = {
  authenticate: async () => undefined,
  holds: () => false,
  isPermission: (n) => n === 'job:view',
};

describe('route access gate', () => {
  it('refuses at start-up a route that declares no access', () => {
    const app = Fastify();
    installRouteAccess(app, NO_ONE);
    expect(() => app.get('/api/v1/secret', async () => 'x')).toThrow(/declares no access/);
  });

  it('refuses an unknown permission name', () => {
    const app = Fastify();
    installRouteAccess(app, NO_ONE);
    expect(() => app.get('/api/v1/x', { config: { access: 'job:fly' as never } }, async () => 'x')).toThrow(
      /unknown permission/,
    );
  });
});
