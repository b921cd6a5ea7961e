import { delimiter } from 'node:path';
import { ConfigError, parseBool } from '../platform/config.js';

/** SimTrans / file-exchange settings, read from environment variables (docs/nesting.md). */
export interface NestingConfig {
  /** emulator: the built-in SimTrans emulator on an in-memory database (the demo shop's default). */
  mode: 'off' | 'simtrans' | 'files' | 'emulator';
  sqlServer: SqlServerSettings | undefined;
  district: number;
  pollSeconds: number;
  maxAttempts: number;
  backoffSeconds: number;
  outboxDir: string | undefined;
  inboxDir: string | undefined;
  ncRoots: string[];
}

export interface SqlServerSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  /** SimTrans database (TransAct) */
  database: string;
  /** SigmaNEST database (STxxARC feedback tables) */
  sigmanestDatabase: string;
  /** TLS on the connection (KERF_SIMTRANS_ENCRYPT, default on) */
  encrypt: boolean;
  /** accept any server certificate (KERF_SIMTRANS_TRUST_SERVER_CERT, default off: it is verified) */
  trustServerCertificate: boolean;
  /** PEM file of the CA (or the self-signed certificate) the server certificate is verified against */
  caFile: string | undefined;
}

/** How the connection to SQL Server is protected; the same for the URL and the host forms. */
function transport(env: NodeJS.ProcessEnv): Pick<SqlServerSettings, 'encrypt' | 'trustServerCertificate' | 'caFile'> {
  const encrypt = parseBool('KERF_SIMTRANS_ENCRYPT', env.KERF_SIMTRANS_ENCRYPT, true);
  const trustServerCertificate = parseBool(
    'KERF_SIMTRANS_TRUST_SERVER_CERT',
    env.KERF_SIMTRANS_TRUST_SERVER_CERT,
    false,
  );
  if (trustServerCertificate && !encrypt) {
    throw new ConfigError(
      'KERF_SIMTRANS_TRUST_SERVER_CERT=1 means nothing with KERF_SIMTRANS_ENCRYPT=0: there is no TLS to trust; set one of them',
    );
  }
  return { encrypt, trustServerCertificate, caFile: env.KERF_SIMTRANS_CA_FILE?.trim() || undefined };
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name}: expected an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function sqlServer(env: NodeJS.ProcessEnv): SqlServerSettings | undefined {
  const sigmanestDatabase = env.KERF_SIGMANEST_DATABASE?.trim() || 'SNDB';
  const url = env.KERF_SIMTRANS_URL?.trim();
  if (url) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new ConfigError('KERF_SIMTRANS_URL: expected mssql://user:password@host:1433/SimTrans');
    }
    if (!['mssql:', 'sqlserver:'].includes(u.protocol)) {
      throw new ConfigError('KERF_SIMTRANS_URL: expected an mssql:// or sqlserver:// URL');
    }
    return {
      host: u.hostname,
      port: u.port ? Number(u.port) : 1433,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'SimTrans',
      sigmanestDatabase,
      ...transport(env),
    };
  }
  const host = env.KERF_SIMTRANS_HOST?.trim();
  if (!host) return undefined;
  return {
    host,
    port: int(env, 'KERF_SIMTRANS_PORT', 1433, 1, 65535),
    user: env.KERF_SIMTRANS_USER ?? '',
    password: env.KERF_SIMTRANS_PASSWORD ?? '',
    database: env.KERF_SIMTRANS_DATABASE?.trim() || 'SimTrans',
    sigmanestDatabase,
    ...transport(env),
  };
}

export function loadNestingConfig(env: NodeJS.ProcessEnv = process.env): NestingConfig {
  const mode = (env.KERF_NESTING_MODE?.trim() || 'off') as NestingConfig['mode'];
  if (!['off', 'simtrans', 'files', 'emulator'].includes(mode)) {
    throw new ConfigError(
      `KERF_NESTING_MODE: expected off, simtrans, files or emulator, got "${env.KERF_NESTING_MODE}"`,
    );
  }
  const config: NestingConfig = {
    mode,
    sqlServer: sqlServer(env),
    district: int(env, 'KERF_SIMTRANS_DISTRICT', 1, 0, 2 ** 31 - 1),
    pollSeconds: int(env, 'KERF_SIMTRANS_POLL_SECONDS', 60, 1, 86400),
    maxAttempts: int(env, 'KERF_SIMTRANS_MAX_ATTEMPTS', 8, 1, 1000),
    backoffSeconds: int(env, 'KERF_SIMTRANS_BACKOFF_SECONDS', 30, 0, 86400),
    outboxDir: env.KERF_NESTING_OUTBOX_DIR?.trim() || undefined,
    inboxDir: env.KERF_NESTING_INBOX_DIR?.trim() || undefined,
    ncRoots: (env.KERF_NC_ROOTS ?? '')
      .split(delimiter)
      .map((s) => s.trim())
      .filter(Boolean),
  };
  if (mode === 'simtrans' && !config.sqlServer) {
    throw new ConfigError('KERF_NESTING_MODE=simtrans needs KERF_SIMTRANS_URL or KERF_SIMTRANS_HOST');
  }
  if (mode === 'files' && (!config.outboxDir || !config.inboxDir)) {
    throw new ConfigError('KERF_NESTING_MODE=files needs KERF_NESTING_OUTBOX_DIR and KERF_NESTING_INBOX_DIR');
  }
  return config;
}

/** Delay before the next try after `attempts` rejections: base × 2^(attempts−1), capped at an hour. */
export function backoffMs(config: Pick<NestingConfig, 'backoffSeconds'>, attempts: number): number {
  return Math.min(config.backoffSeconds * 2 ** Math.max(0, attempts - 1), 3600) * 1000;
}
