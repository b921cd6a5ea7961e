import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';
import { seedMiniShop } from '../test/fixtures.js';
import { mergeConnection, redactConnection, SECRET_MARKER } from './connection-secrets.js';

const PASSWORD = 'opc-pa55-!never-shown';
const TOKEN = 'tok-3f9a-never-shown';

let t: TestApp;

beforeAll(async () => {
  t = await testApp();
  await seedMiniShop(t.app, t.tokens.admin);
});
afterAll(async () => t?.close());

const connection = {
  endpointUrl: 'opc.tcp://10.0.4.21:4840',
  namespaceUri: 'http://vendor.example/UA/Punch/',
  identity: { type: 'username', userName: 'mes', password: PASSWORD },
  apiToken: TOKEN,
};

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: object) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

/** Reads the stored row directly: what the connector gets. */
const stored = async (code: string) =>
  (
    await t.database.query<{ connection: Record<string, unknown> }>('SELECT connection FROM machines WHERE code = $1', [
      code,
    ])
  )[0]!.connection;

describe('machine connection secrets are write-only', () => {
  it('no GET shows the secret, whatever the role; the row keeps it for the connector', async () => {
    const created = await call('POST', '/api/v1/machines', t.tokens.production_manager, {
      code: 'PUNCH-07',
      name: 'Punch 7',
      departmentId: 'laser',
      protocol: 'opcua',
      connection,
    });
    expect(created.statusCode).toBe(201);
    expect(created.body).not.toContain(PASSWORD);
    expect(created.json().connection).toEqual({
      ...connection,
      identity: { ...connection.identity, password: SECRET_MARKER },
      apiToken: SECRET_MARKER,
    });
    for (const role of ['operator', 'supervisor', 'production_manager', 'admin'] as const) {
      for (const url of ['/api/v1/machines', '/api/v1/machines/PUNCH-07']) {
        const res = await call('GET', url, t.tokens[role]);
        expect(res.statusCode).toBe(200);
        expect(res.body, `${role} ${url}`).not.toContain(PASSWORD);
        expect(res.body, `${role} ${url}`).not.toContain(TOKEN);
        expect(res.body).toContain(SECRET_MARKER);
      }
    }
    expect(await stored('PUNCH-07')).toEqual(connection);
  });

  it('a PATCH that omits the secret or sends the marker keeps it; a new one replaces it; null or another identity type removes it', async () => {
    let version = 1;
    const patch = async (body: object) => {
      const res = await call('PATCH', '/api/v1/machines/PUNCH-07', t.tokens.admin, { ...body, version });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).not.toContain(PASSWORD);
      version = (res.json() as { version: number }).version;
      return res.json() as { connection: Record<string, unknown> };
    };
    // The form round trip: what a GET showed goes back with one field changed.
    const shown = (await call('GET', '/api/v1/machines/PUNCH-07', t.tokens.admin)).json().connection;
    await patch({ connection: { ...shown, endpointUrl: 'opc.tcp://10.0.4.22:4840' } });
    expect(await stored('PUNCH-07')).toEqual({ ...connection, endpointUrl: 'opc.tcp://10.0.4.22:4840' });

    await patch({
      connection: { endpointUrl: 'opc.tcp://10.0.4.23:4840', identity: { type: 'username', userName: 'mes' } },
    });
    expect(await stored('PUNCH-07')).toEqual({
      ...connection,
      endpointUrl: 'opc.tcp://10.0.4.23:4840',
      namespaceUri: undefined,
    });

    await patch({ name: 'Punch seven' });
    expect((await stored('PUNCH-07')).identity).toEqual(connection.identity);

    await patch({ connection: { ...shown, identity: { type: 'username', userName: 'mes', password: 'rotated-1' } } });
    expect((await stored('PUNCH-07')).identity).toEqual({ type: 'username', userName: 'mes', password: 'rotated-1' });

    const cleared = await patch({ connection: { ...shown, identity: { type: 'anonymous' }, apiToken: null } });
    expect(cleared.connection).toMatchObject({ identity: { type: 'anonymous' }, apiToken: null });
    expect(JSON.stringify(await stored('PUNCH-07'))).not.toContain('rotated-1');
    expect(JSON.stringify(await stored('PUNCH-07'))).not.toContain(TOKEN);
  });

  it('the marker with no stored secret behind it is a 400 naming the field', async () => {
    const res = await call('POST', '/api/v1/machines', t.tokens.admin, {
      code: 'PUNCH-08',
      name: 'Punch 8',
      departmentId: 'laser',
      protocol: 'opcua',
      connection: { ...connection, identity: { type: 'username', userName: 'mes', password: SECRET_MARKER } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'connection.identity.password' });
    expect(await t.database.query("SELECT 1 FROM machines WHERE code = 'PUNCH-08'")).toEqual([]);
  });

  it('OPC UA security settings the client does not know are a 400 naming the field', async () => {
    const post = (conn: object) =>
      call('POST', '/api/v1/machines', t.tokens.admin, {
        code: 'PUNCH-09',
        name: 'Punch 9',
        departmentId: 'laser',
        protocol: 'opcua',
        connection: { endpointUrl: 'opc.tcp://10.0.4.29:4840', ...conn },
      });
    expect((await post({ securityMode: 'encrypted' })).json()).toMatchObject({ field: 'connection.securityMode' });
    expect((await post({ securityMode: 'None', securityPolicy: 'Basic256Sha256' })).json()).toMatchObject({
      field: 'connection.securityPolicy',
    });
    expect((await post({ securityPolicy: 'None' })).json()).toMatchObject({ field: 'connection.securityPolicy' });
  });

  it('audit rows of machine changes never hold a secret', async () => {
    const rows = await t.database.query<{ before: unknown; after: unknown }>(
      "SELECT before, after FROM audit_log WHERE entity = 'machine'",
    );
    expect(rows.length).toBeGreaterThanOrEqual(6);
    const text = JSON.stringify(rows);
    for (const secret of [PASSWORD, TOKEN, 'rotated-1']) expect(text).not.toContain(secret);
    expect(text).toContain(SECRET_MARKER);
    const api = await call('GET', '/api/v1/audit-log?limit=500', t.tokens.admin);
    expect(api.statusCode).toBe(200);
    expect(api.body).not.toContain(PASSWORD);
  });
});

describe('redactConnection / mergeConnection', () => {
  it('redacts secret-named fields at any depth, not file paths or empty values', () => {
    expect(
      redactConnection({
        password: 'a',
        clientSecret: 'b',
        nested: [{ accessToken: 'c', privateKey: 'd', privateKeyFile: '/etc/kerf/key.pem' }],
        passphrase: '',
        token: null,
        url: 'x',
      }),
    ).toEqual({
      password: SECRET_MARKER,
      clientSecret: SECRET_MARKER,
      nested: [{ accessToken: SECRET_MARKER, privateKey: SECRET_MARKER, privateKeyFile: '/etc/kerf/key.pem' }],
      passphrase: '',
      token: null,
      url: 'x',
    });
  });

  it('keeps a stored secret only where the incoming object leaves it out or sends the marker', () => {
    const before = { password: 'p', identity: { password: 'q', userName: 'u' }, token: 't' };
    expect(mergeConnection(before, { identity: { userName: 'v', password: SECRET_MARKER } })).toEqual({
      identity: { userName: 'v', password: 'q' },
      password: 'p',
      token: 't',
    });
    expect(mergeConnection(before, { password: null, identity: { userName: 'w' } })).toEqual({
      password: null,
      identity: { userName: 'w', password: 'q' },
      token: 't',
    });
    // Another kind of identity does not inherit the old one's password.
    const typed = { identity: { type: 'username', userName: 'u', password: 'q' } };
    expect(mergeConnection(typed, { identity: { type: 'anonymous' } })).toEqual({ identity: { type: 'anonymous' } });
    expect(mergeConnection(typed, { identity: { type: 'username', userName: 'v' } })).toEqual({
      identity: { type: 'username', userName: 'v', password: 'q' },
    });
  });
});
