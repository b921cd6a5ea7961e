import { readFileSync } from 'node:fs';
import sql from 'mssql';
import { ConfigError } from '../platform/config.js';
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

/**
 * The pool settings for SimTrans's SQL Server. TLS is on and the server certificate verified by
 * default (docs/nesting.md): a SQL Server with a self-signed certificate needs KERF_SIMTRANS_CA_FILE
 * (its certificate or CA) or, knowingly, KERF_SIMTRANS_TRUST_SERVER_CERT=1.
 */
export function mssqlPoolConfig(settings: SqlServerSettings): sql.config {
  const options: NonNullable<sql.config['options']> = {
    encrypt: settings.encrypt,
    trustServerCertificate: settings.trustServerCertificate,
  };
  if (settings.caFile) {
    try {
      options.cryptoCredentialsDetails = { ca: readFileSync(settings.caFile, 'utf8') };
    } catch (err) {
      throw new ConfigError(
        `KERF_SIMTRANS_CA_FILE: cannot read "${settings.caFile}": ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  return {
    server: settings.host,
    port: settings.port,
    user: settings.user,
    password: settings.password,
    database: settings.database,
    options,
    pool: { max: 4, min: 0 },
    connectionTimeout: 15_000,
    requestTimeout: 60_000,
  };
}

/** SQL Server of SimTrans (TransAct) and SigmaNEST (STxxARC), one pool on the same server. */
export async function mssqlSimTransDb(settings: SqlServerSettings): Promise<SimTransDb> {
  const pool = new sql.ConnectionPool(mssqlPoolConfig(settings));
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
