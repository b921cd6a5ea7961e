/**
 * Sparkplug B payload codec on the protobuf classes shipped in `sparkplug-payload`. We use the
 * generated classes rather than the package's `get('spBv1.0')` helpers because those need a
 * datatype on every metric, while Sparkplug says NDATA/DDATA should carry only alias + value:
 * the host must resolve the datatype from the birth (PROTOCOLS.md 4.3).
 */
import sparkplugProto from 'sparkplug-payload/lib/sparkplugPayloadProto.js';
import { CodecError } from '../codec-error.js';

const { Payload } = sparkplugProto.org.eclipse.tahu.protobuf;
type RawMetric = sparkplugProto.org.eclipse.tahu.protobuf.Payload.IMetric;
type RawPropertyValue = sparkplugProto.org.eclipse.tahu.protobuf.Payload.IPropertyValue;

/** Sparkplug DataType numbers (PROTOCOLS.md 4.3); the scalar ones Kerf reads and writes. */
export const SparkplugDataType = {
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  Text: 14,
  UUID: 15,
  Bytes: 17,
  File: 18,
} as const;
export type SparkplugTypeName = keyof typeof SparkplugDataType;

/** DataSet, Template, arrays and property sets decode to null: no Kerf metric needs them. */
export type SparkplugValue = number | boolean | string | Uint8Array | null;

export interface SparkplugMetric {
  name?: string;
  alias?: number;
  timestamp?: number;
  datatype?: number;
  isNull?: boolean;
  value: SparkplugValue;
  /** Scalar metric properties (PropertySet), e.g. an alarm's "Message" or "Severity". */
  properties?: Record<string, SparkplugValue>;
}

export interface SparkplugPayload {
  timestamp?: number;
  seq?: number;
  uuid?: string;
  metrics: SparkplugMetric[];
}

/** For data messages without datatypes: the datatype the birth declared for this metric. */
export type SparkplugDatatypeResolver = (metric: { name?: string; alias?: number }) => number | undefined;

interface LongLike {
  low: number;
  high: number;
}

/** protobufjs hands 64-bit fields over as Long objects; Kerf's values are JS numbers. */
function toNumber(value: number | LongLike | null | undefined, signed: boolean): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const high = signed ? value.high | 0 : value.high >>> 0;
  return high * 4_294_967_296 + (value.low >>> 0);
}

function interpret(raw: RawMetric | RawPropertyValue, datatype: number | undefined): SparkplugValue {
  if (raw.isNull) return null;
  // A sender that filled a different value field than its birth's datatype implies still meant a value.
  return byDatatype(raw, datatype) ?? anyValueField(raw);
}

function byDatatype(raw: RawMetric | RawPropertyValue, datatype: number | undefined): SparkplugValue {
  const T = SparkplugDataType;
  const int = raw.intValue ?? undefined;
  switch (datatype) {
    case T.Int8:
      return int === undefined ? null : (int << 24) >> 24;
    case T.Int16:
      return int === undefined ? null : (int << 16) >> 16;
    case T.Int32:
      return int === undefined ? null : int | 0;
    case T.UInt8:
    case T.UInt16:
    case T.UInt32:
      return int === undefined ? null : int >>> 0;
    case T.Int64:
      return toNumber(raw.longValue, true) ?? null;
    case T.UInt64:
    case T.DateTime:
      return toNumber(raw.longValue, false) ?? null;
    case T.Float:
      return raw.floatValue ?? null;
    case T.Double:
      return raw.doubleValue ?? null;
    case T.Boolean:
      return raw.booleanValue ?? null;
    case T.String:
    case T.Text:
    case T.UUID:
      return raw.stringValue ?? null;
    case T.Bytes:
    case T.File:
      return 'bytesValue' in raw ? (raw.bytesValue ?? null) : null;
    default:
      return null;
  }
}

function anyValueField(raw: RawMetric | RawPropertyValue): SparkplugValue {
  const int = raw.intValue ?? undefined;
  if (int !== undefined) return int;
  if (raw.longValue !== undefined && raw.longValue !== null) return toNumber(raw.longValue, true) ?? null;
  if (raw.floatValue !== undefined && raw.floatValue !== null) return raw.floatValue;
  if (raw.doubleValue !== undefined && raw.doubleValue !== null) return raw.doubleValue;
  if (raw.booleanValue !== undefined && raw.booleanValue !== null) return raw.booleanValue;
  if (raw.stringValue !== undefined && raw.stringValue !== null) return raw.stringValue;
  return null;
}

export function decodeSparkplugPayload(
  bytes: Uint8Array,
  resolveDatatype?: SparkplugDatatypeResolver,
): SparkplugPayload {
  let message: sparkplugProto.org.eclipse.tahu.protobuf.Payload;
  try {
    message = Payload.decode(bytes);
  } catch (cause) {
    throw new CodecError('payload', `is not a Sparkplug B protobuf payload (${(cause as Error).message})`, { cause });
  }
  const metrics = (message.metrics ?? []).map((raw, index): SparkplugMetric => {
    const metric: SparkplugMetric = { value: null };
    // protobufjs decodes absent string fields to the prototype default "", so test own properties.
    if (Object.prototype.hasOwnProperty.call(raw, 'name')) metric.name = raw.name ?? undefined;
    if (Object.prototype.hasOwnProperty.call(raw, 'alias')) metric.alias = toNumber(raw.alias, false);
    if (Object.prototype.hasOwnProperty.call(raw, 'timestamp')) metric.timestamp = toNumber(raw.timestamp, false);
    if (Object.prototype.hasOwnProperty.call(raw, 'datatype')) metric.datatype = raw.datatype ?? undefined;
    if (raw.isNull) metric.isNull = true;
    if (metric.name === undefined && metric.alias === undefined) {
      throw new CodecError(`metrics[${index}]`, 'has neither a name nor an alias');
    }
    const datatype = metric.datatype ?? resolveDatatype?.({ name: metric.name, alias: metric.alias });
    metric.value = interpret(raw, datatype);
    const props = raw.properties;
    if (props?.keys && props.values && props.keys.length > 0) {
      metric.properties = {};
      props.keys.forEach((key, i) => {
        const value = props.values?.[i];
        if (value && metric.properties) metric.properties[key] = interpret(value, value.type ?? undefined);
      });
    }
    return metric;
  });
  const payload: SparkplugPayload = { metrics };
  if (Object.prototype.hasOwnProperty.call(message, 'timestamp')) {
    payload.timestamp = toNumber(message.timestamp, false);
  }
  if (Object.prototype.hasOwnProperty.call(message, 'seq')) payload.seq = toNumber(message.seq, false);
  if (Object.prototype.hasOwnProperty.call(message, 'uuid') && message.uuid) payload.uuid = message.uuid;
  return payload;
}

export interface SparkplugMetricInput {
  name?: string;
  alias?: number;
  timestamp?: number;
  /** Required on births; data messages may leave it out and send the alias only. */
  type?: SparkplugTypeName;
  /** false: encode the value by `type` but leave the datatype off the wire (NDATA/DDATA style). */
  sendDatatype?: boolean;
  value: SparkplugValue;
  properties?: Record<string, { type: SparkplugTypeName; value: SparkplugValue }>;
}

export interface SparkplugPayloadInput {
  timestamp?: number;
  seq?: number;
  metrics: SparkplugMetricInput[];
}

function valueFields(type: SparkplugTypeName | undefined, value: SparkplugValue, field: string): RawMetric {
  if (value === null) return { isNull: true };
  const expectNumber = (): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new CodecError(field, `a ${type ?? 'numeric'} value must be a finite number`);
    }
    return value;
  };
  switch (type) {
    case 'Int8':
    case 'Int16':
    case 'Int32':
    case 'UInt8':
    case 'UInt16':
    case 'UInt32':
      return { intValue: Math.trunc(expectNumber()) >>> 0 };
    case 'Int64':
    case 'UInt64':
    case 'DateTime':
      return { longValue: Math.trunc(expectNumber()) };
    case 'Float':
      return { floatValue: expectNumber() };
    case 'Double':
      return { doubleValue: expectNumber() };
    case 'Boolean':
      if (typeof value !== 'boolean') throw new CodecError(field, 'a Boolean value must be true or false');
      return { booleanValue: value };
    case 'String':
    case 'Text':
    case 'UUID':
      if (typeof value !== 'string') throw new CodecError(field, `a ${type} value must be a string`);
      return { stringValue: value };
    case 'Bytes':
    case 'File':
      if (!(value instanceof Uint8Array)) throw new CodecError(field, `a ${type} value must be bytes`);
      return { bytesValue: value };
    case undefined:
      // Alias-only data: pick the field from the JS type; the receiver reads it by the birth's datatype.
      if (typeof value === 'boolean') return { booleanValue: value };
      if (typeof value === 'string') return { stringValue: value };
      if (value instanceof Uint8Array) return { bytesValue: value };
      return Number.isInteger(value) ? { longValue: value } : { doubleValue: value };
  }
}

export function encodeSparkplugPayload(input: SparkplugPayloadInput): Uint8Array {
  const metrics = input.metrics.map((metric, index): RawMetric => {
    const field = `metrics[${index}]`;
    if (metric.name === undefined && metric.alias === undefined) {
      throw new CodecError(field, 'needs a name or an alias');
    }
    const raw: RawMetric = { ...valueFields(metric.type, metric.value, `${field}.value`) };
    if (metric.name !== undefined) raw.name = metric.name;
    if (metric.alias !== undefined) raw.alias = metric.alias;
    if (metric.timestamp !== undefined) raw.timestamp = metric.timestamp;
    if (metric.type !== undefined && metric.sendDatatype !== false) raw.datatype = SparkplugDataType[metric.type];
    if (metric.properties) {
      const keys = Object.keys(metric.properties);
      raw.properties = {
        keys,
        values: keys.map((key) => {
          const prop = metric.properties?.[key] as { type: SparkplugTypeName; value: SparkplugValue };
          const fields = valueFields(prop.type, prop.value, `${field}.properties.${key}`);
          return { type: SparkplugDataType[prop.type], ...fields } as RawPropertyValue;
        }),
      };
    }
    return raw;
  });
  const message: sparkplugProto.org.eclipse.tahu.protobuf.IPayload = { metrics };
  if (input.timestamp !== undefined) message.timestamp = input.timestamp;
  if (input.seq !== undefined) message.seq = input.seq;
  // Plain objects satisfy the generated encoder; fromObject would only copy them first.
  return Payload.encode(message).finish();
}
