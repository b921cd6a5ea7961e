import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, roleHas } from './permissions.js';
import { bearer, testApp, type TestApp } from '../test/harness.js';

// Walks every registered route for every role: no token -> 401, a role without the
// permission -> 403, a role with it -> anything but 401/403 (dummy ids may give 400/404).
describe('role matrix over every route', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => t.close());

  const concrete = (url: string) =>
    url.replace(/:id\b/g, '00000000-0000-4000-8000-000000000000').replace(/\*$/, 'index.html');

  it('every route declares access and the matrix holds', async () => {
    const protectedRoutes = t.routes.filter((r) => r.access !== 'public');
    expect(protectedRoutes.length).toBeGreaterThan(30);
    const failures: string[] = [];
    for (const route of t.routes) {
      const url = concrete(route.url);
      const payload = ['POST', 'PATCH', 'PUT'].includes(route.method) ? {} : undefined;
      const anon = await t.app.inject({ method: route.method as 'GET', url, payload });
      if (route.access === 'public') {
        if ([401, 403].includes(anon.statusCode))
          failures.push(`${route.method} ${route.url} public but answered ${anon.statusCode}`);
        continue;
      }
      if (anon.statusCode !== 401)
        failures.push(`${route.method} ${route.url} anonymous -> ${anon.statusCode}, want 401`);
      for (const role of ROLES) {
        // logout would end the session the rest of the walk uses
        if (route.url === '/api/v1/auth/logout') continue;
        const res = await t.app.inject({
          method: route.method as 'GET',
          url,
          payload,
          headers: bearer(t.tokens[role]),
        });
        const allowed = roleHas(role, route.access);
        if (allowed && [401, 403].includes(res.statusCode))
          failures.push(`${route.method} ${route.url} ${role} -> ${res.statusCode}, want allowed`);
        if (!allowed && res.statusCode !== 403)
          failures.push(`${route.method} ${route.url} ${role} -> ${res.statusCode}, want 403`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('an API key acts only within its scopes', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: bearer(t.tokens.admin),
      payload: { name: 'laser-gateway', scopes: ['machine:view'] },
    });
    expect(created.statusCode).toBe(201);
    const key = (created.json() as { key: string }).key;
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(key) })).statusCode).toBe(403);
    const denied = await t.app.inject({ method: 'GET', url: '/api/v1/work-centers', headers: { 'x-api-key': key } });
    expect(denied.statusCode).toBe(403);
    const id = (created.json() as { id: string }).id;
    await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: bearer(t.tokens.admin) });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/work-centers', headers: bearer(key) })).statusCode).toBe(
      401,
    );
  });
});
