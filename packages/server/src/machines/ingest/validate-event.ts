import { isMachineState, type AlarmValue, type MachineEvent } from '@kerf/connectors';
import { findUnstorable } from '../../platform/storable-text.js';

/** Unstorable text is refused here, before it can reach (and fail) a whole batch. */
function textProblem(field: string, s: string): string | null {
  const bad = findUnstorable(s);
  if (!bad) return null;
  const what = bad.kind === 'nul' ? 'a NUL character (U+0000)' : 'an unpaired UTF-16 surrogate';
  return `${field}: contains ${what} at position ${bad.index}, which cannot be stored`;
}

/** The first unstorable string anywhere in a JSON-like value (alarm objects). */
function deepTextProblem(field: string, v: unknown, depth = 0): string | null {
  if (typeof v === 'string') return textProblem(field, v);
  if (typeof v !== 'object' || v === null || depth > 8) return null;
  for (const [k, inner] of Object.entries(v)) {
    const p = textProblem(`${field}.(key)`, k) ?? deepTextProblem(`${field}.${k}`, inner, depth + 1);
    if (p) return p;
  }
  return null;
}

/** Why an event cannot be stored, naming the field; null when it is well formed. */
export function eventProblem(e: MachineEvent): string | null {
  if (typeof e !== 'object' || e === null) return 'event: expected an object';
  if (typeof e.machineId !== 'string' || e.machineId === '' || e.machineId.length > 50)
    return 'machineId: expected 1-50 characters';
  if (typeof e.timestamp !== 'string' || Number.isNaN(Date.parse(e.timestamp)))
    return 'timestamp: expected an ISO 8601 time';
  if (typeof e.source !== 'string' || e.source === '' || e.source.length > 200)
    return 'source: expected 1-200 characters';
  if (!Number.isSafeInteger(e.sequence) || e.sequence < 0) return 'sequence: expected a non-negative integer';
  if (typeof e.metric !== 'string' || e.metric === '' || e.metric.length > 100)
    return 'metric: expected 1-100 characters';
  const text =
    textProblem('machineId', e.machineId) ??
    textProblem('source', e.source) ??
    textProblem('metric', e.metric) ??
    deepTextProblem('value', e.value);
  if (text) return text;
  switch (e.kind) {
    case 'state':
      return isMachineState(e.value) ? null : `value: "${String(e.value)}" is not a machine state`;
    case 'count':
      return typeof e.value === 'number' && Number.isFinite(e.value) ? null : 'value: a count must be a number';
    case 'alarm':
      return isAlarmValue(e.value) ? null : 'value: an alarm needs code (text) and active (true/false)';
    case 'metric':
      return e.value === null ||
        typeof e.value === 'string' ||
        (typeof e.value === 'number' && Number.isFinite(e.value))
        ? null
        : 'value: a metric is a number, text or null';
    default:
      return `kind: "${String((e as { kind: unknown }).kind)}" is not state, count, metric or alarm`;
  }
}

export function isAlarmValue(v: unknown): v is AlarmValue {
  if (typeof v !== 'object' || v === null) return false;
  const a = v as Partial<AlarmValue>;
  return typeof a.code === 'string' && a.code !== '' && typeof a.active === 'boolean';
}
