import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createUser, ensureAdmin } from '../auth/service.js';
import { ROLES, type Role } from '../auth/permissions.js';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { loadConfig } from '../platform/config.js';
import { openDatabase, type Database } from '../platform/db.js';
import { listMigrations, migrate } from '../platform/migrate.js';
import { buildApp } from '../app/build-app.js';
import { EventBus } from '../platform/events.js';
import type { OutboxDrainer } from '../platform/event-outbox.js';
import type { MachinesRuntime } from '../machines/runtime.js';
import type { PlanRunService } from '../planning/plan-run-service.js';
import { waitForAllScenarios } from '../planning/scenario-service.js';
import type { RouteAccessEntry } from '../platform/http/route-access.js';

/**
 * Test databases: KERF_TEST_DB=postgres runs on the real PostgreSQL (KERF_TEST_DATABASE_URL,
 * default 127.0.0.1:5432/test) in a fresh schema per test file; otherwise an in-memory PGlite
 * started from a migrated snapshot (3 s to create, well under 1 s to load).
 */
export const TEST_DB = process.env.KERF_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
export const TEST_DATABASE_URL = process.env.KERF_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function pgliteSnapshot(): Promise<Blob> {
  // The key covers every migration's text, so an edited migration never reuses an old snapshot.
  const hash = createHash('sha256');
  for (const m of listMigrations()) hash.update(`${m.id}\0${m.script}\0`);
  const key = hash.digest('hex').slice(0, 24);
  const file = join(tmpdir(), `kerf-test-snapshot-${key}.tar.gz`);
  if (!existsSync(file)) {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrate(database);
    const pg = database.client;
    if (!pg) throw new Error('PGlite client not exposed');
    const dump = await pg.dumpDataDir('gzip');
    writeFileSync(`${file}.${process.pid}`, Buffer.from(await dump.arrayBuffer()));
    // rename is atomic: parallel test files never read half a snapshot
    (await import('node:fs')).renameSync(`${file}.${process.pid}`, file);
    await database.close();
  }
  return new Blob([readFileSync(file)]);
}

export async function testDatabase(): Promise<Database & { drop: () => Promise<void> }> {
  if (TEST_DB === 'postgres') {
    const schema = `kerf_t_${randomBytes(5).toString('hex')}`;
    const database = await openDatabase({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 8 });
    await migrate(database);
    return {
      ...database,
      drop: async () => {
        await database.exec(`DROP SCHEMA ${schema} CASCADE`);
        await database.close();
      },
    };
  }
  const database = await openDatabase({ dataDir: 'memory://', loadDataDir: await pgliteSnapshot() });
  await migrate(database);
  return { ...database, drop: () => database.close() };
}

/** The password of every harness user; it passes the password policy (auth/password-policy.ts). */
export const TEST_PASSWORD = 'kerf-test-secret';

export interface TestApp {
  app: FastifyInstance;
  routes: RouteAccessEntry[];
  database: Database;
  events: EventBus;
  conflictWatch: { settled: () => Promise<void> };
  /** the app's machines runtime (registry, status cache, ingest) */
  machines: MachinesRuntime;
  /** the app's outbox drainer: `await t.outbox.drain()` delivers what commands recorded */
  outbox: OutboxDrainer;
  /** the app's plan-run service (a worker): `await t.planRuns.waitFor(id)` */
  planRuns: PlanRunService;
  /** bearer token per role (users "<role>", all with the password TEST_PASSWORD) */
  tokens: Record<Role, string>;
  close: () => Promise<void>;
}

/** One user per role, each named after its role, with TEST_PASSWORD (admin included). */
export async function createRoleUsers(database: Database): Promise<void> {
  await ensureAdmin(database.db, TEST_PASSWORD);
  for (const role of ROLES) {
    if (role !== 'admin')
      await createUser(database.db, SYSTEM_ACTOR, { username: role, password: TEST_PASSWORD, role });
  }
}

/** A bearer token per role, by logging each role user in through the API. */
export async function loginEveryRole(app: FastifyInstance): Promise<Record<Role, string>> {
  const tokens = {} as Record<Role, string>;
  for (const role of ROLES) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: role, password: TEST_PASSWORD },
    });
    tokens[role] = (res.json() as { token: string }).token;
  }
  return tokens;
}

export async function testApp(): Promise<TestApp> {
  const database = await testDatabase();
  const config = { ...loadConfig({}), loginRateLimit: 1000 };
  await createRoleUsers(database);
  const events = new EventBus();
  const { app, routes, conflictWatch, machines, outbox, planRuns } = await buildApp({ database, config, events });
  const tokens = await loginEveryRole(app);
  return {
    app,
    routes,
    database,
    events,
    conflictWatch,
    machines,
    outbox: outbox!,
    planRuns,
    tokens,
    close: async () => {
      await planRuns.stop();
      await waitForAllScenarios();
      await app.close();
      await database.drop();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
