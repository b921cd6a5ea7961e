/**
 * Codec for Kerf's plain MQTT convention (see the machine-data contract):
 * topic `shopfloor/{department}/{machineId}/{metric}`, payload
 * `{"ts": ISO | epoch ms, "seq": int, "src": string, "value": ...}` or a bare JSON number/string.
 * The edge gateway and the simulator publish with `encodeShopfloorMessage`; the server ingests with
 * `decodeShopfloorMessage`. Every rejection is a CodecError naming the field.
 */
import { CodecError } from '../codec-error.js';
import {
  isMachineState,
  MACHINE_STATES,
  type AlarmValue,
  type MachineEvent,
  type MachineEventKind,
} from '../machine-event.js';

export const SHOPFLOOR_TOPIC_ROOT = 'shopfloor';
/** Source used when a payload has no `src`: plain MQTT senders share one stream per machine. */
export const SHOPFLOOR_DEFAULT_SOURCE = 'mqtt';
/** A machine message is a few hundred bytes; anything far bigger is a misrouted topic, not data. */
export const SHOPFLOOR_MAX_PAYLOAD_BYTES = 64 * 1024;
const MAX_SOURCE_LENGTH = 200;
const NUL = String.fromCharCode(0);
const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** 9999-12-31T23:59:59.999Z: later instants no longer print as a 4-digit-year ISO string. */
const MAX_EPOCH_MS = 253_402_300_799_999;

export interface ShopfloorTopic {
  department: string;
  machineId: string;
  metric: string;
}

/** Subscription filter covering every machine of every department. */
export const SHOPFLOOR_SUBSCRIPTION = `${SHOPFLOOR_TOPIC_ROOT}/+/+/+`;

export function shopfloorTopic(department: string, machineId: string, metric: string): string {
  assertSegment('department', department);
  assertSegment('machineId', machineId);
  assertSegment('metric', metric);
  return `${SHOPFLOOR_TOPIC_ROOT}/${department}/${machineId}/${metric}`;
}

/** null when the topic is not a well-formed shopfloor topic (other traffic on a shared broker). */
export function parseShopfloorTopic(topic: string): ShopfloorTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 4 || parts[0] !== SHOPFLOOR_TOPIC_ROOT) return null;
  const [, department, machineId, metric] = parts as [string, string, string, string];
  if (segmentProblem(department) || segmentProblem(machineId) || segmentProblem(metric)) return null;
  return { department, machineId, metric };
}

/** The event kind a metric name implies; the topic alone decides it so sender and receiver agree. */
export function shopfloorKindOf(metric: string): MachineEventKind {
  if (metric === 'state') return 'state';
  if (metric === 'alarm') return 'alarm';
  if (metric === 'part_count' || metric.endsWith('_count')) return 'count';
  return 'metric';
}

export function decodeShopfloorMessage(
  topic: string,
  payload: Uint8Array | string,
  receivedAt: Date = new Date(),
): MachineEvent {
  const parsedTopic = parseShopfloorTopic(topic);
  if (!parsedTopic) {
    throw new CodecError(
      'topic',
      `"${clip(topic)}" is not shopfloor/{department}/{machineId}/{metric} (4 non-empty segments without + or #)`,
    );
  }
  const body = parseBody(payload);
  const kind = shopfloorKindOf(parsedTopic.metric);

  let date: Date;
  if (body.ts === undefined) {
    if (Number.isNaN(receivedAt.getTime())) throw new CodecError('receivedAt', 'is not a valid date');
    date = receivedAt;
  } else {
    date = new Date(parseTimestamp(body.ts, 'payload.ts'));
  }

  let sequence = date.getTime();
  if (body.seq !== undefined) {
    if (typeof body.seq !== 'number' || !Number.isSafeInteger(body.seq) || body.seq < 0) {
      throw new CodecError('payload.seq', `must be a non-negative integer, got ${describe(body.seq)}`);
    }
    sequence = body.seq;
  }

  let source = SHOPFLOOR_DEFAULT_SOURCE;
  if (body.src !== undefined) {
    if (typeof body.src !== 'string' || body.src.length === 0 || body.src.length > MAX_SOURCE_LENGTH) {
      throw new CodecError('payload.src', `must be a non-empty string of at most ${MAX_SOURCE_LENGTH} characters`);
    }
    source = body.src;
  }

  return {
    machineId: parsedTopic.machineId,
    timestamp: date.toISOString(),
    source,
    sequence,
    kind,
    metric: parsedTopic.metric,
    value: decodeValue(kind, body.value),
  };
}

export function encodeShopfloorMessage(event: MachineEvent, department: string): { topic: string; payload: string } {
  const topic = shopfloorTopic(department, event.machineId, event.metric);
  const expected = shopfloorKindOf(event.metric);
  if (event.kind !== expected) {
    throw new CodecError('kind', `metric "${event.metric}" travels as kind "${expected}", not "${event.kind}"`);
  }
  if (!Number.isSafeInteger(event.sequence) || event.sequence < 0) {
    throw new CodecError('sequence', `must be a non-negative integer, got ${describe(event.sequence)}`);
  }
  if (typeof event.source !== 'string' || event.source.length === 0 || event.source.length > MAX_SOURCE_LENGTH) {
    throw new CodecError('source', `must be a non-empty string of at most ${MAX_SOURCE_LENGTH} characters`);
  }
  const ts = new Date(parseTimestamp(event.timestamp, 'timestamp')).toISOString();
  // Run the value through the same check the receiver applies, so nothing leaves that will bounce.
  const value = decodeValue(event.kind, event.value, 'value');
  return { topic, payload: JSON.stringify({ ts, seq: event.sequence, src: event.source, value }) };
}

interface RawBody {
  ts?: unknown;
  seq?: unknown;
  src?: unknown;
  value: unknown;
}

function parseBody(payload: Uint8Array | string): RawBody {
  let text: string;
  if (typeof payload === 'string') {
    text = payload;
  } else if (payload instanceof Uint8Array) {
    if (payload.byteLength > SHOPFLOOR_MAX_PAYLOAD_BYTES) {
      throw new CodecError('payload', `is ${payload.byteLength} bytes, more than ${SHOPFLOOR_MAX_PAYLOAD_BYTES}`);
    }
    try {
      text = UTF8.decode(payload);
    } catch (cause) {
      throw new CodecError('payload', 'is not valid UTF-8', { cause });
    }
  } else {
    throw new CodecError('payload', 'must be a string or bytes');
  }
  if (text.length > SHOPFLOOR_MAX_PAYLOAD_BYTES) {
    throw new CodecError('payload', `is longer than ${SHOPFLOOR_MAX_PAYLOAD_BYTES} characters`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CodecError(
      'payload',
      `is not JSON ("${clip(text)}"); send {"value": ...} or a bare JSON number or "quoted string"`,
      { cause },
    );
  }
  if (typeof json === 'number' || typeof json === 'string' || typeof json === 'boolean') return { value: json };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new CodecError('payload', `must be a JSON object, number or string, got ${describe(json)}`);
  }
  const record = json as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(record, 'value')) {
    throw new CodecError('payload.value', 'is missing');
  }
  return { ts: record.ts, seq: record.seq, src: record.src, value: record.value };
}

function decodeValue(kind: MachineEventKind, value: unknown, field = 'payload.value'): MachineEvent['value'] {
  switch (kind) {
    case 'state':
      if (!isMachineState(value)) {
        throw new CodecError(field, `must be one of ${MACHINE_STATES.join(', ')}, got ${describe(value)}`);
      }
      return value;
    case 'count':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw new CodecError(field, `a count must be a non-negative integer, got ${describe(value)}`);
      }
      return value;
    case 'alarm':
      return decodeAlarm(value, field);
    case 'metric':
      if (value === null || typeof value === 'string') return value;
      // MachineEvent has no boolean: flags (door open, beam on) become 1/0 so they chart and sum.
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw new CodecError(field, `a metric must be a finite number, string, boolean or null, got ${describe(value)}`);
  }
}

function decodeAlarm(value: unknown, field: string): AlarmValue {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CodecError(field, `an alarm must be {"code", "active", "severity", "message"}, got ${describe(value)}`);
  }
  const raw = value as Record<string, unknown>;
  if (typeof raw.code !== 'string' || raw.code.length === 0) {
    throw new CodecError(`${field}.code`, `must be a non-empty string, got ${describe(raw.code)}`);
  }
  if (typeof raw.active !== 'boolean') {
    throw new CodecError(`${field}.active`, `must be true or false, got ${describe(raw.active)}`);
  }
  const severity = raw.severity ?? 'fault';
  if (severity !== 'fault' && severity !== 'warning') {
    throw new CodecError(`${field}.severity`, `must be "fault" or "warning", got ${describe(severity)}`);
  }
  const message = raw.message ?? '';
  if (typeof message !== 'string') {
    throw new CodecError(`${field}.message`, `must be a string, got ${describe(message)}`);
  }
  return { code: raw.code, active: raw.active, severity, message };
}

const ISO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Epoch ms of an ISO 8601 instant (with Z or an offset) or of an epoch-ms number. Hand-parsed
 * because Date.parse rolls "02-30" over into March and reads zone-less strings as local time.
 */
function parseTimestamp(raw: unknown, field: string): number {
  let ms: number;
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw new CodecError(field, `must be a finite epoch-ms number, got ${describe(raw)}`);
    ms = Math.floor(raw);
  } else if (typeof raw === 'string') {
    const m = ISO_PATTERN.exec(raw);
    if (!m) {
      throw new CodecError(field, `"${clip(raw)}" is not ISO 8601 with a zone, e.g. 2026-03-01T06:00:00.000Z`);
    }
    const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const second = m[6] === undefined ? 0 : Number(m[6]);
    const milli = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
      throw new CodecError(field, `"${clip(raw)}" is not a real calendar date and time`);
    }
    let offsetMinutes = 0;
    if (m[8] !== 'Z') {
      const offH = Number(m[10]);
      const offM = Number(m[11]);
      if (offH > 23 || offM > 59) throw new CodecError(field, `"${clip(raw)}" has an impossible zone offset`);
      offsetMinutes = (m[9] === '-' ? -1 : 1) * (offH * 60 + offM);
    }
    const base = new Date(0);
    base.setUTCFullYear(year, month - 1, day); // Date.UTC maps years 0-99 to 19xx
    base.setUTCHours(hour, minute, second, milli);
    ms = base.getTime() - offsetMinutes * 60_000;
  } else {
    throw new CodecError(field, `must be an ISO 8601 string or epoch ms, got ${describe(raw)}`);
  }
  if (ms < 0 || ms > MAX_EPOCH_MS) {
    throw new CodecError(field, 'must lie between 1970-01-01 and 9999-12-31 UTC');
  }
  return ms;
}

function segmentProblem(segment: string): string | null {
  if (segment.length === 0) return 'must not be empty';
  if (/[/+#]/.test(segment) || segment.includes(NUL)) return 'must not contain "/", "+", "#" or NUL';
  return null;
}

function assertSegment(field: string, segment: unknown): void {
  if (typeof segment !== 'string') throw new CodecError(field, `must be a string, got ${describe(segment)}`);
  const problem = segmentProblem(segment);
  if (problem) throw new CodecError(field, `"${clip(segment)}" ${problem} (it is a topic segment)`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${clip(value)}"`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
