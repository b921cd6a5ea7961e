import { encodeShopfloorMessage, type MachineEvent } from '@kerf/connectors';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../../test/harness.js';
import { brokerTestApp, connectDevice, waitFor, type BrokerTestApp } from './broker-test-app.js';

let t: BrokerTestApp;
beforeAll(async () => {
  t = await brokerTestApp();
});
afterAll(async () => t?.close());

interface Created {
  id: string;
  username: string;
  password: string;
  allowedTopics: string[];
  machineCode: string | null;
  mqttUrl: string | null;
}

const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, token = t.tokens.admin) =>
  payload === undefined
    ? t.app.inject({ method, url, headers: bearer(token) })
    : t.app.inject({ method, url, headers: bearer(token), payload });

async function create(body: Record<string, unknown>): Promise<Created> {
  const res = await api('POST', '/api/v1/mqtt-devices', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Created>();
}

let seq = 0;
const stateMessage = (code: string, dept: string, value: string) => {
  const event: MachineEvent = {
    machineId: code,
    timestamp: new Date(Date.UTC(2026, 10, 20, 8) + ++seq * 1000).toISOString(),
    source: 'device-api-test',
    sequence: seq,
    kind: 'state',
    metric: 'state',
    value,
  };
  return encodeShopfloorMessage(event, dept);
};

/** Resolves when the broker closes the client's connection. */
const closed = (client: MqttClient) => new Promise<void>((resolve) => client.once('close', () => resolve()));

describe('POST/GET /api/v1/mqtt-devices', () => {
  it('creates a device and shows its generated password once, never its hash', async () => {
    const d = await create({ username: 'press-gw-1', allowedTopics: ['shopfloor/weld/WELD-01/'] });
    expect(d.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.password.length).toBeGreaterThanOrEqual(32);
    expect(d.mqttUrl).toBe(t.url);
    const list = await api('GET', '/api/v1/mqtt-devices');
    expect(list.statusCode).toBe(200);
    const item = list.json<{ items: Record<string, unknown>[] }>().items.find((i) => i.username === 'press-gw-1')!;
    expect(item).toMatchObject({ id: d.id, allowedTopics: ['shopfloor/weld/WELD-01/'], enabled: true });
    expect(Object.keys(item)).not.toContain('password');
    expect(list.body).not.toContain(d.password);
    expect(list.body).not.toContain('scrypt$');
    const audit = await t.database.query<{ row: string }>(
      "SELECT row_to_json(a)::text AS row FROM audit_log a WHERE entity = 'mqtt_device' AND entity_id = $1",
      [d.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.row).not.toContain(d.password);
    expect(audit[0]!.row).not.toContain('scrypt$');
  });

  it("gives a device made for a machine that machine's topics", async () => {
    const d = await create({ username: 'laser-01-gw', machineId: 'LASER-01' });
    expect(d.allowedTopics).toEqual(['shopfloor/laser/LASER-01/']);
    expect(d.machineCode).toBe('LASER-01');
  });

  it.each([
    [{ username: 'x-1' }, 'allowedTopics'],
    [{ username: 'x-1', allowedTopics: [] }, 'allowedTopics'],
    [{ username: 'x-1', allowedTopics: ['shopfloor/weld/#'] }, 'allowedTopics[0]'],
    [{ username: 'x-1', allowedTopics: ['shopfloor/weld/', 'shopfloor/weld'] }, 'allowedTopics[1]'],
    [{ username: 'x-1', allowedTopics: ['factory/weld/'] }, 'allowedTopics[0]'],
    [{ username: 'x-1', machineId: 'NO-SUCH-MACHINE' }, 'machineId'],
    [{ username: 'has space', allowedTopics: ['shopfloor/weld/'] }, 'username'],
    [{ username: 'x-1', allowedTopics: ['shopfloor/weld/'], password: 'mine' }, 'password'],
  ])('refuses %j naming %s', async (body, field) => {
    const res = await api('POST', '/api/v1/mqtt-devices', body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json<{ field?: string; message: string }>().field ?? res.json<{ message: string }>().message).toContain(
      field,
    );
  });

  it('refuses a second device with the same user name (409)', async () => {
    await create({ username: 'dup-1', allowedTopics: ['shopfloor/weld/'] });
    const res = await api('POST', '/api/v1/mqtt-devices', { username: 'dup-1', allowedTopics: ['shopfloor/weld/'] });
    expect(res.statusCode).toBe(409);
  });

  it('needs machine:config: a supervisor and an operator are refused', async () => {
    for (const role of ['supervisor', 'operator'] as const) {
      expect((await api('GET', '/api/v1/mqtt-devices', undefined, t.tokens[role])).statusCode).toBe(403);
      const res = await api(
        'POST',
        '/api/v1/mqtt-devices',
        { username: `r-${role}`, allowedTopics: ['shopfloor/'] },
        t.tokens[role],
      );
      expect(res.statusCode).toBe(403);
    }
    expect((await api('GET', '/api/v1/mqtt-devices', undefined, t.tokens.production_manager)).statusCode).toBe(200);
  });
});

describe('a device created through the API over MQTT', () => {
  it('publishes to its own topics and is refused elsewhere', async () => {
    const d = await create({ username: 'weld-01-gw', machineId: 'WELD-01' });
    const client = await connectDevice(t.url, d.username, d.password);
    const stored = t.machines.ingest.counters.stored;
    const own = stateMessage('WELD-01', 'weld', 'running');
    await client.publishAsync(own.topic, own.payload, { qos: 1 });
    await waitFor(() => t.machines.ingest.counters.stored > stored, 10_000, 'its own message stored');
    const refused = t.broker.counters.refusedPublishes;
    const other = stateMessage('LASER-01', 'laser', 'alarm');
    client.publish(other.topic, other.payload, { qos: 1 });
    await waitFor(() => t.broker.counters.refusedPublishes > refused, 5_000, 'the foreign publish refused');
    client.end(true);
  });

  it('is refused at once when revoked: its live connection is closed and it cannot log in again', async () => {
    const d = await create({ username: 'revoke-me', allowedTopics: ['shopfloor/weld/'] });
    const client = await connectDevice(t.url, d.username, d.password);
    const gone = closed(client);
    const started = Date.now();
    expect((await api('DELETE', `/api/v1/mqtt-devices/${d.id}`)).statusCode).toBe(204);
    await gone;
    // Well inside the 5 s recheck: the route closed it, not the periodic sweep.
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(connectDevice(t.url, d.username, d.password)).rejects.toThrow();
    expect((await api('DELETE', `/api/v1/mqtt-devices/${d.id}`)).statusCode).toBe(404);
    const list = await api('GET', '/api/v1/mqtt-devices');
    expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(d.id);
  });

  it('rotation returns a new password once, closes connections made with the old one and refuses it', async () => {
    const d = await create({ username: 'rotate-me', allowedTopics: ['shopfloor/weld/'] });
    const client = await connectDevice(t.url, d.username, d.password);
    client.end(true);
    // The verified login is now remembered; rotation must not let it be reused.
    const live = await connectDevice(t.url, d.username, d.password);
    const gone = closed(live);
    const res = await api('POST', `/api/v1/mqtt-devices/${d.username}/rotate`);
    expect(res.statusCode, res.body).toBe(200);
    const rotated = res.json<Created & { rotatedAt: string }>();
    expect(rotated.password).not.toBe(d.password);
    expect(rotated.rotatedAt).not.toBeNull();
    await gone;
    await expect(connectDevice(t.url, d.username, d.password)).rejects.toThrow();
    const fresh = await connectDevice(t.url, d.username, rotated.password);
    fresh.end(true);
    const audit = await t.database.query<{ row: string }>(
      "SELECT row_to_json(a)::text AS row FROM audit_log a WHERE entity = 'mqtt_device' AND entity_id = $1",
      [d.id],
    );
    expect(audit.map((a) => a.row).join('')).not.toContain(rotated.password);
  });

  it('a device revoked elsewhere (CLI, another instance) loses its connection at the next recheck', async () => {
    const d = await create({ username: 'revoked-by-cli', allowedTopics: ['shopfloor/weld/'] });
    const client = await connectDevice(t.url, d.username, d.password);
    const gone = closed(client);
    await t.database.query('DELETE FROM mqtt_devices WHERE id = $1', [d.id]);
    expect(await t.broker.recheckDevices()).toBe(1);
    await gone;
  });
});
