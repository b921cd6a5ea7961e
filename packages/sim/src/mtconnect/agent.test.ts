import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  MTConnectAgentError,
  parseDevicesDocument,
  parseMTConnectDocument,
  parseStreamsDocument,
} from '@kerf/connectors';
import { afterEach, describe, expect, it } from 'vitest';
import { MTConnectAgent } from './agent.js';
import { devicesFromProbe } from './device-model.js';
import { parseShdr } from './shdr.js';
import { replayShdr } from './shdr-replayer.js';

const FIXTURES = fileURLToPath(new URL('../../../connectors/test-data/mtconnect', import.meta.url));
const LASER = { name: 'LAS-01', uuid: 'kerf-las-01', machineId: 'LAS-01' };
const agents: MTConnectAgent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
});

async function started(options: ConstructorParameters<typeof MTConnectAgent>[0]): Promise<MTConnectAgent> {
  const agent = new MTConnectAgent(options);
  agents.push(agent);
  await agent.start();
  return agent;
}

async function get(agent: MTConnectAgent, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(agent.url + path);
  return { status: res.status, body: await res.text() };
}

async function agentError(agent: MTConnectAgent, path: string): Promise<[number, string, string]> {
  const { status, body } = await get(agent, path);
  const doc = parseMTConnectDocument(body);
  if (doc.kind !== 'error') throw new Error(`expected an MTConnectError from ${path}, got ${doc.kind}`);
  return [status, doc.errors[0]!.code, doc.errors[0]!.message];
}

describe('MTConnectAgent', () => {
  it('serves a probe that parses back to the template device model', async () => {
    const agent = await started({ devices: [LASER, { name: 'LAS-02', uuid: 'kerf-las-02' }] });
    const doc = parseDevicesDocument((await get(agent, '/probe')).body);
    expect(doc.header.instanceId).toBe(String(agent.instanceId));
    expect(doc.header.schemaVersion).toBe('2.0');
    expect(doc.devices.map((d) => [d.name, d.uuid])).toEqual([
      ['LAS-01', 'kerf-las-01'],
      ['LAS-02', 'kerf-las-02'],
    ]);
    const types = doc.devices[0]!.dataItems.map((d) => d.type);
    for (const t of [
      'AVAILABILITY',
      'EXECUTION',
      'CONTROLLER_MODE',
      'PART_COUNT',
      'PROGRAM',
      'ROTARY_VELOCITY',
      'SYSTEM',
    ]) {
      expect(types).toContain(t);
    }
    const one = parseDevicesDocument((await get(agent, '/LAS-02/probe')).body);
    expect(one.devices.map((d) => d.name)).toEqual(['LAS-02']);
  });

  it('/current has the latest value of every DataItem (all UNAVAILABLE at start), sequences and header', async () => {
    const agent = await started({ devices: [LASER] });
    const fresh = parseStreamsDocument((await get(agent, '/current')).body);
    expect(fresh.observations.length).toBe(11);
    expect(fresh.observations.filter((o) => o.category !== 'CONDITION').every((o) => o.value === 'UNAVAILABLE')).toBe(
      true,
    );
    expect(fresh.observations.find((o) => o.category === 'CONDITION')?.level).toBe('UNAVAILABLE');
    agent.observe('LAS-01', 'execution', 'ACTIVE');
    agent.observe('LAS-01', 'part_count', 12);
    agent.raiseCondition('LAS-01', 'E1', 'fault', 'Door <open> & "locked"');
    agent.raiseCondition('LAS-01', 'W2', 'warning', 'Gas');
    const doc = parseStreamsDocument((await get(agent, '/current')).body);
    expect(doc.header).toMatchObject({ nextSequence: 16, firstSequence: 1, lastSequence: 15, bufferSize: 8192 });
    expect(doc.observations.find((o) => o.type === 'EXECUTION')).toMatchObject({ value: 'ACTIVE', sequence: 12 });
    expect(
      doc.observations.filter((o) => o.category === 'CONDITION').map((o) => [o.level, o.nativeCode, o.value]),
    ).toEqual([
      ['FAULT', 'E1', 'Door <open> & "locked"'],
      ['WARNING', 'W2', 'Gas'],
    ]);
    agent.clearCondition('LAS-01', 'E1');
    agent.clearCondition('LAS-01', 'W2');
    const cleared = parseStreamsDocument((await get(agent, '/current')).body);
    expect(cleared.observations.filter((o) => o.category === 'CONDITION').map((o) => o.level)).toEqual(['NORMAL']);
  });

  it('filters duplicate events and conditions as an agent does, but never samples', () => {
    const agent = new MTConnectAgent({ devices: [LASER] });
    expect(agent.observe('LAS-01', 'execution', 'ACTIVE')).toBe(12);
    expect(agent.observe('LAS-01', 'execution', 'ACTIVE')).toBeUndefined();
    expect(agent.observe('LAS-01', 'spindle_speed', 100)).toBe(13);
    expect(agent.observe('LAS-01', 'spindle_speed', 100)).toBe(14);
    expect(agent.raiseCondition('LAS-01', 'E1', 'fault', 'x')).toBe(15);
    expect(agent.raiseCondition('LAS-01', 'E1', 'fault', 'x')).toBeUndefined();
    expect(agent.clearCondition('LAS-01', 'E9')).toBeUndefined();
    expect(agent.clearCondition('LAS-01')).toBe(16);
    expect(agent.clearCondition('LAS-01')).toBeUndefined();
  });

  it('/sample walks the buffer: from, count, to, nextSequence; device filter', async () => {
    const agent = await started({ devices: [LASER, { name: 'LAS-02', uuid: 'kerf-las-02' }], bufferSize: 64 });
    for (let i = 1; i <= 5; i++) agent.observe('LAS-02', 'part_count', i);
    const all = parseStreamsDocument((await get(agent, '/sample?from=23&count=3')).body);
    expect(all.observations.map((o) => o.sequence)).toEqual([23, 24, 25]);
    expect(all.header.nextSequence).toBe(26);
    const upTo = parseStreamsDocument((await get(agent, '/sample?from=23&to=25&count=10')).body);
    expect(upTo.observations.map((o) => o.sequence)).toEqual([23, 24]);
    const one = parseStreamsDocument((await get(agent, '/LAS-01/sample?from=1&count=64')).body);
    expect(new Set(one.observations.map((o) => o.deviceName))).toEqual(new Set(['LAS-01']));
    expect(one.header.nextSequence).toBe(agent.nextSequence);
    const end = parseStreamsDocument((await get(agent, `/sample?from=${agent.nextSequence}&count=10`)).body);
    expect(end.observations).toEqual([]);
    expect(end.header.nextSequence).toBe(agent.nextSequence);
  });

  it('answers errors as MTConnectError documents with the right status and code', async () => {
    const agent = await started({ devices: [LASER], bufferSize: 16 });
    for (let i = 0; i < 30; i++) agent.observe('LAS-01', 'spindle_speed', i);
    expect(await agentError(agent, '/NOPE/current')).toEqual([404, 'NO_DEVICE', "Could not find the device 'NOPE'"]);
    expect(await agentError(agent, '/sample?from=1&count=5')).toEqual([
      404,
      'OUT_OF_RANGE',
      `'from' must be greater than ${agent.firstSequence - 1}`,
    ]);
    expect((await agentError(agent, '/sample?count=17'))[1]).toBe('OUT_OF_RANGE');
    expect((await agentError(agent, '/sample?from=999&count=5'))[1]).toBe('OUT_OF_RANGE');
    expect(await agentError(agent, '/sample?count=abc')).toEqual([
      400,
      'INVALID_REQUEST',
      "query parameter 'count': cannot convert string 'abc' to integer",
    ]);
    expect((await agentError(agent, '/sample?count=0'))[1]).toBe('INVALID_REQUEST');
    expect((await agentError(agent, '/a/b/c'))[1]).toBe('INVALID_URI');
    expect((await agentError(agent, '/nothing'))[1]).toBe('INVALID_URI');
    const { status, body } = await get(agent, '/sample?from=1&count=5');
    expect(() => parseStreamsDocument(body, status)).toThrow(MTConnectAgentError);
  });

  it('ring buffer: firstSequence moves once full, /current still has values that left the buffer', async () => {
    const agent = await started({ devices: [LASER], bufferSize: 16 });
    agent.observe('LAS-01', 'program', 'P-1');
    for (let i = 0; i < 40; i++) agent.observe('LAS-01', 'spindle_speed', i);
    expect(agent.lastSequence - agent.firstSequence + 1).toBe(16);
    const doc = parseStreamsDocument((await get(agent, '/current')).body);
    expect(doc.header).toMatchObject({ firstSequence: agent.firstSequence, lastSequence: agent.lastSequence });
    expect(doc.observations.find((o) => o.type === 'PROGRAM')).toMatchObject({ value: 'P-1', sequence: 12 });
  });

  it('restart: new instanceId, sequences from 1, latest values carried over', async () => {
    const agent = await started({ devices: [LASER] });
    agent.observe('LAS-01', 'execution', 'ACTIVE');
    const before = agent.instanceId;
    await agent.stop();
    await agent.start();
    expect(agent.instanceId).toBeGreaterThan(before);
    const doc = parseStreamsDocument((await get(agent, '/current')).body);
    expect(doc.header.instanceId).toBe(String(agent.instanceId));
    expect(doc.header.firstSequence).toBe(1);
    expect(doc.observations.find((o) => o.type === 'EXECUTION')?.value).toBe('ACTIVE');
  });

  it('serves the OKUMA/Mazak demo model from a Devices.xml and rejects unknown keys clearly', () => {
    const specs = devicesFromProbe(readFileSync(`${FIXTURES}/devices_2.7ns_demo_okuma_mazak.xml`, 'utf8'));
    const agent = new MTConnectAgent({ devices: specs });
    expect(agent.devices.map((d) => d.name)).toEqual(['OKUMA', 'Mazak']);
    expect(agent.observe('OKUMA', 'pexecution', 'ACTIVE')).toBeGreaterThan(0);
    expect(agent.observe('OKUMA', 'execution', 'READY')).toBeGreaterThan(0);
    expect(() => agent.observe('OKUMA', 'nope', 1)).toThrow(/device "OKUMA" has no DataItem "nope"/);
    expect(() => agent.observe('NOPE', 'execution', 1)).toThrow(/device "NOPE" is not served/);
    expect(() => new MTConnectAgent({ devices: [LASER, LASER] })).toThrow(/"LAS-01" is used twice/);
  });
});

describe('SHDR parser', () => {
  it('reads the OKUMA log: data pairs, conditions, multiline assets, meta lines', () => {
    const text = readFileSync(`${FIXTURES}/shdr/okuma_imts2022_adapter.shdr.txt`, 'utf8');
    const records = parseShdr(text, (key) => key === 'system' || key.endsWith('_cond'));
    const kinds = new Map<string, number>();
    for (const r of records) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
    expect(kinds.get('asset')).toBe(118);
    expect(kinds.get('remove-asset')).toBe(30);
    expect(kinds.get('remove-all-assets')).toBe(4);
    expect(kinds.get('meta')).toBe(9);
    const conditions = records.flatMap((r) => (r.kind === 'data' ? r.items : [])).filter((i) => i.kind === 'condition');
    expect(conditions.length).toBe(40); // system + 9 subsystem conditions, 4 runs
    expect(conditions.every((c) => c.kind === 'condition' && c.level === 'NORMAL')).toBe(true);
    const asset = records.find((r) => r.kind === 'asset');
    expect(asset?.kind === 'asset' && asset.body.startsWith('<CuttingTool')).toBe(true);
  });

  it('names the line of a broken condition or an unterminated asset', () => {
    expect(() => parseShdr('2024-01-01T00:00:00Z|c|BOGUS||||', (k) => k === 'c')).toThrow(/SHDR line 1: condition "c"/);
    expect(() => parseShdr('x\n2024|@ASSET@|a|T|--multiline--Q\n<a/>', () => false)).toThrow(
      /SHDR line 2: asset a: no closing --multiline--Q/,
    );
  });
});

describe('SHDR replayer', () => {
  it('paces by the log times divided by speed, keeps log timestamps, serves assets', async () => {
    const agent = await started({ devices: [LASER] });
    const log = [
      '2024-01-01T00:00:00.000Z|execution|ACTIVE|partcount|1',
      '2024-01-01T00:00:01.000Z|system|FAULT|E7|1|HIGH|Overheat',
      '2024-01-01T00:00:00.500Z|@ASSET@|T1|CuttingTool|--multiline--X',
      '<CuttingTool assetId="T1"/>',
      '--multiline--X',
      '2024-01-01T00:00:02.000Z|execution|READY|nope|1|execution|READY',
      '* adapterVersion: 1.0',
    ].join('\n');
    const start = Date.now();
    const result = await replayShdr(agent, log, { device: 'LAS-01', speed: 10 });
    const elapsed = Date.now() - start;
    // 1 s + 1.5 s of log time (the asset line goes back in time: no pause) at 10x
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1500);
    expect(result.observations.map((o) => [o.type, o.value])).toEqual([
      ['EXECUTION', 'ACTIVE'],
      ['PART_COUNT', '1'],
      ['SYSTEM', 'FAULT'],
      ['EXECUTION', 'READY'],
    ]);
    expect(result.duplicates).toBe(1);
    expect(result.unknownKeys).toEqual(['nope']);
    const current = parseStreamsDocument((await get(agent, '/current')).body);
    expect(current.observations.find((o) => o.level === 'FAULT')).toMatchObject({
      nativeCode: 'E7',
      nativeSeverity: '1',
      qualifier: 'HIGH',
      value: 'Overheat',
      timestamp: '2024-01-01T00:00:01.000Z',
    });
    const assets = await get(agent, '/assets');
    expect(assets.body).toContain('<CuttingTool assetId="T1"/>');
  });
});
