/**
 * Which OPC UA node feeds which Kerf metric of a machine. Nodes are named by namespace URI, never by a bare
 * namespace index: indexes are server-specific and may change when the server restarts.
 */

/** A node: a browse path or a NodeId string, optionally with the namespace of unprefixed path segments. */
export interface OpcUaNodeRef {
  /**
   * From the Objects folder, e.g. `/Objects/Machines/PUN-01/Monitoring/MachineryItemState/CurrentState`.
   * A segment `alias:Name` takes the namespace of `alias` in the mapping's `namespaces` (`ua:` is namespace 0);
   * an unprefixed segment takes `namespaceUri` (of this ref, else of the mapping). When such a path does not
   * match exactly (real models mix namespaces: Machines and MachineryItemState are Machinery's, CurrentState is
   * namespace 0), unprefixed segments are matched by name in any namespace, the default one first.
   */
  browsePath?: string;
  /** `nsu=<uri>;s=...` (preferred), `i=85` or `ns=2;s=...` (index: only if the server's namespaces never move). */
  nodeId?: string;
  namespaceUri?: string;
}

/** A string starting with "/" is a browse path, anything else a NodeId. */
export type OpcUaNodeSpec = string | OpcUaNodeRef;

export interface OpcUaMachineMapping {
  /** Kerf work center code, e.g. "PUN-01". */
  machineId: string;
  /** Namespace of unprefixed browse path segments. */
  namespaceUri?: string;
  /** Aliases usable as `alias:Name` in browse paths, e.g. `{ machinery: 'http://opcfoundation.org/UA/Machinery/' }`. */
  namespaces?: Record<string, string>;
  /** CurrentState of a Machinery MachineryItemState state machine (its `Id` child is monitored). */
  itemState?: OpcUaNodeSpec;
  /** CurrentState of a Machinery MachineryOperationMode state machine (its `Id` child is monitored). */
  operationMode?: OpcUaNodeSpec;
  /** A String[] variable of active alarms, one JSON `{code, severity?, message?}` per element (see README). */
  alarms?: OpcUaNodeSpec;
  /**
   * Kerf metric name -> variable: "part_count" and names ending in "_count" are counts, anything else (e.g.
   * "cycle_time", "program") a metric.
   */
  metrics?: Record<string, OpcUaNodeSpec>;
}

export const UA_NAMESPACE_URI = 'http://opcfoundation.org/UA/';
export const MACHINERY_NAMESPACE_URI = 'http://opcfoundation.org/UA/Machinery/';

/** One browse path segment; `namespaceUri` null means "the default namespace, else any". */
export interface PathSegment {
  name: string;
  namespaceUri: string | null;
}

/** A node reference checked and normalised: where to find it and which mapping field it came from. */
export type ParsedNodeRef =
  | {
      kind: 'path';
      field: string;
      text: string;
      root: 'Objects' | 'Root';
      defaultNamespaceUri: string | null;
      segments: PathSegment[];
    }
  | {
      kind: 'nodeId';
      field: string;
      text: string;
      namespaceUri: string | null;
      identifier: string;
      namespaceIndex: number | null;
    };

export type MetricRole =
  | { role: 'itemState' }
  | { role: 'operationMode' }
  | { role: 'alarms' }
  | { role: 'metric'; metric: string; kind: 'count' | 'metric' };

/** A node to monitor for one machine. */
export interface MonitoredNodeSpec {
  machineId: string;
  role: MetricRole;
  ref: ParsedNodeRef;
}

export class OpcUaMappingError extends Error {
  override readonly name = 'OpcUaMappingError';
}

/** Validates the mappings of every machine; throws OpcUaMappingError naming the field. */
export function parseMachineMappings(machines: readonly OpcUaMachineMapping[]): MonitoredNodeSpec[] {
  const specs: MonitoredNodeSpec[] = [];
  const seen = new Set<string>();
  machines.forEach((m, i) => {
    const at = `machines[${i}]`;
    if (!m.machineId) throw new OpcUaMappingError(`${at}.machineId: must be non-empty`);
    if (seen.has(m.machineId)) throw new OpcUaMappingError(`${at}.machineId: duplicate "${m.machineId}"`);
    seen.add(m.machineId);
    const add = (role: MetricRole, field: string, spec: OpcUaNodeSpec | undefined): void => {
      if (spec === undefined) return;
      specs.push({ machineId: m.machineId, role, ref: parseNodeSpec(spec, m, `${at}.${field}`) });
    };
    add({ role: 'itemState' }, 'itemState', m.itemState);
    add({ role: 'operationMode' }, 'operationMode', m.operationMode);
    add({ role: 'alarms' }, 'alarms', m.alarms);
    for (const [metric, spec] of Object.entries(m.metrics ?? {})) {
      if (metric === 'state' || metric === 'alarm') {
        throw new OpcUaMappingError(`${at}.metrics.${metric}: use itemState/operationMode or alarms for "${metric}"`);
      }
      const kind = metric === 'part_count' || metric.endsWith('_count') ? 'count' : 'metric';
      add({ role: 'metric', metric, kind }, `metrics.${metric}`, spec);
    }
    if (m.operationMode !== undefined && m.itemState === undefined) {
      throw new OpcUaMappingError(`${at}.operationMode: needs itemState too (the state is derived from both)`);
    }
  });
  if (specs.length === 0) throw new OpcUaMappingError('machines: no node is mapped');
  return specs;
}

function parseNodeSpec(spec: OpcUaNodeSpec, m: OpcUaMachineMapping, field: string): ParsedNodeRef {
  const ref: OpcUaNodeRef =
    typeof spec === 'string' ? (spec.startsWith('/') ? { browsePath: spec } : { nodeId: spec }) : spec;
  if ((ref.browsePath === undefined) === (ref.nodeId === undefined)) {
    throw new OpcUaMappingError(`${field}: give exactly one of browsePath or nodeId`);
  }
  const defaultNamespaceUri = ref.namespaceUri ?? m.namespaceUri ?? null;
  if (ref.nodeId !== undefined) return parseNodeIdText(ref.nodeId, field);
  return parseBrowsePath(ref.browsePath ?? '', defaultNamespaceUri, m.namespaces ?? {}, field);
}

function parseNodeIdText(text: string, field: string): ParsedNodeRef {
  const nsu = /^nsu=([^;]+);((?:i|s|g|b)=.+)$/s.exec(text);
  if (nsu)
    return {
      kind: 'nodeId',
      field,
      text,
      namespaceUri: nsu[1] ?? null,
      identifier: nsu[2] ?? '',
      namespaceIndex: null,
    };
  const ns = /^ns=(\d+);((?:i|s|g|b)=.+)$/s.exec(text);
  if (ns)
    return { kind: 'nodeId', field, text, namespaceUri: null, identifier: ns[2] ?? '', namespaceIndex: Number(ns[1]) };
  if (/^(?:i|s|g|b)=.+$/s.test(text))
    return { kind: 'nodeId', field, text, namespaceUri: null, identifier: text, namespaceIndex: 0 };
  throw new OpcUaMappingError(
    `${field}: "${text}" is neither a browse path (starting with "/") nor a NodeId ("nsu=<uri>;s=..." or "ns=<n>;i=...")`,
  );
}

function parseBrowsePath(
  text: string,
  defaultNamespaceUri: string | null,
  aliases: Record<string, string>,
  field: string,
): ParsedNodeRef {
  const parts = text.split('/');
  if (parts[0] !== '' || parts.length < 3 || parts.some((p, i) => i > 0 && p === '')) {
    throw new OpcUaMappingError(`${field}: browse path "${text}" must look like /Objects/Folder/Variable`);
  }
  const root = parts[1];
  if (root !== 'Objects' && root !== 'Root') {
    throw new OpcUaMappingError(`${field}: browse path "${text}" must start at /Objects or /Root`);
  }
  const segments = parts.slice(2).map((part): PathSegment => {
    const colon = part.indexOf(':');
    if (colon < 0) return { name: part, namespaceUri: null };
    const alias = part.slice(0, colon);
    const name = part.slice(colon + 1);
    const uri = alias === 'ua' ? UA_NAMESPACE_URI : aliases[alias];
    if (uri === undefined) {
      const hint = /^\d+$/.test(alias) ? ' (namespace indexes change between servers: use an alias of a URI)' : '';
      throw new OpcUaMappingError(
        `${field}: segment "${part}" of "${text}" uses unknown namespace alias "${alias}"${hint}`,
      );
    }
    if (!name) throw new OpcUaMappingError(`${field}: segment "${part}" of "${text}" has no name`);
    return { name, namespaceUri: uri };
  });
  return { kind: 'path', field, text, root, defaultNamespaceUri, segments };
}

/**
 * The mapping of a machine laid out like the Kerf simulator (and OPC 40001/40501 servers that follow the same
 * shape): `/Objects/Machines/<machineId>/...`, machine nodes in `namespaceUri`.
 */
export function machineToolMapping(machineId: string, namespaceUri: string): OpcUaMachineMapping {
  const base = `/Objects/machinery:Machines/${machineId}`;
  return {
    machineId,
    namespaceUri,
    namespaces: { machinery: MACHINERY_NAMESPACE_URI },
    itemState: `${base}/Monitoring/machinery:MachineryItemState/ua:CurrentState`,
    operationMode: `${base}/Monitoring/machinery:MachineryOperationMode/ua:CurrentState`,
    alarms: `${base}/Notification/ActiveAlarms`,
    metrics: {
      part_count: `${base}/Production/Statistics/PartsProducedInLifetime`,
      cycle_time: `${base}/Monitoring/CycleTime`,
      program: `${base}/Production/ActiveProgram/Name`,
    },
  };
}
