import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './testing/peers.js';
import { ConfigError, parseConfig } from './config.js';

afterAll(removeTempDirs);
const valid = {
  gatewayId: 'bay-1',
  upstream: { url: 'mqtt://kerf.local:1883', username: 'edge', password: 'secret', qos: 1 },
  buffer: { path: '/var/lib/kerf-edge/buffer.db', maxBytes: 2_000_000_000 },
  machines: [
    { id: 'LAS-01', department: 'LASER', protocol: 'mtconnect', agentUrl: 'http://10.0.0.5:5000', device: 'laser1' },
    {
      id: 'PUN-01',
      department: 'PUNCH',
      protocol: 'opcua',
      endpoint: 'opc.tcp://10.0.0.6:4840',
      nodes: {
        itemState: '/Objects/Machines/PUN-01/Monitoring/MachineryItemState/CurrentState',
        metrics: { part_count: 'ns=2;s=PUN-01.PartCount' },
      },
    },
    { id: 'WLD-01', department: 'WELD', protocol: 'mqtt-local', url: 'mqtt://127.0.0.1:1884' },
  ],
  healthPort: 8787,
};

function problemsOf(json: unknown): string[] {
  try {
    parseConfig(json);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseConfig', () => {
  it('accepts a full config and fills the defaults', () => {
    const config = parseConfig(valid);
    expect(config.upstream).toMatchObject({ clientId: 'kerf-edge-bay-1', protocolVersion: 4, inflight: 1000 });
    expect(config.buffer.fullPolicy).toBe('drop-oldest');
    expect(config.machines[2]).toMatchObject({ protocol: 'mqtt-local', topic: 'shopfloor/+/WLD-01/#' });
  });

  it('names every wrong field at once', () => {
    const problems = problemsOf({
      ...valid,
      gatewayId: 'a/b',
      upstream: { url: 'http://x', qos: 0, inflight: 0 },
      buffer: { path: '', fullPolicy: 'panic' },
      machines: [
        { id: 'X', department: 'D', protocol: 'modbus' },
        { id: 'Y', department: 'D', protocol: 'opcua', endpoint: 'opc.tcp://h:4840', nodes: {} },
        { id: 'Y', department: 'D', protocol: 'mqtt-local', url: 'mqtt://h', colour: 'red' },
      ],
      healthPort: 70_000,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^gatewayId: must not contain/),
        expect.stringMatching(/^upstream\.url: scheme must be/),
        expect.stringMatching(/^upstream\.qos: must be 1/),
        expect.stringMatching(/^upstream\.inflight: must be an integer from 1/),
        expect.stringMatching(/^buffer\.path: must be a non-empty string/),
        expect.stringMatching(/^buffer\.fullPolicy: must be one of "drop-oldest", "stop-intake"/),
        expect.stringMatching(/^buffer: set maxEvents and\/or maxBytes/),
        expect.stringMatching(/^machines\[0\]\.protocol: must be "mtconnect", "opcua" or "mqtt-local"/),
        expect.stringMatching(/^machines\[1\]\.nodes: no node is mapped/),
        expect.stringMatching(/^machines\[2\]\.id: duplicate machine id "Y"/),
        expect.stringMatching(/^machines\[2\]\.colour: unknown field/),
        expect.stringMatching(/^healthPort: must be an integer from 0 to 65535/),
      ]),
    );
    expect(problems).toHaveLength(12);
  });

  it('checks the OPC UA node mapping with the connector and points into this file', () => {
    const opcua = (nodes: unknown, extra = {}) =>
      problemsOf({
        ...valid,
        machines: [{ id: 'P', department: 'D', protocol: 'opcua', endpoint: 'opc.tcp://h:4840', nodes, ...extra }],
      });
    expect(opcua({ metrics: { state: '/Objects/X' } })).toEqual([
      expect.stringMatching(/^machines\[0\]\.nodes\.metrics\.state: use itemState/),
    ]);
    expect(opcua({ operationMode: '/Objects/M/Mode' })).toEqual([
      expect.stringMatching(/^machines\[0\]\.nodes\.operationMode: needs itemState/),
    ]);
    expect(opcua({ itemState: '/Objects/M/State' }, { securityMode: 'Sign', username: 'u' })).toEqual([
      'machines[0].password: username and password go together',
      'machines[0].securityPolicy: "None" does not fit securityMode "Sign"',
    ]);
  });

  it('requires the top-level sections', () => {
    expect(problemsOf({})).toEqual([
      'gatewayId: required',
      'upstream: required',
      'upstream.url: required',
      'buffer: required',
      'buffer.path: required',
      'machines: must be a non-empty array',
    ]);
    expect(problemsOf([])).toEqual(['(root): must be a JSON object']);
  });
});

describe('kerf-edge command line', () => {
  const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', timeout: 20_000 });

  it('exits 2 naming the field when the config is invalid', () => {
    const dir = tempDir('kerf-edge-cfg-');
    const path = join(dir, 'edge.json');
    writeFileSync(path, JSON.stringify({ ...valid, machines: [{ id: 'X', department: 'D', protocol: 'opcua' }] }));
    const result = run('--config', path);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('machines[0].endpoint: required');
    expect(result.stderr).toContain('machines[0].nodes: required');
  });

  it('exits 2 for a missing file, bad JSON, or no --config', () => {
    const dir = tempDir('kerf-edge-cfg-');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "gatewayId": ');
    const missing = run('--config', join(dir, 'nope.json'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    const notJson = run(`--config=${bad}`);
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toContain('not valid JSON');
    const none = run();
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('--config is required');
  });
});
