import {
  DataType,
  DataValue,
  LocalizedText,
  NodeId,
  resolveNodeId,
  Variant,
  VariantArrayType,
} from 'node-opcua-client';
import { describe, expect, test } from 'vitest';
import type { MonitoredNodeSpec } from './opcua-mapping.js';
import type { ResolvedNode, ValueMode } from './opcua-resolve.js';
import { decodeValue } from './opcua-values.js';

function node(mode: ValueMode, role: MonitoredNodeSpec['role']): ResolvedNode {
  return {
    mode,
    nodeId: resolveNodeId('ns=1;s=x'),
    spec: {
      machineId: 'M',
      role,
      ref: { kind: 'nodeId', field: 'f', text: 'i=1', namespaceUri: null, identifier: 'i=1', namespaceIndex: 0 },
    },
  };
}
const metric = { role: 'metric', metric: 'm', kind: 'metric' } as const;
const dv = (variant: Variant): DataValue => new DataValue({ value: variant });

describe('decodeValue', () => {
  test('state by the BrowseName of the CurrentState/Id target; unknown ids and null ids give nothing', () => {
    const executing = resolveNodeId('ns=4;i=5006');
    const names = new Map([[executing.toString(), 'Executing']]);
    const n = node('stateId', { role: 'itemState' });
    expect(decodeValue(n, dv(new Variant({ dataType: DataType.NodeId, value: executing })), names)).toBe('Executing');
    expect(
      decodeValue(n, dv(new Variant({ dataType: DataType.NodeId, value: resolveNodeId('ns=4;i=1') })), names),
    ).toBeNull();
    expect(decodeValue(n, dv(new Variant({ dataType: DataType.NodeId, value: NodeId.nullNodeId })), names)).toBeNull();
  });

  test('state by display text when the server has no CurrentState/Id', () => {
    const text = new Variant({ dataType: DataType.LocalizedText, value: new LocalizedText({ text: 'NotExecuting' }) });
    expect(decodeValue(node('stateText', { role: 'itemState' }), dv(text), new Map())).toBe('NotExecuting');
  });

  test('numbers, 64-bit integers, booleans, dates, texts; an empty value gives nothing', () => {
    const n = node('value', metric);
    const none = new Map<string, string>();
    expect(decodeValue(n, dv(new Variant({ dataType: DataType.Double, value: 12.5 })), none)).toBe(12.5);
    expect(
      decodeValue(
        n,
        dv(new Variant({ dataType: DataType.UInt64, arrayType: VariantArrayType.Scalar, value: [1, 5] })),
        none,
      ),
    ).toBe(2 ** 32 + 5);
    expect(decodeValue(n, dv(new Variant({ dataType: DataType.Boolean, value: true })), none)).toBe(1);
    const at = new Date('2026-11-25T08:00:00.000Z');
    expect(decodeValue(n, dv(new Variant({ dataType: DataType.DateTime, value: at })), none)).toBe(at.toISOString());
    const lt = new Variant({ dataType: DataType.LocalizedText, value: new LocalizedText({ text: 'P-100' }) });
    expect(decodeValue(n, dv(lt), none)).toBe('P-100');
    expect(decodeValue(n, dv(new Variant({ dataType: DataType.Null })), none)).toBeNull();
    const array = new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: [1, 2] });
    expect(decodeValue(n, dv(array), none)).toBeNull();
  });

  test('alarms: a String[] or a single String', () => {
    const n = node('value', { role: 'alarms' });
    const list = new Variant({ dataType: DataType.String, arrayType: VariantArrayType.Array, value: ['E1', 'E2'] });
    expect(decodeValue(n, dv(list), new Map())).toEqual(['E1', 'E2']);
    expect(decodeValue(n, dv(new Variant({ dataType: DataType.String, value: 'E9' })), new Map())).toEqual(['E9']);
  });
});
