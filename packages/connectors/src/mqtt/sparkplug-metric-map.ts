/**
 * Which Sparkplug metric names become which Kerf metrics. Sparkplug names are free-form
 * ("Machine/State", "PartCount"), so the map is configurable per site; the defaults cover the
 * names our simulator and common edge templates use.
 */
import { CodecError } from '../codec-error.js';
import { isMachineState, type AlarmSeverity, type AlarmValue, type MachineState } from '../machine-event.js';
import type { SparkplugValue } from './sparkplug-payload.js';

export type SparkplugMetricTarget =
  | { kind: 'state' }
  | { kind: 'count'; metric: string }
  | { kind: 'metric'; metric: string }
  | { kind: 'alarm'; code: string };

export type SparkplugMetricMap = (name: string) => SparkplugMetricTarget | null;

export const DEFAULT_SPARKPLUG_METRICS: Readonly<Record<string, SparkplugMetricTarget>> = {
  State: { kind: 'state' },
  PartCount: { kind: 'count', metric: 'part_count' },
  ScrapCount: { kind: 'count', metric: 'scrap_count' },
  CycleTime: { kind: 'metric', metric: 'cycle_time' },
  Program: { kind: 'metric', metric: 'program' },
  SpindleSpeed: { kind: 'metric', metric: 'spindle_speed' },
  FeedRate: { kind: 'metric', metric: 'feed_rate' },
  Execution: { kind: 'metric', metric: 'execution' },
};

/** Prefixes whose remainder is the alarm code, e.g. "Alarm/E-117". */
const ALARM_PREFIXES = ['Alarm/', 'Alarms/'];
/** Sparkplug's own bookkeeping, never machine data. */
const RESERVED = /^(bdSeq$|Node Control\/|Device Control\/|Properties\/)/;

/**
 * @param overrides exact metric names; `null` ignores a name the defaults would map.
 * @param passThrough map every other name to a snake_case Kerf metric ("Spindle Load" ->
 *   "spindle_load"; names ending in Count become counts) instead of ignoring it.
 */
export function sparkplugMetricMap(
  overrides: Readonly<Record<string, SparkplugMetricTarget | null>> = {},
  options: { passThrough?: boolean } = {},
): SparkplugMetricMap {
  return (name) => {
    if (Object.prototype.hasOwnProperty.call(overrides, name)) return overrides[name] ?? null;
    if (RESERVED.test(name)) return null;
    const known = DEFAULT_SPARKPLUG_METRICS[name];
    if (known) return known;
    for (const prefix of ALARM_PREFIXES) {
      if (name.startsWith(prefix) && name.length > prefix.length)
        return { kind: 'alarm', code: name.slice(prefix.length) };
    }
    if (!options.passThrough) return null;
    const metric = snakeCase(name);
    if (!metric) return null;
    return metric.endsWith('_count') ? { kind: 'count', metric } : { kind: 'metric', metric };
  };
}

export const defaultSparkplugMetricMap: SparkplugMetricMap = sparkplugMetricMap();

function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

const STATE_SYNONYMS: Readonly<Record<string, MachineState>> = {
  active: 'running',
  run: 'running',
  producing: 'running',
  ready: 'idle',
  waiting: 'idle',
  setting_up: 'setup',
  changeover: 'setup',
  fault: 'alarm',
  error: 'alarm',
  stop: 'stopped',
  disconnected: 'offline',
};

export function sparkplugStateValue(value: SparkplugValue, field: string): MachineState {
  if (typeof value === 'string') {
    const key = value
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (isMachineState(key)) return key;
    const synonym = STATE_SYNONYMS[key];
    if (synonym) return synonym;
  }
  throw new CodecError(
    field,
    `a State must be a text like running/idle/setup/alarm/offline/stopped, got ${String(value)}`,
  );
}

export function sparkplugCountValue(value: SparkplugValue, field: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new CodecError(field, `a count must be a non-negative integer, got ${String(value)}`);
}

export function sparkplugMetricValue(value: SparkplugValue, field: string): number | string | null {
  if (value === null || typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new CodecError(field, 'bytes and non-finite numbers have no Kerf metric form');
}

/** Alarm metric value: a boolean (or 0/1, or a non-empty text = active with that message). */
export function sparkplugAlarmValue(
  code: string,
  value: SparkplugValue,
  properties: Readonly<Record<string, SparkplugValue>> | undefined,
  field: string,
): AlarmValue {
  let active: boolean;
  let message = typeof properties?.Message === 'string' ? properties.Message : '';
  if (typeof value === 'boolean') active = value;
  else if (typeof value === 'number') active = value !== 0;
  else if (typeof value === 'string') {
    active = value.length > 0;
    if (active) message = value;
  } else if (value === null) active = false;
  else throw new CodecError(field, 'an alarm must be a boolean, number or text');
  const severityProp = typeof properties?.Severity === 'string' ? properties.Severity.toLowerCase() : 'fault';
  const severity: AlarmSeverity = severityProp === 'warning' ? 'warning' : 'fault';
  return { code, active, severity, message };
}
