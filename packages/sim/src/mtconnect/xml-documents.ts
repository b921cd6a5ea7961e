import type { AgentDataItem, AgentDevice } from './device-model.js';
import type { StoredObservation } from './observation-buffer.js';

export interface HeaderValues {
  instanceId: number;
  bufferSize: number;
  sender: string;
  version: string;
  schemaVersion: string;
  creationTime: string;
  nextSequence?: number;
  firstSequence?: number;
  lastSequence?: number;
  assetBufferSize?: number;
  assetCount?: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;',
  );
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function open(root: string, h: HeaderValues): string {
  const ns = `urn:mtconnect.org:${root}:${h.schemaVersion}`;
  const header = attrs({
    creationTime: h.creationTime,
    sender: h.sender,
    instanceId: h.instanceId,
    version: h.version,
    bufferSize: h.bufferSize,
    assetBufferSize: h.assetBufferSize,
    assetCount: h.assetCount,
    nextSequence: h.nextSequence,
    firstSequence: h.firstSequence,
    lastSequence: h.lastSequence,
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${ns}" xmlns:m="${ns}"` +
    ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n  <Header${header}/>\n`
  );
}

/** "PART_COUNT" -> "PartCount": the element name of an observation of that type. */
export function typeToElement(type: string): string {
  // vendor extension types ("x:TOOL_SUFFIX") are served without their undeclared prefix
  return type
    .replace(/^[^:]*:/, '')
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

function groupByComponent(items: AgentDataItem[]): Map<string, AgentDataItem[]> {
  const groups = new Map<string, AgentDataItem[]>();
  for (const item of items) {
    const list = groups.get(item.componentId) ?? [];
    list.push(item);
    groups.set(item.componentId, list);
  }
  return groups;
}

function dataItemXml(item: AgentDataItem): string {
  return `<DataItem${attrs({
    id: item.id,
    name: item.name,
    type: item.type,
    subType: item.subType,
    category: item.category,
    units: item.units,
  })}/>`;
}

export function devicesDocument(h: HeaderValues, devices: AgentDevice[]): string {
  let xml = open('MTConnectDevices', h) + '  <Devices>\n';
  for (const device of devices) {
    xml += `    <Device${attrs({ id: device.id, name: device.name, uuid: device.uuid })}>\n`;
    const groups = groupByComponent(device.dataItems);
    const own = groups.get(device.id) ?? [];
    if (own.length > 0) xml += `      <DataItems>${own.map(dataItemXml).join('')}</DataItems>\n`;
    const components = [...groups.entries()].filter(([id]) => id !== device.id);
    if (components.length > 0) {
      xml += '      <Components>\n';
      for (const [id, items] of components) {
        const first = items[0]!;
        const element = first.component === 'Device' ? 'Component' : first.component;
        xml += `        <${element}${attrs({ id, name: first.componentName })}>`;
        xml += `<DataItems>${items.map(dataItemXml).join('')}</DataItems></${element}>\n`;
      }
      xml += '      </Components>\n';
    }
    xml += '    </Device>\n';
  }
  return xml + '  </Devices>\n</MTConnectDevices>\n';
}

function observationXml(o: StoredObservation): string {
  const item = o.item;
  const common = { dataItemId: item.id, name: item.name, sequence: o.sequence, timestamp: o.timestamp };
  if (item.category === 'CONDITION') {
    const element = typeToElement(o.level ?? 'UNAVAILABLE');
    const extra = attrs({
      ...common,
      type: item.type,
      subType: item.subType,
      nativeCode: o.nativeCode,
      nativeSeverity: o.nativeSeverity,
      qualifier: o.qualifier,
    });
    return o.value === '' ? `<${element}${extra}/>` : `<${element}${extra}>${escapeXml(o.value)}</${element}>`;
  }
  const element = typeToElement(item.type);
  return `<${element}${attrs({ ...common, subType: item.subType })}>${escapeXml(o.value)}</${element}>`;
}

/** Observations grouped as DeviceStream > ComponentStream > Samples/Events/Condition, in sequence order. */
export function streamsDocument(h: HeaderValues, devices: AgentDevice[], observations: StoredObservation[]): string {
  let xml = open('MTConnectStreams', h) + '  <Streams>\n';
  for (const device of devices) {
    const mine = observations.filter((o) => o.item.device === device);
    if (mine.length === 0) continue;
    xml += `    <DeviceStream${attrs({ name: device.name, uuid: device.uuid })}>\n`;
    const components = new Map<string, StoredObservation[]>();
    for (const o of mine) {
      const list = components.get(o.item.componentId) ?? [];
      list.push(o);
      components.set(o.item.componentId, list);
    }
    for (const [componentId, list] of components) {
      const first = list[0]!.item;
      const component = first.component === 'Device' ? 'Device' : first.component;
      xml += `      <ComponentStream${attrs({ component, name: first.componentName, componentId })}>\n`;
      for (const [section, category] of [
        ['Samples', 'SAMPLE'],
        ['Events', 'EVENT'],
        ['Condition', 'CONDITION'],
      ] as const) {
        const inSection = list.filter((o) => o.item.category === category);
        if (inSection.length > 0) xml += `        <${section}>${inSection.map(observationXml).join('')}</${section}>\n`;
      }
      xml += '      </ComponentStream>\n';
    }
    xml += '    </DeviceStream>\n';
  }
  return xml + '  </Streams>\n</MTConnectStreams>\n';
}

export function errorDocument(h: HeaderValues, code: string, message: string): string {
  return (
    open('MTConnectError', h) +
    `  <Errors><Error errorCode="${escapeXml(code)}">${escapeXml(message)}</Error></Errors>\n</MTConnectError>\n`
  );
}

export function assetsDocument(h: HeaderValues, assets: string[]): string {
  return open('MTConnectAssets', h) + `  <Assets>${assets.join('\n')}</Assets>\n</MTConnectAssets>\n`;
}
