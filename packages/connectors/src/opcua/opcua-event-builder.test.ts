import { describe, expect, test } from 'vitest';
import { machineryToMachineState } from './machinery-state.js';
import { OpcUaEventBuilder, parseAlarmEntry, type NodeReport } from './opcua-event-builder.js';

const T0 = Date.parse('2026-11-25T08:00:00.000Z');
const received = new Date(T0 + 60_000);

function report(
  role: NodeReport['role'],
  value: NodeReport['value'],
  atMs: number | null,
  machineId = 'PUN-01',
): NodeReport {
  return { machineId, role, value, sourceTimestamp: atMs === null ? null : new Date(atMs), receivedAt: received };
}
const count = { role: 'metric', metric: 'part_count', kind: 'count' } as const;
const item = { role: 'itemState' } as const;
const mode = { role: 'operationMode' } as const;
const alarms = { role: 'alarms' } as const;

describe('machineryToMachineState', () => {
  test.each([
    ['NotAvailable', 'None', 'offline'],
    ['NotAvailable', 'Processing', 'offline'],
    ['OutOfService', 'Maintenance', 'stopped'],
    ['OutOfService', 'Processing', 'alarm'],
    ['OutOfService', null, 'alarm'],
    ['Executing', 'Processing', 'running'],
    ['Executing', 'Setup', 'setup'],
    ['Executing', null, 'running'],
    ['NotExecuting', 'Processing', 'idle'],
    ['NotExecuting', 'Setup', 'setup'],
    ['NotExecuting', 'Maintenance', 'stopped'],
    ['NotExecuting', 'None', 'idle'],
  ])('%s + %s -> %s', (itemState, operationMode, expected) => {
    expect(machineryToMachineState(itemState, operationMode)).toBe(expected);
  });

  test('an unknown item state gives nothing rather than a guess', () => {
    expect(machineryToMachineState('Ausgeführt', 'Processing')).toBeNull();
    expect(machineryToMachineState(null, 'Setup')).toBeNull();
  });
});

describe('OpcUaEventBuilder', () => {
  test('a repeated report (same value, same source timestamp) is dropped, also under a new source', () => {
    const b = new OpcUaEventBuilder();
    expect(b.build([report(count, 5, T0)], 'opcua:x:1')).toHaveLength(1);
    expect(b.build([report(count, 5, T0)], 'opcua:x:1')).toEqual([]);
    expect(b.build([report(count, 5, T0)], 'opcua:x:2')).toEqual([]);
    // the same value reported again at a later time is a new report
    expect(b.build([report(count, 5, T0 + 10)], 'opcua:x:2')).toHaveLength(1);
    // without a timestamp only the value can tell a repeat
    expect(b.build([report(count, 6, null)], 'opcua:x:2')).toHaveLength(1);
    expect(b.build([report(count, 6, null)], 'opcua:x:2')).toEqual([]);
  });

  test('sequence: source ms * 1000, strictly growing within a source even when the clock steps back', () => {
    const b = new OpcUaEventBuilder();
    const first = b.build([report(count, 1, T0), report(count, 2, T0)], 's1');
    // two reports of one node in one batch: both kept, the second one's sequence is the next integer
    expect(first.map((e) => e.sequence)).toEqual([T0 * 1000, T0 * 1000 + 1]);
    const back = b.build([report(count, 3, T0 - 5000)], 's1');
    expect(back[0]?.sequence).toBe(T0 * 1000 + 2);
    expect(back[0]?.timestamp).toBe(new Date(T0 - 5000).toISOString());
    const next = b.build([report(count, 4, T0 + 1)], 's2');
    expect(next[0]).toMatchObject({ source: 's2', sequence: (T0 + 1) * 1000, kind: 'count', metric: 'part_count' });
  });

  test('the state is derived from both state machines and emitted only when it changes', () => {
    const b = new OpcUaEventBuilder();
    const e1 = b.build([report(item, 'Executing', T0), report(mode, 'Processing', T0)], 's');
    expect(e1.map((e) => [e.kind, e.metric, e.value])).toEqual([['state', 'state', 'running']]);
    // mode Setup -> setup, arriving alone
    expect(b.build([report(mode, 'Setup', T0 + 5)], 's').map((e) => e.value)).toEqual(['setup']);
    // item state changes but the derived state stays setup: nothing
    expect(b.build([report(item, 'NotExecuting', T0 + 6)], 's')).toEqual([]);
    expect(b.build([report(mode, 'Processing', T0 + 7)], 's').map((e) => e.value)).toEqual(['idle']);
    // an operation mode alone (item state unknown) says nothing
    const other = b.build([report(mode, 'Processing', T0, 'LAS-01')], 's');
    expect(other).toEqual([]);
  });

  test('alarms: raises and clears are the difference between sets, a changed message re-raises', () => {
    const b = new OpcUaEventBuilder();
    const a = JSON.stringify({ code: 'E1', severity: 'warning', message: 'Door open' });
    const c = JSON.stringify({ code: 'E2', message: 'Hydraulics' });
    expect(b.build([report(alarms, [a, c], T0)], 's').map((e) => e.value)).toEqual([
      { code: 'E1', active: true, severity: 'warning', message: 'Door open' },
      { code: 'E2', active: true, severity: 'fault', message: 'Hydraulics' },
    ]);
    const c2 = JSON.stringify({ code: 'E2', message: 'Hydraulics: pressure 20 bar' });
    expect(b.build([report(alarms, [c2], T0 + 1)], 's').map((e) => e.value)).toEqual([
      { code: 'E2', active: true, severity: 'fault', message: 'Hydraulics: pressure 20 bar' },
      { code: 'E1', active: false, severity: 'warning', message: 'Door open' },
    ]);
    expect(b.build([report(alarms, [], T0 + 2)], 's').map((e) => e.value)).toEqual([
      { code: 'E2', active: false, severity: 'fault', message: 'Hydraulics: pressure 20 bar' },
    ]);
    expect(b.build([report(alarms, [], T0 + 3)], 's')).toEqual([]);
  });

  test('events of a batch come out in timestamp order with the batch source', () => {
    const b = new OpcUaEventBuilder();
    const events = b.build(
      [report(count, 9, T0 + 20), report({ role: 'metric', metric: 'program', kind: 'metric' }, 'P1', T0 + 10)],
      'src',
    );
    expect(events.map((e) => [e.metric, e.timestamp, e.source])).toEqual([
      ['program', new Date(T0 + 10).toISOString(), 'src'],
      ['part_count', new Date(T0 + 20).toISOString(), 'src'],
    ]);
  });
});

describe('parseAlarmEntry', () => {
  test('JSON objects, bare codes, and junk', () => {
    expect(parseAlarmEntry('{"code": 17, "severity": "warning", "message": "Low oil"}')).toEqual({
      code: '17',
      active: true,
      severity: 'warning',
      message: 'Low oil',
    });
    expect(parseAlarmEntry('E42')).toEqual({ code: 'E42', active: true, severity: 'fault', message: '' });
    expect(parseAlarmEntry('  ')).toBeNull();
    expect(parseAlarmEntry('{"message": "no code"}')).toBeNull();
    expect(parseAlarmEntry('{not json')).toBeNull();
  });
});

describe('OpcUaEventBuilder state steps within one batch', () => {
  test('a short stop inside one publish is kept; item state and mode sharing a timestamp are one step', () => {
    const b = new OpcUaEventBuilder();
    const events = b.build(
      [
        report(item, 'Executing', T0),
        report(item, 'NotExecuting', T0 + 100),
        report(item, 'Executing', T0 + 200),
        report(mode, 'Processing', T0),
        report(mode, 'Setup', T0 + 300),
        report(item, 'NotExecuting', T0 + 300),
      ],
      's',
    );
    expect(events.map((e) => [e.value, Date.parse(e.timestamp) - T0])).toEqual([
      ['running', 0],
      ['idle', 100],
      ['running', 200],
      // NotExecuting + Setup at once: setup, with no "idle" in between
      ['setup', 300],
    ]);
  });
});
