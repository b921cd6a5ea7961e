import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpcUaMachineServer, SIM_SHOP_NAMESPACE_URI } from '@kerf/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../../test/harness.js';
import { seedMiniShop } from '../../test/fixtures.js';
import { SECRET_MARKER } from '../connection-secrets.js';
import { connectorFactories, opcUaOptions, type OpcUaConnectorSettings } from './client-factories.js';
import { createConnectorManager, type ConnectorManager } from './connector-manager.js';

const PASSWORD = 'punch-line-7f3e';
const dir = mkdtempSync(join(tmpdir(), 'kerf-opcua-connector-'));
let t: TestApp;
let server: OpcUaMachineServer;
let endpointUrl = '';
const managers: ConnectorManager[] = [];

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A connector manager as `npm start` runs it, with this Kerf's OPC UA settings. */
async function manager(settings: Partial<OpcUaConnectorSettings> = {}): Promise<ConnectorManager> {
  const m = createConnectorManager({
    db: t.database.db,
    submit: (events) => t.machines.ingest.push(events),
    factories: connectorFactories({
      pkiDir: join(dir, `kerf-${managers.length}`),
      trustUnknownServerCertificates: false,
      ...settings,
    }),
    refreshMs: 0,
  });
  managers.push(m);
  await m.refresh();
  return m;
}

const stateOf = async (code: string) =>
  (
    await t.database.query<{ state: string }>(
      'SELECT s.state FROM machine_status s JOIN machines m ON m.id = s.machine_id WHERE m.code = $1',
      [code],
    )
  )[0]?.state;

beforeAll(async () => {
  t = await testApp();
  await seedMiniShop(t.app, t.tokens.admin);
  server = new OpcUaMachineServer({
    machines: [{ machineId: 'LASER-01', name: 'Fiber laser 1' }],
    users: [{ userName: 'mes', password: PASSWORD }],
    allowAnonymous: false,
    pkiDir: join(dir, 'server'),
  });
  ({ endpointUrl } = await server.start());
  // Registered the way an admin does it: endpoint and login, no security settings.
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/machines',
    headers: bearer(t.tokens.admin),
    payload: {
      code: 'LASER-01',
      name: 'Fiber laser 1',
      departmentId: 'laser',
      workCenterId: 'LASER-01',
      protocol: 'opcua',
      connection: {
        endpointUrl,
        namespaceUri: SIM_SHOP_NAMESPACE_URI,
        identity: { type: 'username', userName: 'mes', password: PASSWORD },
      },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
}, 60_000);

afterAll(async () => {
  for (const m of managers) await m.stop();
  await server?.dispose();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('OPC UA connectors: secure by default, with the real secret', () => {
  it('a machine without security settings asks for SignAndEncrypt; the connection cannot pick the PKI folder', () => {
    const settings = { pkiDir: '/var/lib/kerf/opcua-pki', trustUnknownServerCertificates: false };
    const machine = (connection: Record<string, unknown>) => ({
      id: 'x',
      code: 'M',
      protocol: 'opcua',
      connection: { endpointUrl, namespaceUri: SIM_SHOP_NAMESPACE_URI, ...connection },
    });
    const options = opcUaOptions(machine({ pkiDir: '/tmp/elsewhere', trustUnknownServerCertificate: true }), settings);
    expect(options).toMatchObject({ pkiDir: '/var/lib/kerf/opcua-pki', trustUnknownServerCertificate: false });
    expect(options.securityMode).toBeUndefined(); // the client's default: SignAndEncrypt / Basic256Sha256
    expect(opcUaOptions(machine({ securityMode: 'None', securityPolicy: 'None' }), settings)).toMatchObject({
      securityMode: 'None',
      securityPolicy: 'None',
    });
    expect(() => opcUaOptions(machine({ securityMode: 'none' }), settings)).toThrow(
      /connection\.securityMode must be one of None, Sign, SignAndEncrypt/,
    );
  });

  it('refuses the unknown server by default and says how to trust it; no data arrives', async () => {
    const m = await manager();
    const status = await until('the refusal', () => m.status().find((s) => s.lastError));
    expect(status.lastError).toMatch(/certificate is not trusted/);
    expect(status.lastError).toContain(join(dir, 'kerf-0', 'trusted', 'certs'));
    expect(status.lastError).toContain('KERF_OPCUA_TRUST_UNKNOWN_CERTS=1');
    expect(status.lastError).not.toContain(PASSWORD);
    expect(status.connected).toBe(false);
    expect(await stateOf('LASER-01')).toBeUndefined();
    await m.stop();
  }, 30_000);

  it('with the server certificate trusted it connects over SignAndEncrypt with the stored password', async () => {
    const pkiDir = join(dir, 'kerf-trusting');
    mkdirSync(join(pkiDir, 'trusted', 'certs'), { recursive: true });
    copyFileSync(join(dir, 'server', 'own', 'certs', 'certificate.pem'), join(pkiDir, 'trusted', 'certs', 'laser.pem'));
    const m = await manager({ pkiDir });
    server.setState('LASER-01', 'running');
    await until('LASER-01 running', async () => ((await stateOf('LASER-01')) === 'running' ? true : undefined));
    expect(m.status()[0]).toMatchObject({ code: 'LASER-01', connected: true, lastError: null });
    // The connector had the password; nobody reading the machine does.
    const shown = await t.app.inject({
      method: 'GET',
      url: '/api/v1/machines/LASER-01',
      headers: bearer(t.tokens.operator),
    });
    expect(shown.json().connection.identity).toEqual({ type: 'username', userName: 'mes', password: SECRET_MARKER });
    expect(shown.body).not.toContain(PASSWORD);
    await m.stop();
  }, 30_000);

  it('KERF_OPCUA_TRUST_UNKNOWN_CERTS accepts the unknown server', async () => {
    const m = await manager({ trustUnknownServerCertificates: true });
    server.setState('LASER-01', 'idle');
    await until('LASER-01 idle', async () => ((await stateOf('LASER-01')) === 'idle' ? true : undefined));
    expect(m.status()[0]).toMatchObject({ connected: true, lastError: null });
  }, 30_000);
});
