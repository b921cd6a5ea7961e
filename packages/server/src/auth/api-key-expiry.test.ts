import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';

// Issue #11: an API key whose expiresAt is already past was accepted at creation.
describe('API key expiry at creation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => t.close());

  const create = (expiresAt: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: bearer(t.tokens.admin),
      payload: { name: 'erp', scopes: ['job:view'], expiresAt },
    });

  it.each([
    ['yesterday', new Date(Date.now() - 86_400_000).toISOString()],
    ['a second ago', new Date(Date.now() - 1000).toISOString()],
    ['the epoch', '1970-01-01T00:00:00Z'],
    ['not a date', 'next tuesday'],
    ['an impossible date', '2026-02-30T10:00:00Z'],
  ])('refuses %s with 400 naming expiresAt and creates nothing', async (_what, expiresAt) => {
    const before = (
      await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: bearer(t.tokens.admin) })
    ).json() as { items: unknown[] };
    const res = await create(expiresAt);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ field: 'expiresAt' });
    const after = (
      await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: bearer(t.tokens.admin) })
    ).json() as { items: unknown[] };
    expect(after.items.length).toBe(before.items.length);
  });

  it('accepts a future expiry and no expiry', async () => {
    expect((await create(new Date(Date.now() + 86_400_000).toISOString())).statusCode).toBe(201);
    expect((await create(null)).statusCode).toBe(201);
  });
});
