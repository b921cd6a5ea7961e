import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MachineEvent } from '../machine-event.js';
import { MTConnectMapper, SEQUENCE_SLOTS } from './mapper.js';
import { parseDevicesDocument, parseStreamsDocument } from './parse-document.js';

const FIXTURES = fileURLToPath(new URL('../../test-data/mtconnect', import.meta.url));
const read = (name: string) => readFileSync(`${FIXTURES}/${name}`, 'utf8');

interface Obs {
  el: string;
  seq: number;
  value?: string;
  id?: string;
  section?: 'Samples' | 'Events' | 'Condition';
  attrs?: string;
}

/** A one-device Streams document from terse observation specs. */
function streams(instanceId: string, observations: Obs[], device = 'LAS-01'): string {
  const body = observations
    .map((o) => {
      const section = o.section ?? 'Events';
      const id = o.id ?? o.el.toLowerCase();
      const ts = `2024-05-01T10:00:${String(o.seq % 60).padStart(2, '0')}Z`;
      return `<${section}><${o.el} dataItemId="${id}" sequence="${o.seq}" timestamp="${ts}" ${o.attrs ?? ''}>${o.value ?? ''}</${o.el}></${section}>`;
    })
    .join('');
  const last = Math.max(0, ...observations.map((o) => o.seq));
  return `<MTConnectStreams xmlns="urn:mtconnect.org:MTConnectStreams:2.0"><Header instanceId="${instanceId}" nextSequence="${last + 1}" firstSequence="1" lastSequence="${last}"/>
    <Streams><DeviceStream name="${device}" uuid="u-${device}"><ComponentStream component="Path" componentId="p">${body}</ComponentStream></DeviceStream></Streams></MTConnectStreams>`;
}

const states = (events: MachineEvent[]) => events.filter((e) => e.kind === 'state').map((e) => e.value);
const alarms = (events: MachineEvent[]) => events.filter((e) => e.kind === 'alarm').map((e) => e.value);

describe('MTConnectMapper', () => {
  it('maps the 2.0 current fixture: OKUMA running, Agent device skipped, counts and program', () => {
    const mapper = new MTConnectMapper({ machines: { 'OKUMA.123456': 'LAT-01' } });
    mapper.setDevices(parseDevicesDocument(read('devices_2.0_okuma_intelagent_probe.xml')).devices);
    const events = mapper.current(parseStreamsDocument(read('streams_2.0_okuma_intelagent_current.xml')));
    const machines = new Set(events.map((e) => e.machineId));
    expect(machines).toEqual(new Set(['LAT-01', 'Mazak']));
    const okuma = events.filter((e) => e.machineId === 'LAT-01');
    expect(states(okuma)).toEqual(['running']);
    expect(okuma.find((e) => e.metric === 'controller_mode')?.value).toBe('AUTOMATIC');
    expect(okuma.find((e) => e.kind === 'count')?.metric).toBe('part_count');
    expect(typeof okuma.find((e) => e.metric === 'program')?.value).toBe('string');
    expect(events.every((e) => e.source === 'mtconnect:1743558962')).toBe(true);
    const seqs = events.map((e) => e.sequence);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('maps the 1.1 OMAX capture without a probe (no Z timestamps become UTC)', () => {
    const events = new MTConnectMapper().current(parseStreamsDocument(read('streams_1.1_omax_waterjet_current.xml')));
    expect(states(events)).toEqual(['running']);
    expect(events.find((e) => e.metric === 'program')?.value).toBe('O-LOGO2.ORD');
    const state = events.find((e) => e.kind === 'state')!;
    expect(state.timestamp).toMatch(/^2014-06-06T.*Z$/);
  });

  it.each([
    [['AVAILABLE', 'ACTIVE', 'AUTOMATIC'], 'running'],
    [['AVAILABLE', 'ACTIVE', 'MANUAL'], 'running'],
    [['AVAILABLE', 'READY', 'MANUAL'], 'setup'],
    [['AVAILABLE', 'READY', 'EDIT'], 'setup'],
    [['AVAILABLE', 'STOPPED', 'MANUAL_DATA_INPUT'], 'setup'],
    [['AVAILABLE', 'READY', 'AUTOMATIC'], 'idle'],
    [['AVAILABLE', 'PROGRAM_COMPLETED', 'AUTOMATIC'], 'idle'],
    [['AVAILABLE', 'WAIT', 'AUTOMATIC'], 'idle'],
    [['AVAILABLE', 'FEED_HOLD', 'AUTOMATIC'], 'stopped'],
    [['AVAILABLE', 'INTERRUPTED', 'AUTOMATIC'], 'stopped'],
    [['AVAILABLE', 'PROGRAM_STOPPED', 'AUTOMATIC'], 'stopped'],
    [['AVAILABLE', 'OPTIONAL_STOP', 'AUTOMATIC'], 'stopped'],
    [['AVAILABLE', 'UNAVAILABLE', 'AUTOMATIC'], 'offline'],
    [['UNAVAILABLE', 'ACTIVE', 'AUTOMATIC'], 'offline'],
  ])('availability/execution/mode %j -> %s', ([availability, execution, mode], expected) => {
    const events = new MTConnectMapper().sample(
      parseStreamsDocument(
        streams('1', [
          { el: 'Availability', seq: 1, value: availability },
          { el: 'ControllerMode', seq: 2, value: mode },
          { el: 'Execution', seq: 3, value: execution },
        ]),
      ),
    );
    expect(states(events).at(-1)).toBe(expected);
  });

  it('conditions: faults raise alarm state, Normal with a code clears that code, Normal without clears all', () => {
    const mapper = new MTConnectMapper();
    const c = (seq: number, el: string, code?: string, text = '') => ({
      el,
      seq,
      id: 'sys',
      section: 'Condition' as const,
      value: text,
      attrs: `type="SYSTEM"${code === undefined ? '' : ` nativeCode="${code}"`}`,
    });
    const events = mapper.sample(
      parseStreamsDocument(
        streams('9', [
          { el: 'Availability', seq: 1, value: 'AVAILABLE' },
          { el: 'Execution', seq: 2, value: 'ACTIVE' },
          c(3, 'Fault', 'E1', 'Door open'),
          c(4, 'Warning', 'W2', 'Oil low'),
          c(5, 'Fault', 'E3', 'Axis'),
          c(6, 'Normal', 'E1'),
          c(7, 'Normal'),
        ]),
      ),
    );
    // availability arrives first, so the device is idle for one observation before it runs
    expect(states(events)).toEqual(['idle', 'running', 'alarm', 'running']);
    expect(alarms(events)).toEqual([
      { code: 'E1', active: true, severity: 'fault', message: 'Door open' },
      { code: 'W2', active: true, severity: 'warning', message: 'Oil low' },
      { code: 'E3', active: true, severity: 'fault', message: 'Axis' },
      { code: 'E1', active: false, severity: 'fault', message: 'Door open' },
      { code: 'E3', active: false, severity: 'fault', message: 'Axis' },
      { code: 'W2', active: false, severity: 'warning', message: 'Oil low' },
    ]);
    // one Normal cleared two codes and changed the state: three events, three distinct sequences
    const fromSeven = events.filter((e) => Math.floor(e.sequence / SEQUENCE_SLOTS) === 7);
    expect(fromSeven.map((e) => e.sequence % SEQUENCE_SLOTS)).toEqual([0, 1, SEQUENCE_SLOTS - 1]);
  });

  it('a stop while a warning is active is an alarm stop; the same stop without it is a plain stop', () => {
    const warn = (seq: number, el: string) => ({
      el,
      seq,
      id: 'sys',
      section: 'Condition' as const,
      value: el === 'Warning' ? 'Light curtain interrupted' : '',
      attrs: 'type="SYSTEM" nativeCode="B-007"',
    });
    const events = new MTConnectMapper().sample(
      parseStreamsDocument(
        streams('4', [
          { el: 'Availability', seq: 1, value: 'AVAILABLE' },
          { el: 'Execution', seq: 2, value: 'ACTIVE' },
          warn(3, 'Warning'),
          { el: 'Execution', seq: 4, value: 'INTERRUPTED' },
          warn(5, 'Normal'),
        ]),
      ),
    );
    expect(states(events)).toEqual(['idle', 'running', 'alarm', 'stopped']);
  });

  it('observations of one device at the same instant are one change: no zero-length state between them', () => {
    const xml = (instant: boolean) =>
      streams('3', [
        { el: 'Availability', seq: 1, value: 'AVAILABLE' },
        { el: 'Execution', seq: 2, value: 'ACTIVE' },
        { el: 'Execution', seq: 3, value: 'READY' },
        { el: 'ControllerMode', seq: 4, value: 'MANUAL' },
      ]).replace(instant ? /10:00:04Z/ : /^$/, '10:00:03Z');
    expect(states(new MTConnectMapper().sample(parseStreamsDocument(xml(false))))).toEqual([
      'idle',
      'running',
      'idle',
      'setup',
    ]);
    const events = new MTConnectMapper().sample(parseStreamsDocument(xml(true)));
    expect(states(events)).toEqual(['idle', 'running', 'setup']);
    expect(events.find((e) => e.value === 'setup')!.sequence).toBe(4 * SEQUENCE_SLOTS + SEQUENCE_SLOTS - 1);
  });

  it('a /current snapshot replaces the active list: codes gone from it are cleared, state derived once', () => {
    const mapper = new MTConnectMapper();
    mapper.sample(
      parseStreamsDocument(
        streams('5', [
          { el: 'Availability', seq: 1, value: 'AVAILABLE' },
          { el: 'Execution', seq: 2, value: 'ACTIVE' },
          {
            el: 'Fault',
            seq: 3,
            id: 'sys',
            section: 'Condition',
            value: 'Door',
            attrs: 'type="SYSTEM" nativeCode="E1"',
          },
        ]),
      ),
    );
    // the client fell behind; the snapshot shows E1 gone, E9 raised, and the machine idle
    const events = mapper.current(
      parseStreamsDocument(
        streams('5', [
          { el: 'Availability', seq: 1, value: 'AVAILABLE' },
          {
            el: 'Warning',
            seq: 40,
            id: 'sys',
            section: 'Condition',
            value: 'Temp',
            attrs: 'type="SYSTEM" nativeCode="E9"',
          },
          { el: 'Execution', seq: 50, value: 'READY' },
        ]),
      ),
    );
    expect(alarms(events)).toEqual([
      { code: 'E1', active: false, severity: 'fault', message: 'Door' },
      { code: 'E9', active: true, severity: 'warning', message: 'Temp' },
    ]);
    expect(states(events)).toEqual(['idle']);
    expect(events.find((e) => e.kind === 'state')!.sequence).toBe(50 * SEQUENCE_SLOTS + SEQUENCE_SLOTS - 1);
  });

  it('ignores observations already applied, and starts over when the instanceId changes', () => {
    const mapper = new MTConnectMapper();
    const doc = parseStreamsDocument(
      streams('1', [
        { el: 'Availability', seq: 1, value: 'AVAILABLE' },
        { el: 'PartCount', seq: 2, value: '7' },
      ]),
    );
    expect(mapper.sample(doc).length).toBe(3);
    expect(mapper.sample(doc)).toEqual([]);
    expect(mapper.current(doc)).toEqual([]);
    const again = mapper.sample(
      parseStreamsDocument(
        streams('2', [
          { el: 'Availability', seq: 1, value: 'AVAILABLE' },
          { el: 'PartCount', seq: 2, value: '7' },
        ]),
      ),
    );
    expect(again.map((e) => [e.source, e.metric, e.value])).toEqual([
      ['mtconnect:2', 'availability', 'AVAILABLE'],
      ['mtconnect:2', 'state', 'idle'],
      ['mtconnect:2', 'part_count', 7],
    ]);
  });

  it('numeric samples become metrics; UNAVAILABLE and non-numeric samples are dropped; configured names win', () => {
    const mapper = new MTConnectMapper({ metrics: { lz: 'laser_power' } });
    const events = mapper.sample(
      parseStreamsDocument(
        streams('1', [
          { el: 'RotaryVelocity', seq: 1, id: 's1', section: 'Samples', value: '1200', attrs: 'subType="ACTUAL"' },
          {
            el: 'RotaryVelocity',
            seq: 2,
            id: 's2',
            section: 'Samples',
            value: '800',
            attrs: 'subType="ACTUAL" name="S2speed"',
          },
          { el: 'Load', seq: 3, id: 'x', section: 'Samples', value: 'UNAVAILABLE' },
          { el: 'Load', seq: 4, id: 'x', section: 'Samples', value: 'abc' },
          { el: 'Power', seq: 5, id: 'lz', section: 'Samples', value: '4.5' },
          { el: 'PartCount', seq: 6, value: '3', attrs: 'subType="BAD"' },
          { el: 'Program', seq: 7, value: 'UNAVAILABLE' },
          { el: 'Line', seq: 8, value: '120' },
        ]),
      ),
    );
    expect(events.map((e) => [e.kind, e.metric, e.value])).toEqual([
      ['metric', 'spindle_speed', 1200],
      ['metric', 's2speed', 800],
      ['metric', 'laser_power', 4.5],
      ['count', 'bad_count', 3],
    ]);
  });

  it('maps devices by name or uuid, and onlyMappedDevices drops the rest', () => {
    const doc = parseStreamsDocument(streams('1', [{ el: 'Availability', seq: 1, value: 'AVAILABLE' }], 'M7'));
    expect(new MTConnectMapper({ machines: { 'u-M7': 'PB-03' } }).sample(doc)[0]!.machineId).toBe('PB-03');
    expect(new MTConnectMapper({ onlyMappedDevices: true, machines: { X: 'Y' } }).sample(doc)).toEqual([]);
    expect(new MTConnectMapper().sample(doc)[0]!.machineId).toBe('M7');
    expect(new MTConnectMapper({ defaultMachineId: 'uuid' }).sample(doc)[0]!.machineId).toBe('u-M7');
  });
});
