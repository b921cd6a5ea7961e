import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineToolMapping, OpcUaMachineClient, OpcUaSecurityError } from '@kerf/connectors';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OpcUaMachineServer, SIM_SHOP_NAMESPACE_URI } from './opcua-machine-server.js';

// Channel security with the client's defaults: SignAndEncrypt/Basic256Sha256 and only trusted server certificates.
const dir = mkdtempSync(join(tmpdir(), 'kerf-opcua-security-'));
const serverPki = join(dir, 'server');
let server: OpcUaMachineServer;
let plainServer: OpcUaMachineServer;
let endpointUrl = '';
let plainUrl = '';
const clients: OpcUaMachineClient[] = [];

/** A client with nothing but the endpoint and mapping given, in its own (empty) trust list unless told. */
function client(url: string, options: Partial<ConstructorParameters<typeof OpcUaMachineClient>[0]> = {}) {
  const c = new OpcUaMachineClient({
    endpointUrl: url,
    machines: [machineToolMapping('PUN-01', SIM_SHOP_NAMESPACE_URI)],
    pkiDir: join(dir, `client-${clients.length}`),
    reconnect: { initialDelayMs: 100, maxDelayMs: 200, maxRetry: 2 },
    ...options,
  });
  clients.push(c);
  return c;
}

const failure = (c: OpcUaMachineClient) =>
  c.start().then(
    () => null,
    (e: unknown) => e,
  );

beforeAll(async () => {
  server = new OpcUaMachineServer({ machines: [{ machineId: 'PUN-01', name: 'Turret punch 1' }], pkiDir: serverPki });
  ({ endpointUrl } = await server.start());
  plainServer = new OpcUaMachineServer({
    machines: [{ machineId: 'PUN-01', name: 'Turret punch 1' }],
    pkiDir: serverPki,
    securityModes: ['None'],
  });
  ({ endpointUrl: plainUrl } = await plainServer.start());
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  await server?.dispose();
  await plainServer?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('OPC UA client security defaults', () => {
  test('an unknown server certificate is refused with an error that says where to put it', async () => {
    const c = client(endpointUrl);
    const error = await failure(c);
    expect(error).toBeInstanceOf(OpcUaSecurityError);
    expect((error as OpcUaSecurityError).reason).toBe('untrusted_certificate');
    expect(String(error)).toMatch(/certificate is not trusted.*client-0[/\\]trusted[/\\]certs/);
  }, 20_000);

  test('a server offering no secure endpoint is refused, not silently used in clear', async () => {
    const c = client(plainUrl, { trustUnknownServerCertificate: true });
    const error = await failure(c);
    expect(error).toBeInstanceOf(OpcUaSecurityError);
    expect((error as OpcUaSecurityError).reason).toBe('no_secure_endpoint');
    expect(String(error)).toMatch(/no endpoint with securityMode SignAndEncrypt and securityPolicy Basic256Sha256/);
  }, 20_000);

  test('a server certificate placed in the trust list connects over SignAndEncrypt', async () => {
    const pkiDir = join(dir, 'client-trusting');
    mkdirSync(join(pkiDir, 'trusted', 'certs'), { recursive: true });
    copyFileSync(join(serverPki, 'own', 'certs', 'certificate.pem'), join(pkiDir, 'trusted', 'certs', 'sim.pem'));
    const c = client(endpointUrl, { pkiDir });
    const events: string[] = [];
    c.onEvents((batch) => events.push(...batch.map((e) => e.metric)));
    await c.start();
    await expect.poll(() => events.includes('state'), { timeout: 10_000 }).toBe(true);
  }, 20_000);

  test('trustUnknownServerCertificate accepts an unknown server and trusts it from then on', async () => {
    const pkiDir = join(dir, 'client-tofu');
    const first = client(endpointUrl, { pkiDir, trustUnknownServerCertificate: true });
    await first.start();
    await first.stop();
    const later = client(endpointUrl, { pkiDir });
    await later.start();
  }, 20_000);

  test('securityMode None is used only when asked for', async () => {
    const c = client(plainUrl, { securityMode: 'None' });
    await c.start();
    expect(() => client(plainUrl, { securityMode: 'None', securityPolicy: 'Basic256Sha256' })).toThrow(
      /securityPolicy/,
    );
    expect(() => client(plainUrl, { securityMode: 'Plain' as never })).toThrow(/securityMode: expected one of/);
  }, 20_000);
});
