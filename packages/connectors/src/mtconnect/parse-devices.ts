import { CodecError } from '../codec-error.js';
import { attr, child, children, elements, type XmlNode } from './xml-tree.js';
import type { DataItemCategory, MTConnectDataItem, MTConnectDevice } from './types.js';

const CATEGORIES = new Set<string>(['SAMPLE', 'EVENT', 'CONDITION']);

function dataItemsOf(
  component: XmlNode,
  componentType: string,
  path: string,
  out: MTConnectDataItem[],
  depth: number,
): void {
  if (depth > 64) throw new CodecError(path, 'components nested deeper than 64 levels');
  const componentId = attr(component, 'id');
  const componentName = attr(component, 'name');
  children(child(component, 'DataItems'), 'DataItem').forEach((item, i) => {
    const at = `${path}.DataItems.DataItem[${i}]`;
    const id = attr(item, 'id');
    const type = attr(item, 'type');
    const category = attr(item, 'category')?.toUpperCase();
    if (!id) throw new CodecError(`${at}@id`, 'missing; every DataItem needs an id');
    if (!type) throw new CodecError(`${at}@type`, `missing on DataItem "${id}"`);
    if (category === undefined || !CATEGORIES.has(category)) {
      throw new CodecError(`${at}@category`, `expected SAMPLE, EVENT or CONDITION on DataItem "${id}"`);
    }
    const dataItem: MTConnectDataItem = {
      id,
      type: type.toUpperCase(),
      category: category as DataItemCategory,
      componentType,
    };
    const name = attr(item, 'name');
    const subType = attr(item, 'subType');
    const units = attr(item, 'units');
    if (name) dataItem.name = name;
    if (subType) dataItem.subType = subType;
    if (units) dataItem.units = units;
    if (componentId) dataItem.componentId = componentId;
    if (componentName) dataItem.componentName = componentName;
    out.push(dataItem);
  });
  // 1.x groups sub-components by kind (<Axes>, <Controller>) inside <Components>; 2.x allows any element.
  for (const [name, sub] of elements(child(component, 'Components'))) {
    dataItemsOf(sub, name, `${path}.Components.${name}`, out, depth + 1);
  }
}

export function parseDevices(root: XmlNode, rootName: string): MTConnectDevice[] {
  const devicesNode = child(root, 'Devices');
  if (devicesNode === undefined) throw new CodecError(`${rootName}.Devices`, 'missing');
  const devices: MTConnectDevice[] = [];
  for (const [element, node] of elements(devicesNode)) {
    if (element !== 'Device' && element !== 'Agent') continue;
    const path = `${rootName}.Devices.${element}[${devices.length}]`;
    const name = attr(node, 'name');
    if (!name) throw new CodecError(`${path}@name`, 'missing; every Device needs a name');
    const device: MTConnectDevice = { name, isAgent: element === 'Agent', dataItems: [] };
    const uuid = attr(node, 'uuid');
    const id = attr(node, 'id');
    if (uuid) device.uuid = uuid;
    if (id) device.id = id;
    dataItemsOf(node, 'Device', path, device.dataItems, 0);
    devices.push(device);
  }
  return devices;
}
