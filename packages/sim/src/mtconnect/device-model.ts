import { parseDevicesDocument } from '@kerf/connectors';

export type AgentCategory = 'SAMPLE' | 'EVENT' | 'CONDITION';

export interface AgentDataItemSpec {
  /** Unique across the agent (an XML ID: starts with a letter or underscore). */
  id: string;
  name?: string;
  /** Upper snake case MTConnect type: EXECUTION, PART_COUNT, ROTARY_VELOCITY, SYSTEM, ... */
  type: string;
  subType?: string;
  category: AgentCategory;
  units?: string;
  /** Component element holding it (Device, Controller, Path, Rotary, ...). Default Device. */
  component?: string;
  componentId?: string;
  componentName?: string;
}

export interface AgentDeviceSpec {
  name: string;
  uuid: string;
  /** Kerf work center code; `observe` accepts it in place of the device name. */
  machineId?: string;
  /** Default: the standard Kerf machine template (availability, execution, mode, part count, ...). */
  dataItems?: AgentDataItemSpec[];
}

export interface AgentDataItem extends AgentDataItemSpec {
  device: AgentDevice;
  component: string;
  componentId: string;
}

export interface AgentDevice {
  index: number;
  name: string;
  uuid: string;
  id: string;
  machineId?: string;
  dataItems: AgentDataItem[];
  /** alias / name / id -> data item */
  lookup: Map<string, AgentDataItem>;
}

/** Keys the simulator uses with `observe`, mapped to the template's DataItems. */
export type KerfDataItemKey =
  | 'availability'
  | 'execution'
  | 'controller_mode'
  | 'functional_mode'
  | 'emergency_stop'
  | 'part_count'
  | 'program'
  | 'spindle_speed'
  | 'feedrate'
  | 'cycle_time'
  | 'system';

const TEMPLATE: (Omit<AgentDataItemSpec, 'id'> & { key: KerfDataItemKey })[] = [
  { key: 'availability', name: 'avail', type: 'AVAILABILITY', category: 'EVENT', component: 'Device' },
  { key: 'functional_mode', name: 'fmode', type: 'FUNCTIONAL_MODE', category: 'EVENT', component: 'Device' },
  { key: 'emergency_stop', name: 'estop', type: 'EMERGENCY_STOP', category: 'EVENT', component: 'Controller' },
  { key: 'controller_mode', name: 'mode', type: 'CONTROLLER_MODE', category: 'EVENT', component: 'Controller' },
  { key: 'system', name: 'system', type: 'SYSTEM', category: 'CONDITION', component: 'Controller' },
  { key: 'execution', name: 'execution', type: 'EXECUTION', category: 'EVENT', component: 'Path' },
  { key: 'program', name: 'program', type: 'PROGRAM', category: 'EVENT', component: 'Path' },
  { key: 'part_count', name: 'partcount', type: 'PART_COUNT', category: 'EVENT', component: 'Path' },
  {
    key: 'feedrate',
    name: 'feedrate',
    type: 'PATH_FEEDRATE',
    subType: 'ACTUAL',
    category: 'SAMPLE',
    units: 'MILLIMETER/SECOND',
    component: 'Path',
  },
  {
    key: 'cycle_time',
    name: 'cycletime',
    type: 'PROCESS_TIMER',
    subType: 'PROCESS',
    category: 'SAMPLE',
    units: 'SECOND',
    component: 'Path',
  },
  {
    key: 'spindle_speed',
    name: 'Sspeed',
    type: 'ROTARY_VELOCITY',
    subType: 'ACTUAL',
    category: 'SAMPLE',
    units: 'REVOLUTION/MINUTE',
    component: 'Rotary',
  },
];

/** An XML ID from any text: MTConnect ids are xs:ID (no spaces or colons, not starting with a digit). */
export function xmlId(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

function templateItems(deviceId: string): (AgentDataItemSpec & { key: KerfDataItemKey })[] {
  return TEMPLATE.map((t) => ({ ...t, id: `${deviceId}_${t.name ?? t.key}` }));
}

export function buildDevices(specs: AgentDeviceSpec[]): AgentDevice[] {
  if (specs.length === 0) throw new Error('devices: at least one device is needed');
  const ids = new Set<string>();
  const names = new Set<string>();
  return specs.map((spec, index) => {
    if (!spec.name) throw new Error(`devices[${index}].name: required`);
    if (!spec.uuid) throw new Error(`devices[${index}].uuid: required`);
    if (names.has(spec.name)) throw new Error(`devices[${index}].name: "${spec.name}" is used twice`);
    names.add(spec.name);
    const id = xmlId(spec.name);
    const device: AgentDevice = {
      index,
      name: spec.name,
      uuid: spec.uuid,
      id,
      dataItems: [],
      lookup: new Map(),
      ...(spec.machineId === undefined ? {} : { machineId: spec.machineId }),
    };
    const items = spec.dataItems ?? templateItems(id);
    items.forEach((item, i) => {
      if (!item.id) throw new Error(`devices[${index}].dataItems[${i}].id: required`);
      if (ids.has(item.id)) throw new Error(`devices[${index}].dataItems[${i}].id: "${item.id}" is not unique`);
      ids.add(item.id);
      const component = item.component ?? 'Device';
      const dataItem: AgentDataItem = {
        ...item,
        type: item.type.toUpperCase(),
        device,
        component,
        componentId: item.componentId ?? (component === 'Device' ? id : `${id}_${xmlId(component)}`),
      };
      device.dataItems.push(dataItem);
      // The first DataItem of a type also answers to the Kerf key for that type (`execution`, ...).
      const key = 'key' in item ? (item as { key: string }).key : keyForType(dataItem.type);
      if (key !== undefined && !device.lookup.has(key)) device.lookup.set(key, dataItem);
    });
    // names and ids win over type aliases, as SHDR adapters address DataItems by name or id
    for (const item of device.dataItems) {
      device.lookup.set(item.id, item);
      if (item.name !== undefined) device.lookup.set(item.name, item);
    }
    return device;
  });
}

const TYPE_KEYS: Record<string, KerfDataItemKey> = Object.fromEntries(TEMPLATE.map((t) => [t.type, t.key]));

function keyForType(type: string): string | undefined {
  return TYPE_KEYS[type];
}

/**
 * Device specs from an MTConnectDevices document (a probe answer or an agent's Devices.xml), so a
 * real machine's model (e.g. the OKUMA demo that pairs with the SHDR fixture) can be served.
 * The 2.x Agent pseudo-device is left out: this agent describes itself.
 */
export function devicesFromProbe(xml: string, machineIds: Record<string, string> = {}): AgentDeviceSpec[] {
  const doc = parseDevicesDocument(xml);
  return doc.devices
    .filter((d) => !d.isAgent)
    .map((d) => {
      const machineId = machineIds[d.name] ?? (d.uuid === undefined ? undefined : machineIds[d.uuid]);
      return {
        name: d.name,
        uuid: d.uuid ?? d.name,
        ...(machineId === undefined ? {} : { machineId }),
        dataItems: d.dataItems.map((item) => ({
          id: item.id,
          type: item.type,
          category: item.category,
          component: item.componentType,
          ...(item.name === undefined ? {} : { name: item.name }),
          ...(item.subType === undefined ? {} : { subType: item.subType }),
          ...(item.units === undefined ? {} : { units: item.units }),
          ...(item.componentId === undefined ? {} : { componentId: item.componentId }),
          ...(item.componentName === undefined ? {} : { componentName: item.componentName }),
        })),
      };
    });
}
