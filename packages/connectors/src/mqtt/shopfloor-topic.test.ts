import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../codec-error.js';
import { MACHINE_STATES, type MachineEvent } from '../machine-event.js';
import {
  decodeShopfloorMessage,
  encodeShopfloorMessage,
  parseShopfloorTopic,
  shopfloorKindOf,
} from './shopfloor-topic.js';

const received = new Date('2026-03-02T07:15:00.000Z');

function codecErrorOf(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CodecError) return error;
    throw error;
  }
  throw new Error('expected a CodecError, nothing was thrown');
}

describe('parseShopfloorTopic', () => {
  it('splits a well-formed topic', () => {
    expect(parseShopfloorTopic('shopfloor/WELD/WLD-02/part_count')).toEqual({
      department: 'WELD',
      machineId: 'WLD-02',
      metric: 'part_count',
    });
  });

  it.each([
    'shopfloor/WELD/WLD-02',
    'shopfloor/WELD/WLD-02/state/extra',
    'factory/WELD/WLD-02/state',
    'shopfloor//WLD-02/state',
    'shopfloor/WELD/+/state',
    'shopfloor/WELD/WLD-02/#',
    '',
  ])('returns null for %j', (topic) => {
    expect(parseShopfloorTopic(topic)).toBeNull();
  });
});

describe('shopfloorKindOf', () => {
  it('derives kind from the metric name', () => {
    expect(shopfloorKindOf('state')).toBe('state');
    expect(shopfloorKindOf('alarm')).toBe('alarm');
    expect(shopfloorKindOf('part_count')).toBe('count');
    expect(shopfloorKindOf('scrap_count')).toBe('count');
    expect(shopfloorKindOf('count')).toBe('metric');
    expect(shopfloorKindOf('cycle_time')).toBe('metric');
  });
});

describe('decodeShopfloorMessage', () => {
  it('decodes a full payload', () => {
    const event = decodeShopfloorMessage(
      'shopfloor/WELD/WLD-02/state',
      Buffer.from('{"ts":"2026-03-02T08:00:00+01:00","seq":17,"src":"edge-1:42","value":"running"}'),
      received,
    );
    expect(event).toEqual({
      machineId: 'WLD-02',
      timestamp: '2026-03-02T07:00:00.000Z',
      source: 'edge-1:42',
      sequence: 17,
      kind: 'state',
      metric: 'state',
      value: 'running',
    } satisfies MachineEvent);
  });

  it('fills ts, seq and src defaults from the receive time', () => {
    const event = decodeShopfloorMessage('shopfloor/ASM/ASM-01/part_count', '{"value": 12}', received);
    expect(event.timestamp).toBe(received.toISOString());
    expect(event.sequence).toBe(received.getTime());
    expect(event.source).toBe('mqtt');
    expect(event.kind).toBe('count');
  });

  it('uses an epoch-ms ts as timestamp and as the default seq', () => {
    const event = decodeShopfloorMessage('shopfloor/POL/POL-01/cycle_time', '{"ts": 1772435700123, "value": 41.5}');
    expect(event.timestamp).toBe('2026-03-02T07:15:00.123Z');
    expect(event.sequence).toBe(1772435700123);
    expect(event.value).toBe(41.5);
  });

  it('accepts a bare number or string and maps boolean metrics to 1/0', () => {
    expect(decodeShopfloorMessage('shopfloor/POL/POL-01/part_count', '5', received).value).toBe(5);
    expect(decodeShopfloorMessage('shopfloor/POL/POL-01/state', '"idle"', received).value).toBe('idle');
    expect(decodeShopfloorMessage('shopfloor/POL/POL-01/program', '"O1234"', received).value).toBe('O1234');
    expect(decodeShopfloorMessage('shopfloor/POL/POL-01/door_open', '{"value":true}', received).value).toBe(1);
  });

  it('decodes an alarm, defaulting severity to fault', () => {
    const event = decodeShopfloorMessage(
      'shopfloor/WELD/WLD-01/alarm',
      '{"seq":3,"value":{"code":"W-117","active":true,"message":"Wire feed stalled"}}',
      received,
    );
    expect(event.kind).toBe('alarm');
    expect(event.value).toEqual({ code: 'W-117', active: true, severity: 'fault', message: 'Wire feed stalled' });
  });

  it.each([
    ['shopfloor/WELD/WLD-01', '{"value":1}', 'topic'],
    ['shopfloor/WELD/WLD-01/state', 'running', 'payload'],
    ['shopfloor/WELD/WLD-01/state', '[1]', 'payload'],
    ['shopfloor/WELD/WLD-01/state', 'null', 'payload'],
    ['shopfloor/WELD/WLD-01/state', '{"ts":1}', 'payload.value'],
    ['shopfloor/WELD/WLD-01/state', '{"value":"exploded"}', 'payload.value'],
    ['shopfloor/WELD/WLD-01/part_count', '{"value":-1}', 'payload.value'],
    ['shopfloor/WELD/WLD-01/part_count', '{"value":1.5}', 'payload.value'],
    ['shopfloor/WELD/WLD-01/part_count', '{"value":"7"}', 'payload.value'],
    ['shopfloor/WELD/WLD-01/spindle_speed', '{"value":{}}', 'payload.value'],
    ['shopfloor/WELD/WLD-01/alarm', '{"value":"E1"}', 'payload.value'],
    ['shopfloor/WELD/WLD-01/alarm', '{"value":{"code":"","active":true}}', 'payload.value.code'],
    ['shopfloor/WELD/WLD-01/alarm', '{"value":{"code":"E1","active":"yes"}}', 'payload.value.active'],
    ['shopfloor/WELD/WLD-01/alarm', '{"value":{"code":"E1","active":true,"severity":"bad"}}', 'payload.value.severity'],
    ['shopfloor/WELD/WLD-01/state', '{"ts":"2026-02-30T00:00:00Z","value":"idle"}', 'payload.ts'],
    ['shopfloor/WELD/WLD-01/state', '{"ts":"2026-03-01T10:00:00","value":"idle"}', 'payload.ts'],
    ['shopfloor/WELD/WLD-01/state', '{"ts":-5,"value":"idle"}', 'payload.ts'],
    ['shopfloor/WELD/WLD-01/state', '{"ts":true,"value":"idle"}', 'payload.ts'],
    ['shopfloor/WELD/WLD-01/state', '{"seq":1.5,"value":"idle"}', 'payload.seq'],
    ['shopfloor/WELD/WLD-01/state', '{"seq":-1,"value":"idle"}', 'payload.seq'],
    ['shopfloor/WELD/WLD-01/state', '{"src":"","value":"idle"}', 'payload.src'],
  ])('rejects %s %s naming %s', (topic, payload, field) => {
    const error = codecErrorOf(() => decodeShopfloorMessage(topic, payload, received));
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  it('rejects invalid UTF-8 bytes', () => {
    expect(
      codecErrorOf(() => decodeShopfloorMessage('shopfloor/A/B/c', new Uint8Array([0x22, 0xff, 0x22]))).reason,
    ).toMatch(/UTF-8/);
  });
});

describe('encodeShopfloorMessage', () => {
  const event: MachineEvent = {
    machineId: 'WLD-02',
    timestamp: '2026-03-02T07:00:00.000Z',
    source: 'sim:7',
    sequence: 41,
    kind: 'count',
    metric: 'part_count',
    value: 9,
  };

  it('always writes ts, seq and src', () => {
    const { topic, payload } = encodeShopfloorMessage(event, 'WELD');
    expect(topic).toBe('shopfloor/WELD/WLD-02/part_count');
    expect(JSON.parse(payload)).toEqual({ ts: '2026-03-02T07:00:00.000Z', seq: 41, src: 'sim:7', value: 9 });
  });

  it('refuses events the receiver would reject', () => {
    expect(codecErrorOf(() => encodeShopfloorMessage({ ...event, kind: 'metric' }, 'WELD')).field).toBe('kind');
    expect(codecErrorOf(() => encodeShopfloorMessage({ ...event, machineId: 'A/B' }, 'WELD')).field).toBe('machineId');
    expect(codecErrorOf(() => encodeShopfloorMessage(event, 'WE+LD')).field).toBe('department');
    expect(codecErrorOf(() => encodeShopfloorMessage({ ...event, value: -3 }, 'WELD')).field).toBe('value');
    expect(codecErrorOf(() => encodeShopfloorMessage({ ...event, sequence: 0.5 }, 'WELD')).field).toBe('sequence');
    expect(codecErrorOf(() => encodeShopfloorMessage({ ...event, timestamp: 'yesterday' }, 'WELD')).field).toBe(
      'timestamp',
    );
  });
});

// --- fuzz ------------------------------------------------------------------------------------

const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
const metricName = fc.oneof(fc.constantFrom('state', 'alarm', 'part_count', 'scrap_count'), segment);
const isoTimestamp = fc.integer({ min: 0, max: 253_402_300_799_999 }).map((ms) => new Date(ms).toISOString());

const validEvent: fc.Arbitrary<MachineEvent> = fc
  .record({
    machineId: segment,
    metric: metricName,
    timestamp: isoTimestamp,
    source: fc.string({ minLength: 1, maxLength: 40 }),
    sequence: fc.maxSafeInteger().filter((n) => n >= 0),
    state: fc.constantFrom(...MACHINE_STATES),
    count: fc.nat(),
    metricValue: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.constant(null)),
    alarm: fc.record({
      code: fc.string({ minLength: 1, maxLength: 10 }),
      active: fc.boolean(),
      severity: fc.constantFrom('fault' as const, 'warning' as const),
      message: fc.string({ maxLength: 40 }),
    }),
  })
  .map((r) => {
    const kind = shopfloorKindOf(r.metric);
    const value = kind === 'state' ? r.state : kind === 'count' ? r.count : kind === 'alarm' ? r.alarm : r.metricValue;
    // JSON has no -0: it arrives as 0, which is the same measurement.
    const normalized = typeof value === 'number' && Object.is(value, -0) ? 0 : value;
    return {
      machineId: r.machineId,
      timestamp: r.timestamp,
      source: r.source,
      sequence: r.sequence,
      kind,
      metric: r.metric,
      value: normalized,
    };
  });

function decodesOrCodecError(topic: string, payload: Uint8Array | string): void {
  try {
    const event = decodeShopfloorMessage(topic, payload, received);
    expect(event.kind).toBe(shopfloorKindOf(event.metric));
    expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
    expect(Number.isSafeInteger(event.sequence)).toBe(true);
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
  }
}

describe('shopfloor codec fuzz', () => {
  it('encode -> decode round-trips every valid event', () => {
    fc.assert(
      fc.property(validEvent, segment, (event, department) => {
        const { topic, payload } = encodeShopfloorMessage(event, department);
        expect(parseShopfloorTopic(topic)).toEqual({ department, machineId: event.machineId, metric: event.metric });
        expect(decodeShopfloorMessage(topic, payload)).toEqual(event);
        expect(decodeShopfloorMessage(topic, Buffer.from(payload, 'utf8'))).toEqual(event);
      }),
      { numRuns: 2000 },
    );
  });

  it('random bytes and strings never throw anything but CodecError', () => {
    fc.assert(
      fc.property(fc.string(), fc.oneof(fc.string(), fc.uint8Array({ maxLength: 200 })), (topic, payload) => {
        decodesOrCodecError(topic, payload);
        decodesOrCodecError(`shopfloor/D/M/${topic.replace(/[/+#]/g, '') || 'x'}`, payload);
      }),
      { numRuns: 3000 },
    );
  });

  it('random JSON payloads never throw anything but CodecError', () => {
    const field = fc.oneof(fc.jsonValue(), fc.constant(undefined));
    const payload = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({ ts: field, seq: field, src: field, value: field }, { requiredKeys: [] })
        .map((v) => JSON.stringify(v)),
      fc
        .record({ value: fc.record({ code: field, active: field, severity: field, message: field }) })
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(metricName, payload, (metric, body) => {
        decodesOrCodecError(`shopfloor/D/M/${metric}`, body);
      }),
      { numRuns: 3000 },
    );
  });
});
