import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../codec-error.js';
import { MTConnectAgentError } from './errors.js';
import { parseDevicesDocument, parseMTConnectDocument, parseStreamsDocument } from './parse-document.js';
import { normalizeTimestamp } from './timestamp.js';

const FIXTURES = fileURLToPath(new URL('../../test-data/mtconnect', import.meta.url));
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('MTConnect fixtures', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml'));

  it('finds all twelve XML fixtures', () => {
    expect(files.length).toBe(12);
  });

  it.each(files)('%s parses to the document kind its name says', (file) => {
    const doc = parseMTConnectDocument(read(file));
    expect(doc.kind).toBe(file.split('_')[0]);
  });

  it('probe 2.0 (cppagent 2.2): Agent device plus two machines, 260 data items with categories', () => {
    const doc = parseDevicesDocument(read('devices_2.0_okuma_intelagent_probe.xml'));
    expect(doc.header.instanceId).toBe('1743558962');
    expect(doc.header.version).toBe('2.2.0.502');
    expect(doc.header.schemaVersion).toBe('2.0');
    expect(doc.devices.map((d) => [d.name, d.isAgent])).toEqual([
      ['Agent', true],
      ['OKUMA', false],
      ['Mazak', false],
    ]);
    const okuma = doc.devices[1]!;
    expect(okuma.uuid).toBe('OKUMA.123456');
    const execution = okuma.dataItems.find((d) => d.type === 'EXECUTION');
    expect(execution).toMatchObject({ id: 'Lpexecution', category: 'EVENT', componentType: 'Controller' });
    const all = doc.devices.flatMap((d) => d.dataItems);
    expect(new Set(all.map((d) => d.category))).toEqual(new Set(['SAMPLE', 'EVENT', 'CONDITION']));
    expect(all.filter((d) => d.subType !== undefined).length).toBeGreaterThan(0);
  });

  it('devices 1.4: two devices with nested components', () => {
    const doc = parseDevicesDocument(read('devices_1.4_simple_cnc.xml'));
    expect(doc.devices.length).toBe(2);
    expect(doc.devices.reduce((n, d) => n + d.dataItems.length, 0)).toBe(38);
    expect(doc.header.schemaVersion).toBe('1.4');
  });

  it('current 2.0: 260 observations, trimmed values, sequence order, header numbers', () => {
    const doc = parseStreamsDocument(read('streams_2.0_okuma_intelagent_current.xml'));
    expect(doc.header).toMatchObject({
      instanceId: '1743558962',
      bufferSize: 131072,
      nextSequence: 42870393,
      firstSequence: 42739321,
      lastSequence: 42870392,
    });
    expect(doc.observations.length).toBe(260);
    for (const obs of doc.observations) expect(obs.value).toBe(obs.value.trim());
    const seqs = doc.observations.map((o) => o.sequence);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const okuma = doc.observations.filter((o) => o.deviceName === 'OKUMA');
    expect(okuma.find((o) => o.type === 'EXECUTION')?.value).toBe('ACTIVE');
    expect(okuma.find((o) => o.type === 'CONTROLLER_MODE')?.value).toBe('AUTOMATIC');
    const conditions = doc.observations.filter((o) => o.category === 'CONDITION');
    expect(conditions.filter((o) => o.level === 'NORMAL').length).toBe(29);
    expect(conditions.filter((o) => o.level === 'UNAVAILABLE').length).toBe(2);
    for (const obs of doc.observations) expect(obs.timestamp).toMatch(/Z$/);
  });

  it('current 1.1 OMAX: timestamps without Z read as UTC, PartCount/Program/Execution typed', () => {
    const doc = parseStreamsDocument(read('streams_1.1_omax_waterjet_current.xml'));
    const avail = doc.observations.find((o) => o.type === 'AVAILABILITY')!;
    expect(avail.timestamp).toBe('2014-06-06T20:15:06.068Z');
    expect(doc.observations.find((o) => o.type === 'PROGRAM')?.value).toBe('O-LOGO2.ORD');
    expect(doc.observations.find((o) => o.type === 'EXECUTION')?.value).toBe('ACTIVE');
    const unavailable = doc.observations.find((o) => o.dataItemId === 'd3_1');
    expect(unavailable).toMatchObject({ type: 'SYSTEM', element: 'Unavailable', value: '' });
  });

  it('two devices sharing one uuid stay two device streams', () => {
    const doc = parseStreamsDocument(read('streams_1.1_two_devices_hand_edited.xml'));
    expect(doc.devices.length).toBe(2);
    expect(new Set(doc.devices.map((d) => d.uuid)).size).toBe(1);
    expect(new Set(doc.devices.map((d) => d.name)).size).toBe(2);
  });

  it('1.0 template (old namespace, "TIME" timestamps, empty instanceId) parses with null timestamps', () => {
    const doc = parseStreamsDocument(read('streams_1.0_sample_template_2009.xml'));
    expect(doc.header.instanceId).toBe('');
    expect(doc.observations.length).toBeGreaterThan(0);
    expect(doc.observations.every((o) => o.timestamp === null)).toBe(true);
  });

  it('heartbeat and after-restart documents: empty streams with their headers', () => {
    const before = parseStreamsDocument(read('streams_1.7_heartbeat_empty_instance1649989201.xml'));
    const after = parseStreamsDocument(read('streams_1.7_after_restart_instance1649989202.xml'));
    expect(before.observations).toEqual([]);
    expect(before.header).toMatchObject({ instanceId: '1649989201', nextSequence: 4992049 });
    expect(after.header).toMatchObject({ instanceId: '1649989202', nextSequence: 12, firstSequence: 1 });
  });

  it.each([
    ['error_2.0_no_device.xml', 'NO_DEVICE', ["Could not find the device 'foo'"]],
    ['error_1.7_out_of_range_legacy_no_errors_wrapper.xml', 'OUT_OF_RANGE', ["'at' must be greater than 4871368"]],
    [
      'error_1.7_out_of_range_and_failure.xml',
      'OUT_OF_RANGE',
      ["'at' must be greater than 4871368", 'Something went wrong'],
    ],
  ])('%s -> MTConnectAgentError %s', (file, code, messages) => {
    const xml = read(file);
    const error = (() => {
      try {
        parseStreamsDocument(xml, 404);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(MTConnectAgentError);
    const agentError = error as MTConnectAgentError;
    expect(agentError.code).toBe(code);
    expect(agentError.status).toBe(404);
    expect(agentError.errors.map((e) => e.message)).toEqual(messages);
    expect(() => parseDevicesDocument(xml)).toThrow(MTConnectAgentError);
  });
});

describe('MTConnect parser edge cases', () => {
  it('2.6+ structured errors keep their code and ErrorMessage', () => {
    const xml = `<MTConnectError xmlns="urn:mtconnect.org:MTConnectError:2.6"><Header instanceId="1"/><Errors>
      <OutOfRange errorCode="OUT_OF_RANGE"><ErrorMessage>'count' must be less than 9</ErrorMessage><URI>/sample</URI>
      <QueryParameter name="count"><Value>10</Value><Maximum>8</Maximum></QueryParameter></OutOfRange>
      <InvalidRequest><ErrorMessage>bad</ErrorMessage></InvalidRequest></Errors></MTConnectError>`;
    const doc = parseMTConnectDocument(xml);
    expect(doc).toMatchObject({
      kind: 'error',
      errors: [
        { code: 'OUT_OF_RANGE', message: "'count' must be less than 9" },
        { code: 'INVALID_REQUEST', message: 'bad' },
      ],
    });
  });

  it('prefixed namespaces and DATA_SET entries', () => {
    const xml = `<?xml version="1.0"?><m:MTConnectStreams xmlns:m="urn:mtconnect.org:MTConnectStreams:2.3">
      <m:Header instanceId="7" nextSequence="3" firstSequence="1" lastSequence="2"/><m:Streams>
      <m:DeviceStream name="L1" uuid="u1"><m:ComponentStream component="Path" componentId="p">
      <m:Events><m:VariableDataSet dataItemId="v" sequence="2" timestamp="2024-01-01T00:00:00.1234567Z" count="2">
      <m:Entry key="a"> 1 </m:Entry><m:Entry key="b" removed="true"/></m:VariableDataSet>
      <m:PartCount dataItemId="pc" sequence="1" timestamp="2024-01-01T00:00:00+01:00" subType="GOOD"> 5 </m:PartCount>
      </m:Events></m:ComponentStream></m:DeviceStream></m:Streams></m:MTConnectStreams>`;
    const doc = parseStreamsDocument(xml);
    expect(doc.header.schemaVersion).toBe('2.3');
    expect(doc.observations).toMatchObject([
      { type: 'PART_COUNT', subType: 'GOOD', value: '5', sequence: 1, timestamp: '2023-12-31T23:00:00.000Z' },
      { type: 'VARIABLE', value: '{"a":"1","b":null}', sequence: 2, timestamp: '2024-01-01T00:00:00.123Z' },
    ]);
  });

  it('decodes the XML entities and character references in values and attributes', () => {
    const xml = `<MTConnectStreams><Header instanceId="1"/><Streams><DeviceStream name="a&amp;b"><ComponentStream>
      <Condition><Fault dataItemId="c" sequence="1" type="SYSTEM" nativeCode="E&lt;1&gt;">Door &quot;A&quot; &amp; lid &#65;&#x42; &bogus;</Fault></Condition>
      </ComponentStream></DeviceStream></Streams></MTConnectStreams>`;
    const [obs] = parseStreamsDocument(xml).observations;
    expect(obs).toMatchObject({ deviceName: 'a&b', nativeCode: 'E<1>', value: 'Door "A" & lid AB &bogus;' });
  });

  it.each([
    ['', 'empty body'],
    ['<MTConnectStreams><Header/>', 'malformed XML'],
    ['<Foo/>', 'not MTConnectDevices'],
    ['<MTConnectStreams><Header instanceId="1"/></MTConnectStreams>', 'MTConnectStreams.Streams: missing'],
    [
      '<MTConnectStreams><Header nextSequence="-4"/><Streams/></MTConnectStreams>',
      'Header@nextSequence: expected a non-negative integer',
    ],
    [
      '<MTConnectStreams><Header/><Streams><DeviceStream name="d"><ComponentStream><Events><Execution dataItemId="x">A</Execution></Events></ComponentStream></DeviceStream></Streams></MTConnectStreams>',
      '@sequence: missing on observation of "x"',
    ],
    [
      '<MTConnectStreams><Header/><Streams><DeviceStream name="d"><ComponentStream><Condition><Broken dataItemId="x" sequence="1"/></Condition></ComponentStream></DeviceStream></Streams></MTConnectStreams>',
      'unknown condition element <Broken>',
    ],
    [
      '<MTConnectDevices><Header/><Devices><Device name="d"><DataItems><DataItem id="a" type="X"/></DataItems></Device></Devices></MTConnectDevices>',
      'expected SAMPLE, EVENT or CONDITION',
    ],
  ])('bad input %# -> CodecError naming what is wrong', (xml, message) => {
    expect(() => parseMTConnectDocument(xml)).toThrow(CodecError);
    expect(() => parseMTConnectDocument(xml)).toThrow(message);
  });

  it.each([
    ['2014-06-06T20:15:06.0688', '2014-06-06T20:15:06.068Z'],
    ['2025-04-02T01:57:05.309181Z', '2025-04-02T01:57:05.309Z'],
    ['2022-08-08T13:51:34.7167146Z', '2022-08-08T13:51:34.716Z'],
    ['2022-08-08T13:51:34', '2022-08-08T13:51:34.000Z'],
    ['2022-08-08T13:51:34-0500', '2022-08-08T18:51:34.000Z'],
    ['TIME', null],
    ['2022-02-30T00:00:00Z', null],
  ])('timestamp %s -> %s', (input, output) => {
    expect(normalizeTimestamp(input)).toBe(output);
  });
});
