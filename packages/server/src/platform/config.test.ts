import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration from env vars', () => {
  it('has embedded defaults', () => {
    const c = loadConfig({}, { demo: true });
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: './.kerf/data',
      databaseUrl: undefined,
      demo: true,
      logLevel: 'info',
    });
  });
  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^PORT:/);
    expect(() => loadConfig({ KERF_DEMO: 'maybe' })).toThrow(/^KERF_DEMO:/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/^DATABASE_URL:/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/^LOG_LEVEL:/);
    expect(() => loadConfig({ KERF_TIMEZONE: 'Mars/Olympus' })).toThrow(/^KERF_TIMEZONE:/);
    expect(loadConfig({ KERF_TIMEZONE: 'America/Chicago' }).timeZone).toBe('America/Chicago');
  });
  it('reads production settings', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/kerf',
      HOST: '0.0.0.0',
      PORT: '9000',
      KERF_DEMO: 'false',
    });
    expect(c).toMatchObject({ databaseUrl: 'postgres://u@db:5432/kerf', host: '0.0.0.0', port: 9000, demo: false });
  });
  it('KERF_ROLES: all roles by default, a comma list otherwise, an unknown role named', () => {
    expect([...loadConfig({}).roles].sort()).toEqual(['api', 'ingest', 'worker']);
    expect([...loadConfig({ KERF_ROLES: ' api , worker' }).roles].sort()).toEqual(['api', 'worker']);
    expect([...loadConfig({ KERF_ROLES: 'ingest' }).roles]).toEqual(['ingest']);
    expect(() => loadConfig({ KERF_ROLES: 'api,scheduler' })).toThrow(ConfigError);
    expect(() => loadConfig({ KERF_ROLES: 'api,scheduler' })).toThrow(/^KERF_ROLES: unknown role "scheduler"/);
  });
  it('bounds plan runs: one at a time, 10 queued, one per user, 300 s', () => {
    expect(loadConfig({})).toMatchObject({
      planRunsMaxConcurrent: 1,
      planRunsMaxQueued: 10,
      planRunsPerUser: 1,
      planRunMaxSeconds: 300,
    });
    expect(() => loadConfig({ KERF_PLAN_RUNS_MAX_CONCURRENT: '0' })).toThrow(/^KERF_PLAN_RUNS_MAX_CONCURRENT:/);
    expect(() => loadConfig({ KERF_PLAN_RUN_MAX_SECONDS: '60', KERF_NIGHTLY_SECONDS: '120' })).toThrow(
      /^KERF_NIGHTLY_SECONDS: 120 is more than KERF_PLAN_RUN_MAX_SECONDS \(60\)/,
    );
  });
  it('OPC UA: unknown server certificates are refused unless KERF_OPCUA_TRUST_UNKNOWN_CERTS says otherwise', () => {
    expect(loadConfig({})).toMatchObject({ opcuaTrustUnknownCerts: false, opcuaPkiDir: undefined });
    expect(loadConfig({ KERF_OPCUA_TRUST_UNKNOWN_CERTS: '1', KERF_OPCUA_PKI_DIR: '/var/lib/kerf/pki' })).toMatchObject({
      opcuaTrustUnknownCerts: true,
      opcuaPkiDir: '/var/lib/kerf/pki',
    });
    expect(() => loadConfig({ KERF_OPCUA_TRUST_UNKNOWN_CERTS: 'sure' })).toThrow(/^KERF_OPCUA_TRUST_UNKNOWN_CERTS:/);
  });
});
