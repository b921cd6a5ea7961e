import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';

/**
 * The query handle every service uses. Both drivers produce a drizzle PgDatabase; services
 * and queries are written once against this type (transactions are PgDatabase too).
 */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** runs a multi-statement SQL script (migrations) outside drizzle */
  exec(script: string): Promise<void>;
  /** one parameterised statement outside drizzle (platform checks, benchmarks) */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  /** the PGlite instance, for snapshots in tests */
  client?: PGlite;
  /** human-readable location for logs, without credentials */
  describe: string;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; 'memory://' for an in-memory database */
  dataDir?: string;
  /** PostgreSQL schema to use (tests create a fresh one per run) */
  schema?: string;
  /** a PGlite snapshot (dumpDataDir) to start from, which makes tests fast */
  loadDataDir?: Blob | File;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openPglite(options.dataDir ?? './.kerf/data', options.loadDataDir);
}

async function openPglite(dataDir: string, loadDataDir?: Blob | File): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(resolve(dataDir), { recursive: true });
  const client = await PGlite.create(inMemory ? undefined : resolve(dataDir), loadDataDir ? { loadDataDir } : {});
  await client.exec("SET TIME ZONE 'UTC'");
  const db = drizzlePglite({ client }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    exec: async (script) => {
      try {
        await client.exec(script);
      } catch (err) {
        // A failed script may leave its transaction open on the only connection.
        await client.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },
    query: async <T>(text: string, params: unknown[] = []) => (await client.query<T>(text, params)).rows,
    close: () => client.close(),
    client,
    describe: inMemory ? 'PGlite (in memory)' : `PGlite at ${resolve(dataDir)}`,
  };
}

async function openPostgres(url: string, options: OpenOptions): Promise<Database> {
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Every connection sees the same schema and UTC, whichever replica or test opened it.
    options: `-c timezone=UTC${schema ? ` -c search_path=${schema}` : ''}`,
  });
  // A database restart kills the connections, and pg re-emits a dead socket's error on the client
  // (a checked-out one too, e.g. inside a transaction) and on the pool for idle ones; unheard, that
  // is an uncaught exception that ends the process. The query in flight fails to its caller anyway,
  // the pool drops the dead connection and the next query opens a new one, so nothing is lost here.
  pool.on('connect', (client) => client.on('error', () => undefined));
  pool.on('error', () => undefined);
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const db = drizzlePg({ client: pool }) as unknown as Db;
  const host = new URL(url);
  return {
    kind: 'postgres',
    db,
    exec: async (script) => {
      const conn = await pool.connect();
      try {
        await conn.query(script);
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        conn.release();
      }
    },
    query: async <T>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as T[],
    close: () => pool.end(),
    describe: `PostgreSQL ${host.hostname}:${host.port || 5432}${host.pathname}${schema ? ` schema ${schema}` : ''}`,
  };
}
