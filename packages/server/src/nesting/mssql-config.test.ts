import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNestingConfig } from './config.js';
import { mssqlPoolConfig } from './mssql-db.js';

// SQL Server cannot run here: what the pool is given is what decides whether the channel is verified.
const configOf = (env: Record<string, string>) =>
  mssqlPoolConfig(
    loadNestingConfig({ KERF_NESTING_MODE: 'simtrans', KERF_SIMTRANS_URL: 'mssql://kerf:pw@sql01/SimTrans', ...env })
      .sqlServer!,
  );

describe('SQL Server transport security', () => {
  it('encrypts and verifies the server certificate unless told otherwise', () => {
    const config = configOf({});
    expect(config.options).toMatchObject({ encrypt: true, trustServerCertificate: false });
    expect(config.options?.cryptoCredentialsDetails).toBeUndefined();
    expect(mssqlPoolConfig(loadNestingConfig({ KERF_SIMTRANS_HOST: 'sql02' }).sqlServer!).options).toMatchObject({
      encrypt: true,
      trustServerCertificate: false,
    });
  });

  it('honours KERF_SIMTRANS_TRUST_SERVER_CERT, KERF_SIMTRANS_ENCRYPT and KERF_SIMTRANS_CA_FILE', () => {
    expect(configOf({ KERF_SIMTRANS_TRUST_SERVER_CERT: '1' }).options).toMatchObject({
      encrypt: true,
      trustServerCertificate: true,
    });
    expect(configOf({ KERF_SIMTRANS_ENCRYPT: 'false' }).options).toMatchObject({ encrypt: false });
    const ca = join(mkdtempSync(join(tmpdir(), 'kerf-mssql-ca-')), 'shop-ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(configOf({ KERF_SIMTRANS_CA_FILE: ca }).options?.cryptoCredentialsDetails).toEqual({
      ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    });
  });

  it('refuses settings that cannot be meant, naming the variable', () => {
    expect(() => configOf({ KERF_SIMTRANS_TRUST_SERVER_CERT: 'maybe' })).toThrow(/KERF_SIMTRANS_TRUST_SERVER_CERT/);
    expect(() => configOf({ KERF_SIMTRANS_ENCRYPT: 'no', KERF_SIMTRANS_TRUST_SERVER_CERT: '1' })).toThrow(
      /KERF_SIMTRANS_TRUST_SERVER_CERT.*KERF_SIMTRANS_ENCRYPT/,
    );
    expect(() => configOf({ KERF_SIMTRANS_CA_FILE: '/nonexistent/ca.pem' })).toThrow(/KERF_SIMTRANS_CA_FILE/);
  });
});
