import { attr, child, intAttr, type XmlNode } from './xml-tree.js';
import type { MTConnectHeader } from './types.js';

const SCHEMA_VERSION = /:(\d+\.\d+)$/;

export function parseHeader(root: XmlNode, rootName: string, namespace: string | undefined): MTConnectHeader {
  const node = child(root, 'Header');
  const path = `${rootName}.Header`;
  const header: MTConnectHeader = { instanceId: attr(node, 'instanceId') ?? '' };
  const optional = { version: 'version', sender: 'sender', creationTime: 'creationTime' } as const;
  for (const [key, name] of Object.entries(optional) as [keyof typeof optional, string][]) {
    const value = attr(node, name);
    if (value !== undefined) header[key] = value;
  }
  for (const key of ['bufferSize', 'nextSequence', 'firstSequence', 'lastSequence'] as const) {
    const value = intAttr(node, key, path);
    if (value !== undefined) header[key] = value;
  }
  const schema = namespace === undefined ? null : SCHEMA_VERSION.exec(namespace);
  if (schema?.[1] !== undefined) header.schemaVersion = schema[1];
  return header;
}
