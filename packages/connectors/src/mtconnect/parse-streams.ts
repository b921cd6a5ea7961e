import { CodecError } from '../codec-error.js';
import { normalizeTimestamp } from './timestamp.js';
import { attr, child, children, elements, intAttr, text, type XmlNode } from './xml-tree.js';
import type { ConditionLevel, DataItemCategory, MTConnectObservation } from './types.js';

const SECTIONS: [string, DataItemCategory][] = [
  ['Samples', 'SAMPLE'],
  ['Events', 'EVENT'],
  ['Condition', 'CONDITION'],
];

const LEVELS: Record<string, ConditionLevel> = {
  Normal: 'NORMAL',
  Warning: 'WARNING',
  Fault: 'FAULT',
  Unavailable: 'UNAVAILABLE',
};

const TYPE_CACHE = new Map<string, string>();

/** "PartCount" -> "PART_COUNT"; representation suffixes (…DataSet, …Table, …TimeSeries) belong to no type. */
export function elementToType(element: string): string {
  const cached = TYPE_CACHE.get(element);
  if (cached !== undefined) return cached;
  const base = element.replace(/(DataSet|Table|TimeSeries)$/, '') || element;
  const type = base
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
  // element names come from the document: bound the cache so hostile input cannot grow it forever
  if (TYPE_CACHE.size < 4096) TYPE_CACHE.set(element, type);
  return type;
}

/** DATA_SET / TABLE observations carry <Entry key=…> (with <Cell key=…> for tables): keep them as JSON text. */
function entriesValue(node: XmlNode): string | undefined {
  const entries = children(node, 'Entry');
  if (entries.length === 0) return undefined;
  const out: Record<string, string | Record<string, string> | null> = {};
  for (const entry of entries) {
    const key = attr(entry, 'key') ?? '';
    if (attr(entry, 'removed') === 'true') {
      out[key] = null;
      continue;
    }
    const cells = children(entry, 'Cell');
    if (cells.length === 0) {
      out[key] = text(entry);
    } else {
      const row: Record<string, string> = {};
      for (const cell of cells) row[attr(cell, 'key') ?? ''] = text(cell);
      out[key] = row;
    }
  }
  return JSON.stringify(out);
}

type Context = Pick<
  MTConnectObservation,
  'deviceName' | 'deviceUuid' | 'componentType' | 'componentName' | 'componentId'
>;

function observation(
  element: string,
  node: XmlNode,
  category: DataItemCategory,
  context: Context,
  where: () => string,
): MTConnectObservation {
  const dataItemId = attr(node, 'dataItemId');
  if (!dataItemId) throw new CodecError(`${where()}@dataItemId`, 'missing; every observation names its DataItem');
  const rawSequence = attr(node, 'sequence');
  const sequence = rawSequence === undefined || rawSequence === '' ? undefined : intAttr(node, 'sequence', where());
  if (sequence === undefined) throw new CodecError(`${where()}@sequence`, `missing on observation of "${dataItemId}"`);
  const obs: MTConnectObservation = {
    ...context,
    category,
    element,
    type: category === 'CONDITION' ? (attr(node, 'type') ?? '').toUpperCase() : elementToType(element),
    dataItemId,
    sequence,
    timestamp: normalizeTimestamp(attr(node, 'timestamp')),
    value: entriesValue(node) ?? text(node),
  };
  const optional = ['name', 'subType', 'nativeCode', 'nativeSeverity', 'qualifier', 'conditionId'] as const;
  for (const key of optional) {
    const value = attr(node, key);
    if (value !== undefined && value !== '') obs[key] = value;
  }
  if (category === 'CONDITION') {
    const level = LEVELS[element];
    if (level === undefined) {
      throw new CodecError(
        where(),
        `unknown condition element <${element}>, expected Normal, Warning, Fault or Unavailable`,
      );
    }
    obs.level = level;
  }
  return obs;
}

export function parseStreams(
  root: XmlNode,
  rootName: string,
): { observations: MTConnectObservation[]; devices: { name: string; uuid?: string }[] } {
  const streams = child(root, 'Streams');
  if (streams === undefined) throw new CodecError(`${rootName}.Streams`, 'missing');
  const observations: MTConnectObservation[] = [];
  const devices: { name: string; uuid?: string }[] = [];
  children(streams, 'DeviceStream').forEach((device, d) => {
    const devicePath = `${rootName}.Streams.DeviceStream[${d}]`;
    const deviceName = attr(device, 'name');
    if (!deviceName) throw new CodecError(`${devicePath}@name`, 'missing; every DeviceStream needs a name');
    const deviceUuid = attr(device, 'uuid');
    devices.push(deviceUuid ? { name: deviceName, uuid: deviceUuid } : { name: deviceName });
    children(device, 'ComponentStream').forEach((component, c) => {
      const context: Context = { deviceName };
      if (deviceUuid !== undefined) context.deviceUuid = deviceUuid;
      const optional = { componentType: 'component', componentName: 'name', componentId: 'componentId' } as const;
      for (const [key, name] of Object.entries(optional) as [keyof typeof optional, string][]) {
        const value = attr(component, name);
        if (value !== undefined) context[key] = value;
      }
      for (const [section, category] of SECTIONS) {
        children(component, section).forEach((block) => {
          const counts = new Map<string, number>();
          for (const [element, node] of elements(block)) {
            const i = counts.get(element) ?? 0;
            counts.set(element, i + 1);
            const where = () => `${devicePath}.ComponentStream[${c}].${section}.${element}[${i}]`;
            observations.push(observation(element, node, category, context, where));
          }
        });
      }
    });
  });
  // Agents emit in component order; consumers need sequence order (stable for equal sequences).
  observations.sort((a, b) => a.sequence - b.sequence);
  return { observations, devices };
}
