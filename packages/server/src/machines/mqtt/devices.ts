import { createHash } from 'node:crypto';
import { hashPassword, verifyPassword, verifyPasswordOrSpend } from '../../auth/password.js';
import type { Database } from '../../platform/db.js';
import { invalid } from '../../platform/errors.js';

export interface MqttDevice {
  username: string;
  allowedTopics: string[];
  machineId: string | null;
  enabled: boolean;
}

export interface DeviceInput {
  username: string;
  password: string;
  /** topic prefixes the device may publish and subscribe under, e.g. "shopfloor/weld/WELD-01/" */
  allowedTopics?: string[];
  /** a machine's id: without allowedTopics the device gets that machine's shopfloor prefix */
  machineId?: string;
}

/** Adds or replaces a device credential for the embedded broker. */
export async function saveDevice(database: Database, input: DeviceInput): Promise<MqttDevice> {
  if (!/^[A-Za-z0-9._:-]{1,100}$/.test(input.username)) throw invalid('username', 'use 1-100 letters, digits, . _ : -');
  if (input.password.length < 8) throw invalid('password', 'must have at least 8 characters');
  let topics = input.allowedTopics ?? [];
  if (topics.length === 0 && input.machineId) {
    const rows = await database.query<{ code: string; department_id: string }>(
      'SELECT code, department_id FROM machines WHERE id = $1',
      [input.machineId],
    );
    const m = rows[0];
    if (!m) throw invalid('machineId', 'no such machine');
    topics = [`shopfloor/${m.department_id}/${m.code}/`];
  }
  topics.forEach((t, i) => {
    if (t === '' || /[+#]/.test(t)) throw invalid(`allowedTopics[${i}]`, 'a topic prefix without wildcards');
  });
  const hash = await hashPassword(input.password);
  await database.query(
    `INSERT INTO mqtt_devices (username, password_hash, allowed_topics, machine_id)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash,
       allowed_topics = excluded.allowed_topics, machine_id = excluded.machine_id,
       version = mqtt_devices.version + 1, updated_at = now()`,
    [input.username, hash, topics, input.machineId ?? null],
  );
  return { username: input.username, allowedTopics: topics, machineId: input.machineId ?? null, enabled: true };
}

/** A device that logged in, with what the broker re-checks later (revocation, rotation). */
export interface AuthenticatedDevice extends MqttDevice {
  /** row version at login: a rotation or an edit of the grants raises it */
  version: number;
}

const CACHE_MS = 60_000;

/**
 * Checks device credentials. scrypt costs ~100 ms, so a verified (username, password) is
 * remembered for a minute: a reconnect storm after a network cut stays cheap. An unknown or
 * disabled user name costs one scrypt too (against a throw-away hash), so the answer's timing
 * does not tell which user names exist.
 */
export class DeviceAuthenticator {
  private readonly verified = new Map<string, { username: string; hash: string; at: number }>();

  constructor(private readonly database: Database) {}

  async authenticate(username: string, password: string): Promise<AuthenticatedDevice | null> {
    const rows = await this.database.query<{
      username: string;
      password_hash: string;
      allowed_topics: string[];
      machine_id: string | null;
      enabled: boolean;
      version: number;
    }>(
      'SELECT username, password_hash, allowed_topics, machine_id, enabled, version FROM mqtt_devices WHERE username = $1',
      [username],
    );
    const row = rows[0];
    if (!row || !row.enabled) {
      await this.burn(password);
      return null;
    }
    const device = {
      username: row.username,
      allowedTopics: row.allowed_topics,
      machineId: row.machine_id,
      enabled: row.enabled,
      version: row.version,
    };
    // Keyed by a digest so no password sits in memory in clear.
    const key = createHash('sha256').update(`${username}\u0000${password}`).digest('base64');
    const hit = this.verified.get(key);
    if (hit && hit.hash === row.password_hash && Date.now() - hit.at < CACHE_MS) return device;
    if (!(await verifyPassword(password, row.password_hash))) return null;
    this.remember(key, { username, hash: row.password_hash, at: Date.now() });
    return device;
  }

  /** Spends what a wrong password for a known user costs, for a login that fails otherwise. */
  async burn(password: string): Promise<void> {
    await verifyPasswordOrSpend(password, undefined);
  }

  /** Drops a device's remembered logins (revoked or rotated: the next login checks the database). */
  forget(username: string): void {
    for (const [key, entry] of this.verified) if (entry.username === username) this.verified.delete(key);
  }

  private remember(key: string, entry: { username: string; hash: string; at: number }): void {
    if (this.verified.size >= 10_000) {
      for (const [k, e] of this.verified) if (entry.at - e.at >= CACHE_MS) this.verified.delete(k);
    }
    this.verified.set(key, entry);
  }
}

/** A topic (or subscription filter) is allowed when it lies under one of the prefixes. */
export function topicAllowed(topic: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => topic.startsWith(p) && !/[+#]/.test(topic.slice(0, p.length)));
}
