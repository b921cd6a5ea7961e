import { describe, expect, test } from 'vitest';
import {
  machineToolMapping,
  OpcUaMappingError,
  parseMachineMappings,
  type OpcUaMachineMapping,
} from './opcua-mapping.js';

const NS = 'http://kerf.dev/UA/SimShop/';

function errorOf(machines: OpcUaMachineMapping[]): string {
  try {
    parseMachineMappings(machines);
  } catch (error) {
    expect(error).toBeInstanceOf(OpcUaMappingError);
    return (error as Error).message;
  }
  throw new Error('expected an OpcUaMappingError');
}

describe('parseMachineMappings', () => {
  test('the machine tool layout gives state, mode, alarms and three metrics with their kinds', () => {
    const specs = parseMachineMappings([machineToolMapping('PUN-01', NS)]);
    expect(specs.map((s) => (s.role.role === 'metric' ? `${s.role.metric}:${s.role.kind}` : s.role.role))).toEqual([
      'itemState',
      'operationMode',
      'alarms',
      'part_count:count',
      'cycle_time:metric',
      'program:metric',
    ]);
    const itemState = specs[0]?.ref;
    expect(itemState).toMatchObject({
      kind: 'path',
      root: 'Objects',
      defaultNamespaceUri: NS,
      segments: [
        { name: 'Machines', namespaceUri: 'http://opcfoundation.org/UA/Machinery/' },
        { name: 'PUN-01', namespaceUri: null },
        { name: 'Monitoring', namespaceUri: null },
        { name: 'MachineryItemState', namespaceUri: 'http://opcfoundation.org/UA/Machinery/' },
        { name: 'CurrentState', namespaceUri: 'http://opcfoundation.org/UA/' },
      ],
    });
  });

  test('NodeId strings: nsu= keeps the URI, ns= the index, a bare id is namespace 0', () => {
    const specs = parseMachineMappings([
      {
        machineId: 'LAS-01',
        metrics: {
          a_count: `nsu=${NS};s=LAS-01.Count`,
          b: 'ns=3;i=1001',
          c: 'i=2258',
        },
      },
    ]);
    expect(specs.map((s) => s.ref)).toMatchObject([
      { kind: 'nodeId', namespaceUri: NS, identifier: 's=LAS-01.Count', namespaceIndex: null },
      { kind: 'nodeId', namespaceUri: null, identifier: 'i=1001', namespaceIndex: 3 },
      { kind: 'nodeId', namespaceUri: null, identifier: 'i=2258', namespaceIndex: 0 },
    ]);
    expect(specs[0]?.role).toEqual({ role: 'metric', metric: 'a_count', kind: 'count' });
  });

  test('bad mappings are refused with the field and what to fix', () => {
    expect(errorOf([{ machineId: '', metrics: { x: '/Objects/A' } }])).toBe('machines[0].machineId: must be non-empty');
    expect(
      errorOf([
        { machineId: 'A', metrics: { x: '/Objects/A' } },
        { machineId: 'A', metrics: { x: '/Objects/A' } },
      ]),
    ).toBe('machines[1].machineId: duplicate "A"');
    expect(errorOf([{ machineId: 'A', metrics: { x: 'Objects/A' } }])).toContain(
      'machines[0].metrics.x: "Objects/A" is neither',
    );
    expect(errorOf([{ machineId: 'A', metrics: { x: '/Types/A' } }])).toContain('must start at /Objects or /Root');
    expect(errorOf([{ machineId: 'A', metrics: { x: '/Objects//A' } }])).toContain(
      'must look like /Objects/Folder/Variable',
    );
    expect(errorOf([{ machineId: 'A', metrics: { x: '/Objects/2:Machines/A' } }])).toContain(
      'segment "2:Machines" of "/Objects/2:Machines/A" uses unknown namespace alias "2" (namespace indexes change',
    );
    expect(errorOf([{ machineId: 'A', metrics: { x: '/Objects/di:Machines' } }])).toContain(
      'unknown namespace alias "di"',
    );
    expect(errorOf([{ machineId: 'A', metrics: { state: '/Objects/A' } }])).toContain(
      'machines[0].metrics.state: use itemState/operationMode or alarms',
    );
    expect(errorOf([{ machineId: 'A', operationMode: '/Objects/A/Mode' }])).toBe(
      'machines[0].operationMode: needs itemState too (the state is derived from both)',
    );
    expect(errorOf([{ machineId: 'A', metrics: { x: { browsePath: '/Objects/A', nodeId: 'i=1' } } }])).toBe(
      'machines[0].metrics.x: give exactly one of browsePath or nodeId',
    );
    expect(errorOf([{ machineId: 'A' }])).toBe('machines: no node is mapped');
  });
});
