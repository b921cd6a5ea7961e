import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../codec-error.js';
import { SparkplugHost, SPARKPLUG_SEQUENCE_STRIDE } from './sparkplug-host.js';
import { sparkplugMetricMap } from './sparkplug-metric-map.js';
import { SparkplugNode, type SparkplugMetricDefinition } from './sparkplug-node.js';
import { decodeSparkplugPayload, encodeSparkplugPayload } from './sparkplug-payload.js';
import { formatSparkplugTopic, parseSparkplugTopic } from './sparkplug-topic.js';

const T0 = Date.parse('2026-03-02T07:00:00.000Z');
const at = (ms: number): Date => new Date(T0 + ms);

const deviceMetrics = (): SparkplugMetricDefinition[] => [
  { name: 'State', type: 'String', value: 'idle' },
  { name: 'PartCount', type: 'UInt32', value: 10 },
  { name: 'CycleTime', type: 'Double', value: 42.5 },
  { name: 'Program', type: 'String', value: 'P-100' },
  {
    name: 'Alarm/W-17',
    type: 'Boolean',
    value: false,
    properties: {
      Message: { type: 'String', value: 'Wire feed stalled' },
      Severity: { type: 'String', value: 'warning' },
    },
  },
  { name: 'Temperature', type: 'Float', value: 21.5 },
];

function bornPair(bdSeq = 0): { node: SparkplugNode; host: SparkplugHost } {
  const node = new SparkplugNode({ groupId: 'Kerf', edgeNodeId: 'weld-gw', bdSeq, now: () => T0 });
  const host = new SparkplugHost();
  const nb = node.nbirth();
  expect(host.handle(nb.topic, nb.payload, at(0)).events).toEqual([]);
  const db = node.dbirth('WLD-01', deviceMetrics());
  host.handle(db.topic, db.payload, at(1));
  return { node, host };
}

describe('sparkplug topic', () => {
  it('parses and formats node, device and STATE topics', () => {
    expect(parseSparkplugTopic('spBv1.0/G/DDATA/n/d')).toEqual({
      type: 'DDATA',
      groupId: 'G',
      edgeNodeId: 'n',
      deviceId: 'd',
    });
    expect(parseSparkplugTopic('spBv1.0/G/NBIRTH/n')).toEqual({ type: 'NBIRTH', groupId: 'G', edgeNodeId: 'n' });
    expect(parseSparkplugTopic('spBv1.0/STATE/host-1')).toEqual({ type: 'STATE', hostId: 'host-1' });
    expect(parseSparkplugTopic('spBv1.0/G/NBIRTH/n/d')).toBeNull();
    expect(parseSparkplugTopic('spBv1.0/G/DDATA/n')).toBeNull();
    expect(parseSparkplugTopic('spBv1.0/G/XDATA/n')).toBeNull();
    expect(parseSparkplugTopic('shopfloor/G/DDATA/n/d')).toBeNull();
    expect(formatSparkplugTopic({ type: 'DDEATH', groupId: 'G', edgeNodeId: 'n', deviceId: 'd' })).toBe(
      'spBv1.0/G/DDEATH/n/d',
    );
    expect(() => formatSparkplugTopic({ type: 'NDATA', groupId: 'G/x', edgeNodeId: 'n' })).toThrow(CodecError);
  });
});

describe('sparkplug payload', () => {
  it('round-trips scalar datatypes including signed and 64-bit values', () => {
    const bytes = encodeSparkplugPayload({
      timestamp: T0,
      seq: 7,
      metrics: [
        { name: 'a', alias: 1, type: 'Int8', value: -3 },
        { name: 'b', alias: 2, type: 'Int32', value: -70000 },
        { name: 'c', alias: 3, type: 'Int64', value: -5 },
        { name: 'd', alias: 4, type: 'UInt64', value: 2 ** 40 },
        { name: 'e', alias: 5, type: 'Boolean', value: true },
        { name: 'f', alias: 6, type: 'String', value: 'x' },
        { name: 'g', alias: 7, type: 'Double', value: 0.1 },
        { name: 'h', alias: 8, type: 'String', value: null },
      ],
    });
    const decoded = decodeSparkplugPayload(bytes);
    expect(decoded.seq).toBe(7);
    expect(decoded.timestamp).toBe(T0);
    expect(decoded.metrics.map((m) => m.value)).toEqual([-3, -70000, -5, 2 ** 40, true, 'x', 0.1, null]);
  });

  it('reads alias-only data by the datatype the resolver gives', () => {
    const bytes = encodeSparkplugPayload({
      seq: 1,
      metrics: [{ alias: 9, type: 'Int16', sendDatatype: false, value: -2 }],
    });
    const [metric] = decodeSparkplugPayload(bytes, () => 2).metrics;
    expect(metric).toMatchObject({ alias: 9, value: -2 });
    expect(metric?.datatype).toBeUndefined();
  });

  it('random bytes never throw anything but CodecError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeSparkplugPayload(bytes);
        } catch (error) {
          if (!(error instanceof CodecError)) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('SparkplugHost', () => {
  it('turns DBIRTH values and alias-only DDATA into Kerf events', () => {
    const node = new SparkplugNode({ groupId: 'Kerf', edgeNodeId: 'weld-gw', bdSeq: 3, now: () => T0 });
    const host = new SparkplugHost();
    const nb = node.nbirth();
    host.handle(nb.topic, nb.payload, at(0));
    const source = `spb:Kerf/weld-gw:3:${T0}`;
    expect(host.sourceOf('Kerf', 'weld-gw')).toBe(source);
    const db = node.dbirth('WLD-01', deviceMetrics());
    const birth = host.handle(db.topic, db.payload, at(1));
    expect(birth.errors).toEqual([]);
    expect(birth.events.map((e) => [e.kind, e.metric, e.value])).toEqual([
      ['state', 'state', 'idle'],
      ['count', 'part_count', 10],
      ['metric', 'cycle_time', 42.5],
      ['metric', 'program', 'P-100'],
      ['alarm', 'alarm', { code: 'W-17', active: false, severity: 'warning', message: 'Wire feed stalled' }],
    ]);
    expect(birth.events.every((e) => e.source === source && e.machineId === 'WLD-01')).toBe(true);

    const dd = node.ddata('WLD-01', { State: 'running', PartCount: 11, 'Alarm/W-17': true });
    const data = host.handle(dd.topic, dd.payload, at(2));
    expect(data.errors).toEqual([]);
    expect(data.events.map((e) => e.value)).toEqual([
      'running',
      11,
      { code: 'W-17', active: true, severity: 'warning', message: 'Wire feed stalled' },
    ]);
    const sequences = [...birth.events, ...data.events].map((e) => e.sequence);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    expect(new Set(sequences).size).toBe(sequences.length);
  });

  it('keeps the sequence monotonic across the 255 -> 0 seq wrap', () => {
    const { node, host } = bornPair();
    let last = -1;
    for (let i = 0; i < 600; i += 1) {
      const dd = node.ddata('WLD-01', { PartCount: 11 + i });
      const result = host.handle(dd.topic, dd.payload, at(10 + i));
      expect(result.commands).toEqual([]);
      const event = result.events[0] as { sequence: number };
      expect(event.sequence).toBeGreaterThan(last);
      last = event.sequence;
    }
    expect(last).toBeGreaterThan(600 * SPARKPLUG_SEQUENCE_STRIDE);
  });

  it('asks for a rebirth on a seq gap, drops data until the NBIRTH, then resumes with a new source', () => {
    const { node, host } = bornPair();
    const before = host.sourceOf('Kerf', 'weld-gw');
    node.ddata('WLD-01', { PartCount: 11 }); // lost in transit
    const gap = node.ddata('WLD-01', { PartCount: 12 });
    const result = host.handle(gap.topic, gap.payload, at(10));
    expect(result.events).toEqual([]);
    expect(result.errors[0]?.field).toBe('DDATA.seq');
    expect(result.commands).toHaveLength(1);
    const command = result.commands[0]!;
    expect(command.topic).toBe('spBv1.0/Kerf/NCMD/weld-gw');
    expect(node.isRebirthRequest(command.topic, command.payload)).toBe(true);

    const late = node.ddata('WLD-01', { PartCount: 13 });
    const dropped = host.handle(late.topic, late.payload, at(11));
    expect(dropped.events).toEqual([]);
    expect(dropped.commands).toEqual([]); // rate-limited: one request per interval

    let clock = 5_000;
    const node2 = new SparkplugNode({ groupId: 'Kerf', edgeNodeId: 'weld-gw', bdSeq: 0, now: () => T0 + clock });
    const nb = node2.nbirth();
    host.handle(nb.topic, nb.payload, at(clock));
    const db = node2.dbirth('WLD-01', deviceMetrics());
    expect(host.handle(db.topic, db.payload, at(clock)).events.length).toBeGreaterThan(0);
    clock += 1;
    const dd = node2.ddata('WLD-01', { PartCount: 14 });
    const resumed = host.handle(dd.topic, dd.payload, at(clock));
    expect(resumed.events.map((e) => e.value)).toEqual([14]);
    expect(resumed.events[0]?.source).not.toBe(before);
  });

  it('asks for a rebirth when data arrives before any birth', () => {
    const node = new SparkplugNode({ groupId: 'Kerf', edgeNodeId: 'gw', now: () => T0 });
    node.nbirth();
    node.dbirth('M1', deviceMetrics());
    const dd = node.ddata('M1', { PartCount: 1 });
    const result = new SparkplugHost().handle(dd.topic, dd.payload, at(0));
    expect(result.events).toEqual([]);
    expect(result.commands.map((c) => c.topic)).toEqual(['spBv1.0/Kerf/NCMD/gw']);
  });

  it('asks for a rebirth when a device sends data before its DBIRTH', () => {
    const { node, host } = bornPair();
    node.dbirth('WLD-02', deviceMetrics()); // host never sees this birth...
    const result = host.handle(...pair(node.ddata('WLD-02', { PartCount: 3 })), at(5));
    // ...so the seq gap is what it notices first; either way it asks the node to rebirth.
    expect(result.commands).toHaveLength(1);
    expect(result.events).toEqual([]);
  });

  it('NDEATH with the live bdSeq takes every device offline; an older Will is ignored', () => {
    const host2 = new SparkplugHost();
    const n2 = new SparkplugNode({ groupId: 'Kerf', edgeNodeId: 'weld-gw', bdSeq: 4, now: () => T0 });
    for (const m of [n2.nbirth(), n2.dbirth('WLD-01', deviceMetrics()), n2.dbirth('WLD-02', deviceMetrics())]) {
      host2.handle(m.topic, m.payload, at(0));
    }
    const staleWill = new SparkplugNode({ groupId: 'Kerf', edgeNodeId: 'weld-gw', bdSeq: 3, now: () => T0 }).will();
    expect(host2.handle(staleWill.topic, staleWill.payload, at(1)).events).toEqual([]);

    const death = host2.handle(n2.will().topic, n2.will().payload, at(2));
    expect(death.events.map((e) => [e.machineId, e.value])).toEqual([
      ['WLD-01', 'offline'],
      ['WLD-02', 'offline'],
    ]);
    expect(new Set(death.events.map((e) => e.sequence)).size).toBe(2);
    // a duplicate Will changes nothing
    expect(host2.handle(n2.will().topic, n2.will().payload, at(3)).events).toEqual([]);
  });

  it('a late Will from the previous connection does not kill the new session', () => {
    const node = new SparkplugNode({ groupId: 'Kerf', edgeNodeId: 'gw', bdSeq: 0, now: () => T0 });
    const host = new SparkplugHost();
    const oldWill = node.will();
    host.handle(...pair(node.nbirth()), at(0));
    node.nextConnection();
    host.handle(...pair(node.nbirth()), at(10));
    host.handle(...pair(node.dbirth('M1', deviceMetrics())), at(11));
    expect(host.handle(oldWill.topic, oldWill.payload, at(12)).events).toEqual([]);
    const dd = host.handle(...pair(node.ddata('M1', { PartCount: 99 })), at(13));
    expect(dd.events.map((e) => e.value)).toEqual([99]);
    expect(dd.events[0]?.source).toBe(`spb:Kerf/gw:1:${T0}`);
  });

  it('DDEATH takes only that device offline', () => {
    const { node, host } = bornPair();
    const result = host.handle(...pair(node.ddeath('WLD-01')), at(5));
    expect(result.events.map((e) => [e.machineId, e.kind, e.value])).toEqual([['WLD-01', 'state', 'offline']]);
  });

  it('maps names through a configurable map and machine ids through machineIdFor', () => {
    const node = new SparkplugNode({ groupId: 'Kerf', edgeNodeId: 'gw', now: () => T0 });
    const host = new SparkplugHost({
      metricMap: sparkplugMetricMap({ Temperature: { kind: 'metric', metric: 'temperature' }, Program: null }),
      machineIdFor: (e) => (e.deviceId ? `ASM-${e.deviceId}` : null),
    });
    host.handle(...pair(node.nbirth([{ name: 'PartCount', type: 'Int32', value: 1 }])), at(0));
    const birth = host.handle(...pair(node.dbirth('07', deviceMetrics())), at(1));
    expect(birth.events.map((e) => e.metric)).toEqual(['state', 'part_count', 'cycle_time', 'alarm', 'temperature']);
    expect(new Set(birth.events.map((e) => e.machineId))).toEqual(new Set(['ASM-07']));
  });

  it('reports a value that does not fit its Kerf kind as an error without dropping the rest', () => {
    const { node, host } = bornPair();
    const result = host.handle(...pair(node.ddata('WLD-01', { State: 'exploded', PartCount: 12 })), at(5));
    expect(result.errors.map((e) => e.field)).toEqual(['metrics[0] (State)']);
    expect(result.events.map((e) => e.value)).toEqual([12]);
  });

  it('random payloads on Sparkplug topics never throw', () => {
    const { host } = bornPair();
    const topics = fc.constantFrom(
      'spBv1.0/Kerf/NBIRTH/weld-gw',
      'spBv1.0/Kerf/DDATA/weld-gw/WLD-01',
      'spBv1.0/Kerf/NDEATH/weld-gw',
      'spBv1.0/Kerf/DBIRTH/weld-gw/X',
      'spBv1.0/STATE/h',
    );
    fc.assert(
      fc.property(topics, fc.uint8Array({ maxLength: 200 }), (topic, bytes) => {
        const result = host.handle(topic, bytes, at(100));
        expect(Array.isArray(result.events)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

function pair(message: { topic: string; payload: Uint8Array }): [string, Uint8Array] {
  return [message.topic, message.payload];
}
