import { randomBytes } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Actor } from '../../auth/actor.js';
import { recordAudit } from '../../auth/audit.js';
import { hashPassword } from '../../auth/password.js';
import type { Db } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { translatePgError } from '../../platform/pg-errors.js';
import { findMachine } from '../machine-service.js';
import { machines } from '../tables.js';
import { mqttDevices } from './device-table.js';
import { isUuid } from '../../platform/uuid.js';

/** What the API, the CLI and the audit log show of a device: never its password or hash. */
export interface DeviceView {
  id: string;
  username: string;
  allowedTopics: string[];
  machineId: string | null;
  machineCode: string | null;
  enabled: boolean;
  version: number;
  rotatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewDevice {
  username: string;
  allowedTopics?: string[];
  /** machine UUID or code: without allowedTopics the device gets that machine's topics */
  machineId?: string;
}

const USERNAME = /^[A-Za-z0-9._:-]{1,100}$/;
const ROOTS = ['shopfloor/', 'spBv1.0/'];

/** 32 characters of base64url: 192 random bits, shown once. */
const newPassword = () => randomBytes(24).toString('base64url');

/**
 * Topic prefixes a device may be granted: under the roots Kerf ingests, without wildcards, and
 * ending in "/" so that `shopfloor/weld` cannot also cover `shopfloor/welding/...`.
 */
export function checkGrants(topics: readonly string[], field = 'allowedTopics'): void {
  if (topics.length === 0) throw invalid(field, 'give at least one topic prefix, e.g. "shopfloor/weld/WELD-01/"');
  if (topics.length > 50) throw invalid(field, 'at most 50 topic prefixes');
  topics.forEach((t, i) => {
    const where = `${field}[${i}]`;
    if (typeof t !== 'string' || t.length > 200) throw invalid(where, 'a topic prefix of at most 200 characters');
    if (/[+#]/.test(t) || t.includes('\u0000'))
      throw invalid(where, `"${t}" has a wildcard; give a plain prefix such as "shopfloor/weld/"`);
    if (!ROOTS.some((r) => t.startsWith(r))) {
      throw invalid(where, `"${t}" is outside what Kerf reads; start it with shopfloor/ or spBv1.0/`);
    }
    if (!t.endsWith('/')) throw invalid(where, `"${t}" must end with "/" (e.g. "${t}/")`);
  });
}

/** The prefixes a machine's own device needs: its shopfloor topics, or its Sparkplug group. */
export function machineGrants(m: {
  code: string;
  departmentId: string;
  protocol: string;
  connection: Record<string, unknown>;
}): string[] {
  if (m.protocol === 'sparkplug') {
    const group =
      typeof m.connection.groupId === 'string' && m.connection.groupId ? m.connection.groupId : m.departmentId;
    return [`spBv1.0/${group}/`];
  }
  // MTConnect and OPC UA machines publish through an edge gateway, under the same topics.
  return [`shopfloor/${m.departmentId}/${m.code}/`];
}

const visible = {
  id: mqttDevices.id,
  username: mqttDevices.username,
  allowedTopics: mqttDevices.allowedTopics,
  machineId: mqttDevices.machineId,
  machineCode: machines.code,
  enabled: mqttDevices.enabled,
  version: mqttDevices.version,
  rotatedAt: mqttDevices.rotatedAt,
  createdAt: mqttDevices.createdAt,
  updatedAt: mqttDevices.updatedAt,
};

type Row = { [K in keyof typeof visible]: unknown };

function view(r: Row): DeviceView {
  const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : d === null ? null : String(d));
  return {
    id: r.id as string,
    username: r.username as string,
    allowedTopics: r.allowedTopics as string[],
    machineId: (r.machineId as string | null) ?? null,
    machineCode: (r.machineCode as string | null) ?? null,
    enabled: r.enabled as boolean,
    version: r.version as number,
    rotatedAt: iso(r.rotatedAt),
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  };
}

async function readDevice(db: Db, where: ReturnType<typeof eq>): Promise<DeviceView | undefined> {
  const rows = await db
    .select(visible)
    .from(mqttDevices)
    .leftJoin(machines, eq(machines.id, mqttDevices.machineId))
    .where(where)
    .limit(1);
  return rows[0] ? view(rows[0]) : undefined;
}

/** A device by its UUID or its user name (the API and the CLI accept either). */
export async function findDevice(db: Db, idOrUsername: string): Promise<DeviceView> {
  const where = isUuid(idOrUsername) ? eq(mqttDevices.id, idOrUsername) : eq(mqttDevices.username, idOrUsername);
  const found = await readDevice(db, where);
  if (!found) throw notFound('mqtt device', idOrUsername);
  return found;
}

export async function listDevices(db: Db): Promise<DeviceView[]> {
  const rows = await db
    .select(visible)
    .from(mqttDevices)
    .leftJoin(machines, eq(machines.id, mqttDevices.machineId))
    .orderBy(asc(mqttDevices.username));
  return rows.map(view);
}

/** Creates a device with a generated password, returned here once; only its hash is kept. */
export async function createDevice(
  db: Db,
  actor: Actor,
  input: NewDevice,
): Promise<{ device: DeviceView; password: string }> {
  if (!USERNAME.test(input.username)) {
    throw invalid('username', 'use 1-100 letters, digits and . _ : - (it is the MQTT user name)');
  }
  let machineId: string | null = null;
  let topics = input.allowedTopics;
  if (input.machineId !== undefined) {
    const machine = await findMachine(db, input.machineId).catch((err: unknown) => {
      if (err instanceof AppError && err.kind === 'not_found')
        throw invalid('machineId', `no machine ${input.machineId}`);
      throw err;
    });
    machineId = machine.id;
    topics ??= machineGrants(machine);
  }
  if (topics === undefined) {
    throw invalid('allowedTopics', 'give the topic prefixes the device may publish under, or a machineId');
  }
  checkGrants(topics);
  const password = newPassword();
  const passwordHash = await hashPassword(password);
  try {
    const device = await db.transaction(async (tx) => {
      await tx.insert(mqttDevices).values({ username: input.username, passwordHash, allowedTopics: topics, machineId });
      const row = (await readDevice(tx, eq(mqttDevices.username, input.username)))!;
      await recordAudit(tx, actor, 'create', 'mqtt_device', row.id, null, row);
      return row;
    });
    return { device, password };
  } catch (err) {
    throw translatePgError(err, 'write');
  }
}

/** Replaces a device's password; the new one is returned once. Callers close its connections. */
export async function rotateDevice(
  db: Db,
  actor: Actor,
  idOrUsername: string,
): Promise<{ device: DeviceView; password: string }> {
  const before = await findDevice(db, idOrUsername);
  const password = newPassword();
  const passwordHash = await hashPassword(password);
  const device = await db.transaction(async (tx) => {
    const now = new Date();
    const changed = await tx
      .update(mqttDevices)
      .set({ passwordHash, rotatedAt: now, updatedAt: now, version: before.version + 1 })
      .where(eq(mqttDevices.id, before.id))
      .returning({ id: mqttDevices.id });
    if (changed.length === 0) throw notFound('mqtt device', idOrUsername);
    const row = (await readDevice(tx, eq(mqttDevices.id, before.id)))!;
    await recordAudit(
      tx,
      actor,
      'update',
      'mqtt_device',
      row.id,
      { version: before.version },
      {
        version: row.version,
        rotatedAt: row.rotatedAt,
      },
    );
    return row;
  });
  return { device, password };
}

/** Removes a device's credential. Callers close its live connections. */
export async function revokeDevice(db: Db, actor: Actor, idOrUsername: string): Promise<DeviceView> {
  return db.transaction(async (tx) => {
    const where = isUuid(idOrUsername) ? eq(mqttDevices.id, idOrUsername) : eq(mqttDevices.username, idOrUsername);
    const before = await readDevice(tx, where);
    if (!before) throw notFound('mqtt device', idOrUsername);
    await tx.delete(mqttDevices).where(eq(mqttDevices.id, before.id));
    await recordAudit(tx, actor, 'delete', 'mqtt_device', before.id, before, null);
    return before;
  });
}
