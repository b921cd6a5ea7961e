/** Runtime configuration, read only from environment variables (12-factor). */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database is used */
  databaseUrl: string | undefined;
  /** initial admin password; when absent a random one is generated and printed once */
  adminPassword: string | undefined;
  /** load the demo shop into an empty database */
  demo: boolean;
  logLevel: LogLevel;
  /** login attempts allowed per client per minute */
  loginRateLimit: number;
  sessionHours: number;
  /** IANA time zone of the shop: shift times are wall-clock times there */
  timeZone: string;
  /** scheduled work starting this soon is not moved by a plan run */
  frozenWindowMinutes: number;
  /** shop-local hh:mm of the nightly plan run, or 'off' */
  nightlyAt: string;
  nightlySeconds: number;
  /** an attendance left open this long with no shift known is closed (KERF_ATTENDANCE_MAX_HOURS, floor/attendance-close.ts) */
  attendanceMaxHours: number;
  /** minutes after a shift's end before a forgotten clock-out is closed at that end (KERF_ATTENDANCE_GRACE_MINUTES) */
  attendanceGraceMinutes: number;
  /** plan runs solving at once in the shop (all instances); more wait in the queue (plan-run-service.ts) */
  planRunsMaxConcurrent: number;
  /** plan runs that may wait; beyond it a request gets 429 */
  planRunsMaxQueued: number;
  /** queued-or-running plan runs per user (or API key) */
  planRunsPerUser: number;
  /** the longest time limit a plan run may ask for */
  planRunMaxSeconds: number;
  /** machine data (docs/machines.md): external broker URL; when absent Kerf embeds a broker */
  mqttUrl: string | undefined;
  /** MQTT intake (broker and subscriber) on or off */
  mqttEnabled: boolean;
  mqttHost: string;
  mqttPort: number;
  /** KERF_MQTT_PORT was set: a taken port is then an error instead of a fallback */
  mqttPortExplicit: boolean;
  /** devices may publish to the embedded broker without credentials (demo only) */
  mqttAnonymous: boolean;
  /** machine status cache and cross-instance status events in Redis */
  redisUrl: string | undefined;
  /** days of raw machine history kept */
  machineRetentionDays: number;
  /** run the machine simulator for the demo machines (KERF_SIM; on by default for `npm start`) */
  sim: boolean;
  /** seconds between evaluations of the alarm rules' time thresholds; 0 turns the timer off */
  alarmTickSeconds: number;
  /** OPC UA client certificate and trust lists (KERF_OPCUA_PKI_DIR); default `<dataDir>/opcua-pki` */
  opcuaPkiDir: string | undefined;
  /** accept (and from then on trust) OPC UA server certificates not in the trust list; default off */
  opcuaTrustUnknownCerts: boolean;
  /** what this process runs (KERF_ROLES, comma list; default all): api, worker, ingest */
  roles: ReadonlySet<KerfRole>;
  /** Web Push (ADR 0025): a VAPID key pair from KERF_VAPID_PUBLIC_KEY/_PRIVATE_KEY; absent: the one in the database */
  vapidKeys: { publicKey: string; privateKey: string } | undefined;
  /** the contact push services see in the VAPID JWT (KERF_VAPID_SUBJECT, mailto: or https:) */
  vapidSubject: string;
  /** accept http:// push endpoints on 127.0.0.1/localhost (KERF_PUSH_ALLOW_LOOPBACK; tests only) */
  pushAllowLoopback: boolean;
}

export type KerfRole = 'api' | 'worker' | 'ingest';
export const KERF_ROLES: readonly KerfRole[] = ['api', 'worker', 'ingest'];

export class ConfigError extends Error {}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseBool(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  const v = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name}: expected true or false, got "${raw}"`);
}

function parseInt10(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name}: expected an integer between ${min} and ${max}, got "${raw}"`);
  }
  return n;
}

function parseNightly(raw: string | undefined): string {
  const v = raw?.trim() || '02:00';
  if (v === 'off' || /^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(v)) return v;
  throw new ConfigError(`KERF_NIGHTLY_AT: expected a shop-local time HH:MM or "off", got "${raw}"`);
}

function parseTimeZone(raw: string | undefined): string {
  const zone = raw?.trim() || 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new ConfigError(`KERF_TIMEZONE: unknown time zone "${zone}"; use an IANA name such as America/Chicago`);
  }
  return zone;
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  defaults: { demo: boolean } = { demo: false },
): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL: expected a postgres:// or postgresql:// connection string');
  }
  return {
    port: parseInt10('PORT', env.PORT, 8080, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: env.KERF_DATA_DIR?.trim() || './.kerf/data',
    databaseUrl,
    adminPassword: env.KERF_ADMIN_PASSWORD || undefined,
    demo: parseBool('KERF_DEMO', env.KERF_DEMO, defaults.demo),
    logLevel,
    loginRateLimit: parseInt10('KERF_LOGIN_RATE_LIMIT', env.KERF_LOGIN_RATE_LIMIT, 10, 1, 100000),
    sessionHours: parseInt10('KERF_SESSION_HOURS', env.KERF_SESSION_HOURS, 12, 1, 24 * 30),
    timeZone: parseTimeZone(env.KERF_TIMEZONE),
    nightlyAt: parseNightly(env.KERF_NIGHTLY_AT),
    nightlySeconds: parseInt10('KERF_NIGHTLY_SECONDS', env.KERF_NIGHTLY_SECONDS, 120, 1, 3600),
    attendanceMaxHours: parseInt10('KERF_ATTENDANCE_MAX_HOURS', env.KERF_ATTENDANCE_MAX_HOURS, 14, 1, 48),
    attendanceGraceMinutes: parseInt10('KERF_ATTENDANCE_GRACE_MINUTES', env.KERF_ATTENDANCE_GRACE_MINUTES, 30, 0, 720),
    frozenWindowMinutes: parseInt10('KERF_FROZEN_WINDOW_MINUTES', env.KERF_FROZEN_WINDOW_MINUTES, 240, 0, 10080),
    ...planRunConfig(env),
    ...machineConfig(env, defaults.demo),
    sim: parseBool('KERF_SIM', env.KERF_SIM, defaults.demo),
    alarmTickSeconds: parseInt10('KERF_ALARM_TICK_SECONDS', env.KERF_ALARM_TICK_SECONDS, 30, 0, 3600),
    opcuaPkiDir: env.KERF_OPCUA_PKI_DIR?.trim() || undefined,
    opcuaTrustUnknownCerts: parseBool('KERF_OPCUA_TRUST_UNKNOWN_CERTS', env.KERF_OPCUA_TRUST_UNKNOWN_CERTS, false),
    roles: parseRoles(env.KERF_ROLES),
    ...pushConfig(env),
  };
}

// A VAPID key pair is P-256: the public key a 65-byte uncompressed point, the private one 32 bytes.
function pushConfig(env: NodeJS.ProcessEnv) {
  const publicKey = env.KERF_VAPID_PUBLIC_KEY?.trim() || undefined;
  const privateKey = env.KERF_VAPID_PRIVATE_KEY?.trim() || undefined;
  if ((publicKey === undefined) !== (privateKey === undefined)) {
    throw new ConfigError('KERF_VAPID_PUBLIC_KEY and KERF_VAPID_PRIVATE_KEY: set both or neither');
  }
  const bytes = (raw: string) => (/^[A-Za-z0-9_-]+$/.test(raw) ? Buffer.from(raw, 'base64url').length : 0);
  if (publicKey !== undefined && bytes(publicKey) !== 65) {
    throw new ConfigError('KERF_VAPID_PUBLIC_KEY: expected base64url of a 65-byte P-256 public key');
  }
  if (privateKey !== undefined && bytes(privateKey) !== 32) {
    throw new ConfigError('KERF_VAPID_PRIVATE_KEY: expected base64url of a 32-byte P-256 private key');
  }
  const subject = env.KERF_VAPID_SUBJECT?.trim() || 'mailto:admin@localhost';
  if (!/^(mailto:\S+@\S+|https:\/\/\S+)$/.test(subject)) {
    throw new ConfigError(
      `KERF_VAPID_SUBJECT: expected mailto:someone@example.com or an https:// URL, got "${subject}"`,
    );
  }
  return {
    vapidKeys: publicKey && privateKey ? { publicKey, privateKey } : undefined,
    vapidSubject: subject,
    pushAllowLoopback: parseBool('KERF_PUSH_ALLOW_LOOPBACK', env.KERF_PUSH_ALLOW_LOOPBACK, false),
  };
}

function parseRoles(raw: string | undefined): ReadonlySet<KerfRole> {
  const names = (raw ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (names.length === 0) return new Set(KERF_ROLES);
  for (const name of names) {
    if (!(KERF_ROLES as readonly string[]).includes(name)) {
      throw new ConfigError(`KERF_ROLES: unknown role "${name}"; expected a comma list of ${KERF_ROLES.join(', ')}`);
    }
  }
  return new Set(names as KerfRole[]);
}

// Each plan run is a worker thread holding the whole problem: unbounded, they starve the API.
function planRunConfig(env: NodeJS.ProcessEnv) {
  const planRunMaxSeconds = parseInt10('KERF_PLAN_RUN_MAX_SECONDS', env.KERF_PLAN_RUN_MAX_SECONDS, 300, 1, 3600);
  const nightly = parseInt10('KERF_NIGHTLY_SECONDS', env.KERF_NIGHTLY_SECONDS, 120, 1, 3600);
  if (nightly > planRunMaxSeconds) {
    throw new ConfigError(
      `KERF_NIGHTLY_SECONDS: ${nightly} is more than KERF_PLAN_RUN_MAX_SECONDS (${planRunMaxSeconds}); lower it or raise the maximum`,
    );
  }
  return {
    planRunsMaxConcurrent: parseInt10('KERF_PLAN_RUNS_MAX_CONCURRENT', env.KERF_PLAN_RUNS_MAX_CONCURRENT, 1, 1, 64),
    planRunsMaxQueued: parseInt10('KERF_PLAN_RUNS_MAX_QUEUED', env.KERF_PLAN_RUNS_MAX_QUEUED, 10, 0, 1000),
    planRunsPerUser: parseInt10('KERF_PLAN_RUNS_PER_USER', env.KERF_PLAN_RUNS_PER_USER, 1, 1, 100),
    planRunMaxSeconds,
  };
}

function parseUrl(name: string, raw: string | undefined, schemes: RegExp, example: string): string | undefined {
  const v = raw?.trim();
  if (!v) return undefined;
  if (!schemes.test(v)) throw new ConfigError(`${name}: expected a URL like ${example}, got "${raw}"`);
  return v;
}

// MQTT is on by default where the demo is (npm start), off for tests and the CLI.
function machineConfig(env: NodeJS.ProcessEnv, mqttByDefault: boolean) {
  return {
    mqttUrl: parseUrl('MQTT_URL', env.MQTT_URL, /^(mqtts?|tcp|tls|wss?):\/\//, 'mqtt://127.0.0.1:1883'),
    mqttEnabled: parseBool('KERF_MQTT', env.KERF_MQTT, mqttByDefault),
    mqttHost: env.KERF_MQTT_HOST?.trim() || '127.0.0.1',
    mqttPort: parseInt10('KERF_MQTT_PORT', env.KERF_MQTT_PORT, 1883, 0, 65535),
    mqttPortExplicit: (env.KERF_MQTT_PORT?.trim() ?? '') !== '',
    mqttAnonymous: parseBool('KERF_MQTT_ANONYMOUS', env.KERF_MQTT_ANONYMOUS, false),
    redisUrl: parseUrl('REDIS_URL', env.REDIS_URL, /^rediss?:\/\//, 'redis://127.0.0.1:6379'),
    machineRetentionDays: parseInt10('KERF_MACHINE_RETENTION_DAYS', env.KERF_MACHINE_RETENTION_DAYS, 90, 1, 3650),
  };
}
