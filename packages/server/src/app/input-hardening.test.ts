import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../auth/service.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';
import { bearer, testApp, testDatabase, type TestApp } from '../test/harness.js';
import { loadConfig } from '../platform/config.js';
import { EventBus } from '../platform/events.js';
import { buildApp } from './build-app.js';
import { installErrorHandler } from '../platform/http/error-handler.js';

/**
 * Issue #11: bad input of every kind is a 400 that names the field, never a 500, and no
 * answer carries the database's own words. Each case runs through the whole app.
 */
describe('HTTP input hardening', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: admin });
  const post = (url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url, headers: admin, payload: payload as object });
  const expect400 = (res: { statusCode: number; body: string }, field: string) => {
    expect(res.statusCode, res.body).toBe(400);
    const body = JSON.parse(res.body) as { error: string; message: string; field?: string };
    expect(body.field, res.body).toBe(field);
    expect(body.message, res.body).toContain(field);
    return body;
  };

  beforeAll(async () => {
    t = await testApp();
    admin = bearer(t.tokens.admin);
    await seedMiniShop(t.app, t.tokens.admin);
  });
  afterAll(async () => t.close());

  describe('sort', () => {
    it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', '-constructor'])(
      'refuses sort=%s (a property of every object) with 400 naming sort',
      async (sort) => {
        for (const base of ['/api/v1/customers', '/api/v1/jobs', '/api/v1/departments', '/api/v1/machines']) {
          const body = expect400(await get(`${base}?sort=${encodeURIComponent(sort)}`), 'sort');
          expect(body.message).toContain('sortable fields');
        }
      },
    );

    it('still sorts by a declared field', async () => {
      expect((await get('/api/v1/customers?sort=-name')).statusCode).toBe(200);
    });
  });

  describe('strings: valid UTF-8 without NUL', () => {
    it('refuses NUL in a body string, naming the field', async () => {
      expect400(await post('/api/v1/customers', { code: 'C-NUL', name: 'a\u0000b' }), 'name');
    });

    it('refuses NUL deep in a body, naming its path', async () => {
      const job = sampleJob('J-NUL');
      job.routings[1] = { ...job.routings[1]!, notes: 'bend\u0000' };
      expect400(await post('/api/v1/jobs', job), 'routings[1].notes');
    });

    it('refuses a lone surrogate in a body string', async () => {
      expect400(await post('/api/v1/customers', { code: 'C-SUR', name: 'x\ud800y' }), 'name');
    });

    it('refuses a body that is not valid UTF-8', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: { ...admin, 'content-type': 'application/json' },
        payload: Buffer.concat([Buffer.from('{"code":"C-LAT","name":"M'), Buffer.from([0xfc]), Buffer.from('ller"}')]),
      });
      expect400(res, 'body');
    });

    it('refuses NUL in a querystring: ?q=%00', async () => {
      for (const url of ['/api/v1/customers?q=%00', '/api/v1/jobs?q=%00', '/api/v1/materials?code=a%00']) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(400);
        expect((res.json() as { field: string }).field, url).toMatch(/^(q|code)$/);
      }
    });

    it('refuses NUL in a path parameter: /jobs/%00', async () => {
      for (const url of ['/api/v1/jobs/%00', '/api/v1/departments/%00', '/api/v1/machines/%00'])
        expect400(await get(url), 'id');
    });

    it('refuses a path that is not percent-encoded UTF-8, and a body that is not JSON, in the error shape', async () => {
      for (const url of ['/api/v1/jobs/%ED%A0%80', '/api/v1/jobs/%FF', '/api/v1/customers/%C0%80'])
        expect(await get(url).then((r) => r.json())).toMatchObject({ error: 'invalid_url', field: 'url' });
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: { ...admin, 'content-type': 'application/json' },
        payload: '{"code":"C-1",',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ field: 'body' });
    });

    it('refuses a NUL in a CSV cell, naming the row and column', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/imports/work-centers',
        headers: { ...admin, 'content-type': 'text/csv' },
        payload: 'id,name,department_id,machine_type\nLASER-9,Fiber\u0000 9,laser,laser\n',
      });
      expect(res.statusCode, res.body).toBe(400);
      const body = res.json() as { error: string; details: { errors: { row: number; column: string | null }[] } };
      expect(body.error).toBe('invalid_csv');
      expect(body.details.errors[0]).toMatchObject({ row: 2, column: 'name' });
      expect((await get('/api/v1/work-centers/LASER-9')).statusCode).toBe(404);
    });
  });

  describe('ids, numbers, dates', () => {
    it('answers GET /jobs/not-a-uuid with 400 naming id', async () => {
      expect400(await get('/api/v1/jobs/not-a-uuid'), 'id');
      expect400(await get('/api/v1/customers/not-a-uuid'), 'id');
    });

    it('still answers 404 for a well-formed id that does not exist', async () => {
      expect((await get('/api/v1/jobs/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
      expect((await get('/api/v1/work-centers/NO-SUCH-WC')).statusCode).toBe(404);
    });

    it('refuses ?offset=1e30 and ?limit=Infinity', async () => {
      for (const base of [
        '/api/v1/jobs',
        '/api/v1/customers',
        '/api/v1/alarms',
        '/api/v1/notifications',
        '/api/v1/routing-steps',
      ]) {
        expect400(await get(`${base}?offset=1e30`), 'offset');
        expect400(await get(`${base}?limit=Infinity`), 'limit');
        expect400(await get(`${base}?offset=NaN`), 'offset');
      }
    });

    it('refuses /alarms?since=0000-01-01T00:00:00Z and other years out of range', async () => {
      expect400(await get('/api/v1/alarms?since=0000-01-01T00:00:00Z'), 'since');
      expect400(await get('/api/v1/jobs?dueFrom=0000-01-01T00:00:00Z'), 'dueFrom');
      expect400(await get('/api/v1/calendar-exceptions?from=0000-01-01'), 'from');
      expect400(await post('/api/v1/jobs', { ...sampleJob('J-Y0'), dueDate: '0000-12-31T00:00:00Z' }), 'dueDate');
      expect((await get('/api/v1/alarms?since=2026-01-01T00:00:00Z')).statusCode).toBe(200);
    });

    it('refuses a from after its to', async () => {
      expect400(await get('/api/v1/jobs?dueFrom=2026-02-01T00:00:00Z&dueTo=2026-01-01T00:00:00Z'), 'dueTo');
      expect400(await get('/api/v1/calendar-exceptions?from=2026-02-01&to=2026-01-01'), 'to');
      expect((await get('/api/v1/jobs?dueFrom=2026-01-01T00:00:00Z&dueTo=2026-02-01T00:00:00Z')).statusCode).toBe(200);
    });

    it('does not coerce "5" or true into numbers in a body', async () => {
      expect400(await post('/api/v1/jobs', { ...sampleJob('J-STR'), quantity: '5' }), 'quantity');
      expect400(await post('/api/v1/jobs', { ...sampleJob('J-BOOL'), quantity: true }), 'quantity');
      expect400(await post('/api/v1/jobs', { ...sampleJob('J-ARR'), quantity: [5] }), 'quantity');
      // querystrings are text, so numbers there still parse
      expect((await get('/api/v1/jobs?limit=5&priority=2')).statusCode).toBe(200);
    });

    it('caps collection sizes: a job with 10,000 routings is a 400 naming routings', async () => {
      const job = sampleJob('J-HUGE');
      job.routings = Array.from({ length: 10_000 }, (_, i) => ({
        sequence: i + 1,
        operationCode: 'CUT',
        workCenterType: 'laser',
        runMinutesPerUnit: 1,
      }));
      expect400(await post('/api/v1/jobs', job), 'routings');
      const parts = Array.from({ length: 10_000 }, (_, i) => ({
        partNumber: `P-${i}`,
        quantity: 1,
        materialCode: 'SS304',
        thickness: 0.06,
      }));
      expect400(await post('/api/v1/jobs', { ...sampleJob('J-PARTS'), parts }), 'parts');
    });
  });

  describe('database words stay out of 4xx answers', () => {
    const pgWords = /Key \(|duplicate key|violates|constraint|is not present in table|invalid input syntax|relation "/i;

    it('a duplicate, a missing reference and a delete still in use speak Kerf', async () => {
      expect((await post('/api/v1/customers', { code: 'DUP', name: 'One' })).statusCode).toBe(201);
      const dup = await post('/api/v1/customers', { code: 'DUP', name: 'Two' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json()).toMatchObject({ error: 'duplicate', field: 'code' });
      expect(dup.json().message).not.toMatch(pgWords);

      const ref = await post('/api/v1/work-centers', {
        id: 'WC-ORPHAN',
        name: 'Orphan',
        departmentId: 'no-such-dept',
        machineType: 'laser',
      });
      expect(ref.statusCode).toBe(400);
      expect(ref.json()).toMatchObject({ error: 'unknown_reference', field: 'departmentId' });
      expect(ref.json().message).not.toMatch(pgWords);

      const del = await t.app.inject({ method: 'DELETE', url: '/api/v1/departments/laser', headers: admin });
      expect(del.statusCode).toBe(409);
      expect(del.json()).toMatchObject({ error: 'in_use' });
      expect(del.json().message).not.toMatch(pgWords);
    });
  });

  it('no list route answers 500 to a malformed querystring', async () => {
    const lists = t.routes.filter((r) => r.method === 'GET' && !r.url.includes('/:') && r.url !== '/api/v1/ws');
    expect(lists.length).toBeGreaterThan(20);
    const queries = [
      'offset=1e30',
      'limit=Infinity',
      'limit=-1',
      'sort=constructor',
      'q=%00',
      'since=0000-01-01T00:00:00Z',
    ];
    queries.push(
      'from=0000-01-01T00:00:00Z',
      'to=0000-01-01T00:00:00Z',
      'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    );
    const failures: string[] = [];
    for (const r of lists) {
      for (const q of queries) {
        const res = await get(`${r.url}?${q}`);
        if (res.statusCode >= 500) failures.push(`GET ${r.url}?${q} -> ${res.statusCode} ${res.body}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('no route answers 500 to a malformed id', async () => {
    const withId = t.routes.filter((r) => r.url.includes('/:'));
    expect(withId.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const r of withId) {
      for (const id of ['not-a-uuid', '%00', '%ED%A0%80', '%FF', 'x'.repeat(300)]) {
        const url = r.url.replace(/:[A-Za-z]+/g, id);
        const res = await t.app.inject({
          method: r.method as 'GET',
          url,
          headers: admin,
          ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} }),
        });
        if (res.statusCode >= 500) failures.push(`${r.method} ${url} -> ${res.statusCode} ${res.body}`);
        if (id === '%00' && res.statusCode !== 400) failures.push(`${r.method} ${url} -> ${res.statusCode}, not 400`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('what the log and /ready give away', () => {
  type TestDb = Awaited<ReturnType<typeof testDatabase>>;
  const lines: string[] = [];
  const logDestination = { write: (line: string) => void lines.push(line) };
  const config = { ...loadConfig({}), logLevel: 'info' as const };

  it('POST /users with a NUL in displayName is a 400, and the log holds no password or hash', async () => {
    const database = await testDatabase();
    const { password: adminPassword } = await ensureAdmin(database.db, undefined);
    const { app } = await buildApp({ database, events: new EventBus(), config }, { logger: true, logDestination });
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'admin', password: adminPassword },
      });
      const token = (login.json() as { token: string }).token;
      const password = `Nz-${randomBytes(18).toString('base64url')}`;
      lines.length = 0;
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: bearer(token),
        payload: { username: 'welder7', password, role: 'operator', displayName: 'a\u0000b' },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ field: 'displayName' });
      const log = lines.join('');
      expect(log).toContain('/api/v1/users');
      expect(log).not.toContain('scrypt$');
      expect(log).not.toContain(password);
    } finally {
      await app.close();
      await database.drop();
    }
  });

  describe('the error handler logs a database error without its parameters', () => {
    let database: TestDb;
    const app = Fastify({ logger: { level: 'info', stream: logDestination } });
    const secret = `scrypt$32768$8$1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;
    beforeAll(async () => {
      database = await testDatabase();
      installErrorHandler(app);
      app.get('/fault', async () => database.db.execute(sql`SELECT * FROM no_such_table WHERE secret = ${secret}`));
      app.get('/bad-value', async () => database.db.execute(sql`SELECT ${secret}::integer AS n`));
      await app.ready();
    });
    afterAll(async () => {
      await app.close();
      await database.drop();
    });

    it('a fault is a 500 whose log line names the query but not the values', async () => {
      lines.length = 0;
      const res = await app.inject({ method: 'GET', url: '/fault' });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('no_such_table');
      const log = lines.join('');
      expect(log).toContain('unhandled error');
      expect(log).toContain('no_such_table');
      expect(log).toContain('42P01');
      expect(log).not.toContain(secret);
      expect(log).not.toContain(secret.slice(-20));
    });

    it("a value the database refuses is a 400 in Kerf's words, and the log keeps no value", async () => {
      lines.length = 0;
      const res = await app.inject({ method: 'GET', url: '/bad-value' });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_value' });
      expect(res.body).not.toMatch(/invalid input syntax|integer/);
      expect(res.body).not.toContain(secret);
      expect(lines.join('')).not.toContain(secret.slice(-20));
    });
  });

  it('/ready answers {status} only; why it is not ready goes to the log', async () => {
    const database = await testDatabase();
    const { app } = await buildApp({ database, events: new EventBus(), config }, { logger: true, logDestination });
    try {
      const ready = await app.inject({ method: 'GET', url: '/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready' });
      await database.close();
      lines.length = 0;
      const down = await app.inject({ method: 'GET', url: '/ready' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: 'not_ready' });
      expect(lines.join('')).toContain('not ready: database unreachable');
    } finally {
      await app.close().catch(() => undefined);
      await database.drop().catch(() => undefined);
    }
  });
});
