import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, TEST_PASSWORD, testApp, type TestApp } from '../test/harness.js';
import { randomPassword } from './password.js';
import { passwordProblem } from './password-policy.js';

// Issue #11: "12345678" and a password equal to the user name were accepted.
describe('password policy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(async () => t.close());

  const create = (username: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(t.tokens.admin),
      payload: { username, password, role: 'operator' },
    });

  it.each([
    ['12345678', 'at least 12 characters'],
    ['short-pw1', 'at least 12 characters'],
    ['welder-jones', 'must not contain the user name'],
    ['xxWELDER-JONESxx', 'must not contain the user name'],
    ['password1234', 'too common'],
    ['Password2026!', 'too common'],
    ['qwertyuiop12', 'too common'],
    ['aaaaaaaaaaaaaaaa', 'too few different characters'],
    ['abababababababab', 'too few different characters'],
    ['123456789012', 'a simple sequence'],
    ['zyxwvutsrqpon', 'a simple sequence'],
  ])('refuses %j at user creation with 400 naming password (%s)', async (password, reason) => {
    const res = await create('welder-jones', password);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ error: 'weak_password', field: 'password' });
    expect((res.json() as { message: string }).message).toContain(reason);
  });

  it('refuses a password equal to the user name even when it is long enough', async () => {
    const res = await create('maintenance-lead', 'maintenance-lead');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'password' });
  });

  it('accepts a good password, and applies the same policy to a password change', async () => {
    const ok = await create('bender-smith', 'brake press at dawn');
    expect(ok.statusCode, ok.body).toBe(201);
    const { id, version } = ok.json() as { id: string; version: number };
    const change = (password: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${id}`,
        headers: bearer(t.tokens.admin),
        payload: { password, version },
      });
    const weak = await change('bender-smith1');
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ error: 'weak_password', field: 'password' });
    const tooShort = await change('12345678');
    expect(tooShort.json()).toMatchObject({ field: 'password' });
    // nothing half-written: the refused change left the version alone
    const good = await change('a different long phrase');
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toMatchObject({ version: version + 1 });
  });

  it('passes the harness password and every generated first-start password', () => {
    expect(passwordProblem(TEST_PASSWORD, 'admin')).toBeUndefined();
    for (let i = 0; i < 2000; i++) expect(passwordProblem(randomPassword(), 'admin')).toBeUndefined();
  });
});
