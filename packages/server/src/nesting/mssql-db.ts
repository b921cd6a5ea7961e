import sql from 'mssql';
import type { SqlServerSettings } from './config.js';
import { mssqlDialect } from './dialect.js';
import type { SimTransDb, SqlRunner } from './simtrans-db.js';

function bind(request: sql.Request, params: unknown[]): sql.Request {
  params.forEach((value, i) => {
    // mssql infers the SQL type from the JS value; null needs a type of its own.
    if (value === null || value === undefined) request.input(`p${i + 1}`, sql.NVarChar, null);
    else request.input(`p${i + 1}`, value);
  });
  return request;
}

/** SQL Server of SimTrans (TransAct) and SigmaNEST (STxxARC), one pool on the same server. */
export async function mssqlSimTransDb(settings: SqlServerSettings): Promise<SimTransDb> {
  const pool = new sql.ConnectionPool({
    server: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    database: settings.database,
    options: { encrypt: true, trustServerCertificate: true },
    pool: { max: 4, min: 0 },
    connectionTimeout: 15_000,
    requestTimeout: 60_000,
  });
  pool.on('error', () => undefined);
  let connecting: Promise<sql.ConnectionPool> | undefined;
  // A pool that failed to connect (SimTrans down) is retried on the next call, not kept broken.
  const ready = async () => {
    if (pool.connected) return pool;
    connecting ??= pool.connect().finally(() => (connecting = undefined));
    return connecting;
  };
  const runner = (make: () => sql.Request): SqlRunner => ({
    query: async <T>(text: string, params: unknown[] = []) => {
      const result = await bind(make(), params).query(text);
      return (result.recordset ?? []) as T[];
    },
  });
  return {
    dialect: mssqlDialect(settings.database, settings.sigmanestDatabase),
    query: async <T>(text: string, params: unknown[] = []) => {
      const p = await ready();
      return runner(() => p.request()).query<T>(text, params);
    },
    transaction: async <T>(fn: (q: SqlRunner) => Promise<T>) => {
      const p = await ready();
      const tx = new sql.Transaction(p);
      await tx.begin();
      try {
        const out = await fn(runner(() => new sql.Request(tx)));
        await tx.commit();
        return out;
      } catch (err) {
        await tx.rollback().catch(() => undefined);
        throw err;
      }
    },
    close: () => pool.close(),
  };
}
