import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { OpcUaMachineServer } from './opcua-machine-server.js';
import { RecordingClient } from './opcua-test-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'kerf-opcua-users-'));

/** A self-signed user certificate and its key, as an operator would export them from a PKI tool. */
async function userCertificate(name: string): Promise<{ certificateFile: string; privateKeyFile: string }> {
  const manager = new OPCUACertificateManager({ rootFolder: join(dir, name) });
  await manager.initialize();
  const certificateFile = join(dir, `${name}.pem`);
  await manager.createSelfSignedCertificate({
    applicationUri: `urn:kerf:test:${name}`,
    subject: `/CN=${name}`,
    dns: [],
    startDate: new Date(Date.now() - 60_000),
    validity: 30,
    outputFile: certificateFile,
  });
  const privateKeyFile = manager.privateKey;
  await manager.dispose();
  return { certificateFile, privateKeyFile };
}

let server: OpcUaMachineServer;
let endpointUrl = '';
let trusted: { certificateFile: string; privateKeyFile: string };
let stranger: { certificateFile: string; privateKeyFile: string };
const clients: RecordingClient[] = [];

beforeAll(async () => {
  trusted = await userCertificate('line-lead');
  stranger = await userCertificate('stranger');
  server = new OpcUaMachineServer({
    machines: [{ machineId: 'PUN-01', name: 'Turret punch 1' }],
    allowAnonymous: false,
    trustedUserCertificates: [trusted.certificateFile],
    pkiDir: join(dir, 'server'),
  });
  ({ endpointUrl } = await server.start());
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  await server.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('an X.509 user certificate the server trusts is accepted (over Basic256Sha256), another one refused', async () => {
  const secure = { securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256' } as const;
  const good = new RecordingClient(endpointUrl, ['PUN-01'], {
    ...secure,
    identity: { type: 'certificate', ...trusted },
  });
  clients.push(good);
  await good.client.start();
  await good.until('state', () => good.of('PUN-01', 'state').length === 1);

  const bad = new RecordingClient(endpointUrl, ['PUN-01'], {
    ...secure,
    identity: { type: 'certificate', ...stranger },
  });
  clients.push(bad);
  const error = await bad.client.start().then(
    () => null,
    (e: unknown) => e,
  );
  expect(String(error)).toContain('BadIdentityTokenRejected');
  expect(bad.events).toEqual([]);
});

test('anonymous sessions are refused when the server does not allow them', async () => {
  const anonymous = new RecordingClient(endpointUrl, ['PUN-01']);
  clients.push(anonymous);
  await expect(anonymous.client.start()).rejects.toThrow(/ANONYMOUS user token policy/);
});
