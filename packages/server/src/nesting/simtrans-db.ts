import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import { postgresDialect, type Dialect } from './dialect.js';

/** One statement runner: a connection, or a transaction on one. */
export interface SqlRunner {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
}

/**
 * The SimTrans / SigmaNEST databases as the sync worker sees them (a repository-like seam):
 * SQL Server in production (mssql-db.ts), PostgreSQL or PGlite for the emulator.
 */
export interface SimTransDb extends SqlRunner {
  dialect: Dialect;
  transaction<T>(fn: (q: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'ESOCKET',
  'ELOGIN',
  'ETIMEOUT',
  'ENOTOPEN',
  'ECONNCLOSED',
  '57P01',
  '08006',
  '08001',
]);

/** True for failures of the link (not of a statement): those count no attempt against a row. */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return err.name === 'ConnectionError' || /connection (refused|terminated|closed)|not connected/i.test(err.message);
}

/** PostgreSQL (a schema of the test database) holding the emulator tables. */
export function pgSimTransDb(url: string, schema: string): SimTransDb {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new pg.Pool({ connectionString: url, max: 4, options: `-c timezone=UTC -c search_path=${schema}` });
  pool.on('error', () => undefined);
  return {
    dialect: postgresDialect(),
    query: async <T>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as T[],
    transaction: async <T>(fn: (q: SqlRunner) => Promise<T>) => {
      const conn = await pool.connect();
      try {
        await conn.query('BEGIN');
        const out = await fn({
          query: async <R>(t: string, p: unknown[] = []) => (await conn.query(t, p)).rows as R[],
        });
        await conn.query('COMMIT');
        return out;
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}

/** An embedded PGlite holding the emulator tables (tests without PostgreSQL). */
export function pgliteSimTransDb(client: PGlite): SimTransDb {
  const run =
    (c: PGlite | Transaction) =>
    async <T>(text: string, params: unknown[] = []) =>
      (await c.query<T>(text, params)).rows;
  return {
    dialect: postgresDialect(),
    query: run(client),
    transaction: <T>(fn: (q: SqlRunner) => Promise<T>) => client.transaction((tx) => fn({ query: run(tx) })),
    close: () => client.close(),
  };
}
