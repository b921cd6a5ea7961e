import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CodecError } from '../codec-error.js';

/**
 * One XML element as fast-xml-parser gives it with our options: child elements by local name
 * (always arrays, in document order per name), attributes under "@", trimmed text under "#text".
 */
export interface XmlNode {
  '@'?: Record<string, string>;
  '#text'?: string;
  [child: string]: XmlNode[] | Record<string, string> | string | undefined;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  attributesGroupName: '@',
  // Namespaces differ by version (urn:mtconnect.com 1.0, urn:mtconnect.org 1.1+) and prefixes are
  // optional, so everything is matched on local names.
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  alwaysCreateTextNode: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Entity handling in the parser costs more than the rest of parsing; MTConnect documents use only
  // the five XML entities and character references, decoded below. DOCTYPE entities are never expanded.
  processEntities: false,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

export interface XmlRoot {
  name: string;
  node: XmlNode;
  /** xmlns of the root, read before the parser strips it. */
  namespace?: string;
}

const ROOT_NS = /<(?:[\w.-]+:)?(MTConnect\w+)\b[^>]*?\sxmlns(?::[\w.-]+)?=["']([^"']*)["']/;

/** Parses and validates XML; anything malformed is a CodecError naming the line and column. */
export function parseXml(xml: string): XmlRoot {
  if (typeof xml !== 'string') throw new CodecError('document', 'expected XML text');
  if (xml.trim() === '') throw new CodecError('document', 'empty body, expected an MTConnect XML document');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new CodecError('document', `malformed XML at line ${line}${col ? `, column ${col}` : ''}: ${msg}`);
  }
  let tree: unknown;
  try {
    tree = parser.parse(xml);
  } catch (error) {
    throw new CodecError('document', `malformed XML: ${(error as Error).message}`, { cause: error });
  }
  const roots = Object.entries(tree as Record<string, unknown>).filter(([k]) => k !== '#text' && k !== '@');
  if (roots.length !== 1) throw new CodecError('document', `expected one root element, found ${roots.length}`);
  const [name, value] = roots[0]!;
  const node = Array.isArray(value) && value.length === 1 ? (value[0] as XmlNode) : undefined;
  if (node === undefined || typeof node !== 'object') throw new CodecError(name, 'expected one root element');
  // the root sits near the top; scanning all of a large document for it costs more than parsing
  const ns =
    ROOT_NS.exec(xml.length > 8192 ? xml.slice(0, 8192) : xml) ?? (xml.length > 8192 ? ROOT_NS.exec(xml) : null);
  return { name, node, namespace: ns !== null && ns[1] === name ? ns[2] : undefined };
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  if (node === undefined) return [];
  const value = node[name];
  return Array.isArray(value) ? value : [];
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

/** Every child element with its local name, in per-name document order. */
export function elements(node: XmlNode | undefined): [string, XmlNode][] {
  if (node === undefined) return [];
  const out: [string, XmlNode][] = [];
  for (const [name, value] of Object.entries(node)) {
    if (name === '@' || name === '#text' || !Array.isArray(value)) continue;
    for (const item of value) out.push([name, item]);
  }
  return out;
}

const ENTITY = /&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(ENTITY, (whole, name: string) => {
    if (name.charCodeAt(0) !== 35) return NAMED[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.['@']?.[name];
  return value === undefined ? undefined : decodeEntities(value).trim();
}

export function text(node: XmlNode | undefined): string {
  const value = node?.['#text'];
  return typeof value === 'string' ? decodeEntities(value).trim() : '';
}

/** Non-negative integer attribute; absent -> undefined, anything else -> CodecError naming the path. */
export function intAttr(node: XmlNode | undefined, name: string, path: string): number | undefined {
  const raw = attr(node, name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new CodecError(`${path}@${name}`, `expected a non-negative integer, got "${raw}"`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new CodecError(`${path}@${name}`, `${raw} is beyond 2^53`);
  return value;
}
