/**
 * The generated API client against a real Kerf server: the bearer token, typed answers, error
 * answers as ApiError (status, code, field, details), the 401 listener, a text/csv body and an
 * unreachable server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, asText, createApiClient, ok, onUnauthenticated } from '../src/api/client';
import { ADMIN_PASSWORD, apiLogin, freePort, startServer, type KerfServer } from './harness';

const failure = async (call: Promise<unknown>): Promise<ApiError> => {
  try {
    await call;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('the call did not fail');
};

describe('generated API client', () => {
  let server: KerfServer;
  let token: string | null;

  beforeAll(async () => {
    server = await startServer(undefined, { KERF_SIM: '0' });
    token = await apiLogin(server, 'admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sends the token and answers the typed body', async () => {
    const api = createApiClient(server.url, () => token);
    const me = await ok(api.GET('/api/v1/auth/me'));
    expect(me.permissions).toContain('user:admin');
    const centers = await ok(api.GET('/api/v1/work-centers', { params: { query: { limit: 1 } } }));
    expect(centers.items).toHaveLength(1);
    expect(centers.total).toBeGreaterThan(1);
  });

  it('throws an error answer as ApiError with its code and field', async () => {
    const api = createApiClient(server.url, () => token);
    const err = await failure(
      api.POST('/api/v1/users', { body: { username: 'x', password: 'short', role: 'operator' } }),
    );
    expect(err.status).toBe(400);
    expect(err.code).toBeTruthy();
    expect(err.field).toBeTruthy();
    expect(err.message).not.toBe('400 Bad Request');
  });

  it('tells the listeners about a 401, but not about a failed login', async () => {
    let told = 0;
    const stop = onUnauthenticated(() => told++);
    try {
      const stale = createApiClient(server.url, () => 'not-a-token');
      expect((await failure(stale.GET('/api/v1/auth/me'))).status).toBe(401);
      expect(told).toBe(1);
      const login = await failure(stale.POST('/api/v1/auth/login', { body: { username: 'admin', password: 'wrong' } }));
      expect(login.status).toBe(401);
      expect(told).toBe(1);
    } finally {
      stop();
    }
  });

  it('posts a CSV file as text/csv and reads its row errors from details', async () => {
    const api = createApiClient(server.url, () => token);
    const csv = (text: string) => ({
      params: { query: { dryRun: true } },
      body: text,
      headers: { 'content-type': 'text/csv' },
      ...asText,
    });
    const answer = await ok(
      api.POST('/api/v1/imports/work-centers', csv('id,name,department_id,machine_type\nE2E-LASER,Laser,none,laser\n')),
    ).catch((err: unknown) => err);
    // department "none" does not exist: the server checked the CSV row, so the body arrived as CSV
    expect(answer).toBeInstanceOf(ApiError);
    const err = answer as ApiError;
    expect(err.status).toBe(400);
    expect((err.details as { errors: { row: number; column: string | null }[] }).errors[0]).toMatchObject({
      row: 2,
      column: 'department_id',
    });
  });

  it('turns an unreachable server into a network ApiError', async () => {
    const gone = createApiClient(`http://127.0.0.1:${await freePort()}`, () => token);
    const err = await failure(gone.GET('/api/v1/auth/me'));
    expect(err.status).toBe(0);
    expect(err.code).toBe('network');
  });
});
