import { CodecError } from '../codec-error.js';
import { MTConnectAgentError } from './errors.js';
import { parseDevices } from './parse-devices.js';
import { parseErrors } from './parse-error.js';
import { parseHeader } from './parse-header.js';
import { parseStreams } from './parse-streams.js';
import { parseXml } from './xml-tree.js';
import type { MTConnectDevicesDocument, MTConnectDocument, MTConnectStreamsDocument } from './types.js';

/**
 * Parses any MTConnect response (MTConnectDevices, MTConnectStreams, MTConnectError), schema 1.1
 * to 2.x, with or without namespace prefixes. Throws only CodecError (not XML, or not MTConnect).
 */
export function parseMTConnectDocument(xml: string): MTConnectDocument {
  const { name, node, namespace } = parseXml(xml);
  const header = parseHeader(node, name, namespace);
  switch (name) {
    case 'MTConnectDevices':
      return { kind: 'devices', header, devices: parseDevices(node, name) };
    case 'MTConnectStreams':
      return { kind: 'streams', header, ...parseStreams(node, name) };
    case 'MTConnectError':
      return { kind: 'error', header, errors: parseErrors(node) };
    default:
      throw new CodecError(
        'document',
        `root element <${name}> is not MTConnectDevices, MTConnectStreams or MTConnectError`,
      );
  }
}

function expect<K extends 'devices' | 'streams'>(
  xml: string,
  kind: K,
  status?: number,
): Extract<MTConnectDocument, { kind: K }> {
  const doc = parseMTConnectDocument(xml);
  if (doc.kind === 'error') throw new MTConnectAgentError(doc.errors, doc.header, status);
  if (doc.kind !== kind) {
    throw new CodecError(
      'document',
      `expected an MTConnect${kind === 'devices' ? 'Devices' : 'Streams'} document, got ${doc.kind}`,
    );
  }
  return doc as Extract<MTConnectDocument, { kind: K }>;
}

/** A probe answer; an MTConnectError document becomes an MTConnectAgentError. */
export function parseDevicesDocument(xml: string, status?: number): MTConnectDevicesDocument {
  return expect(xml, 'devices', status);
}

/** A current/sample answer; an MTConnectError document becomes an MTConnectAgentError. */
export function parseStreamsDocument(xml: string, status?: number): MTConnectStreamsDocument {
  return expect(xml, 'streams', status);
}
