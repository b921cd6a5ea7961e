import {
  BrowseDirection,
  NodeClassMask,
  NodeId,
  ObjectIds,
  ReferenceTypeIds,
  resolveNodeId,
  type ClientSession,
  type ReferenceDescription,
} from 'node-opcua-client';
import type { BrowsePathOptions } from 'node-opcua-types';
import {
  OpcUaMappingError,
  UA_NAMESPACE_URI,
  type MonitoredNodeSpec,
  type ParsedNodeRef,
  type PathSegment,
} from './opcua-mapping.js';

/**
 * How a monitored node's value is read: as is, as the NodeId of a state object (CurrentState/Id), or as a
 * state's display text (a CurrentState without an Id child, language-dependent: the fallback).
 */
export type ValueMode = 'value' | 'stateId' | 'stateText';

export interface ResolvedNode {
  spec: MonitoredNodeSpec;
  nodeId: NodeId;
  mode: ValueMode;
}

/**
 * Turns every mapped node into a NodeId of the server behind `session`, reading the server's namespace table
 * first: call again after every new session, since a restarted server may number its namespaces differently.
 * Collects every failure and throws one OpcUaMappingError listing them, each naming the mapping field and path.
 */
export async function resolveMonitoredNodes(
  session: ClientSession,
  specs: readonly MonitoredNodeSpec[],
): Promise<{ namespaces: string[]; nodes: ResolvedNode[] }> {
  const namespaces = await session.readNamespaceArray();
  const resolver = new Resolver(session, namespaces);
  const errors: string[] = [];
  const bases = await resolver.resolveAll(specs.map((s) => s.ref));
  const resolved: ResolvedNode[] = [];
  const stateRoles = new Set(['itemState', 'operationMode']);
  const ids = await resolver.children(
    bases.map((b, i) => (b instanceof NodeId && stateRoles.has(specs[i]?.role.role ?? '') ? b : null)),
    { name: 'Id', namespaceUri: UA_NAMESPACE_URI },
  );
  specs.forEach((spec, i) => {
    const base = bases[i];
    if (!(base instanceof NodeId)) {
      errors.push(base ?? `${spec.ref.field}: not resolved`);
      return;
    }
    if (!stateRoles.has(spec.role.role)) {
      resolved.push({ spec, nodeId: base, mode: 'value' });
      return;
    }
    const id = ids[i];
    resolved.push(id ? { spec, nodeId: id, mode: 'stateId' } : { spec, nodeId: base, mode: 'stateText' });
  });
  if (errors.length > 0) throw new OpcUaMappingError(errors.join('; '));
  return { namespaces, nodes: resolved };
}

class Resolver {
  constructor(
    private readonly session: ClientSession,
    private readonly namespaces: readonly string[],
  ) {}

  private index(uri: string): number | null {
    const i = this.namespaces.indexOf(uri);
    return i < 0 ? null : i;
  }

  /** One NodeId or an error message per ref; browse paths go through one TranslateBrowsePaths call. */
  async resolveAll(refs: readonly ParsedNodeRef[]): Promise<(NodeId | string)[]> {
    const out: (NodeId | string)[] = refs.map(() => '');
    const paths: { at: number; path: BrowsePathOptions }[] = [];
    refs.forEach((ref, at) => {
      if (ref.kind === 'nodeId') {
        out[at] = this.nodeIdOf(ref);
        return;
      }
      const exact = this.exactPath(ref);
      if (typeof exact === 'string') out[at] = exact;
      else paths.push({ at, path: exact });
    });
    if (paths.length > 0) {
      const results = await this.session.translateBrowsePath(paths.map((p) => p.path));
      for (const [k, p] of paths.entries()) {
        const target = results[k]?.statusCode.isGood() ? results[k]?.targets?.[0] : undefined;
        if (target && target.remainingPathIndex === 0xffffffff) out[p.at] = toNodeId(target.targetId);
      }
    }
    // Paths that do not match with exact namespaces: walk them, matching unprefixed names in any namespace.
    for (const [at, ref] of refs.entries()) {
      if (ref.kind === 'path' && !(out[at] instanceof NodeId)) out[at] = await this.walk(ref);
    }
    return out;
  }

  private nodeIdOf(ref: Extract<ParsedNodeRef, { kind: 'nodeId' }>): NodeId | string {
    let index = ref.namespaceIndex;
    if (ref.namespaceUri !== null) {
      index = this.index(ref.namespaceUri);
      if (index === null) return `${ref.field}: namespace "${ref.namespaceUri}" of "${ref.text}" is not on the server`;
    }
    try {
      return resolveNodeId(`ns=${index ?? 0};${ref.identifier}`);
    } catch {
      return `${ref.field}: "${ref.text}" is not a valid NodeId`;
    }
  }

  private startNode(ref: Extract<ParsedNodeRef, { kind: 'path' }>): NodeId {
    return resolveNodeId(ref.root === 'Objects' ? ObjectIds.ObjectsFolder : ObjectIds.RootFolder);
  }

  private exactPath(ref: Extract<ParsedNodeRef, { kind: 'path' }>): BrowsePathOptions | string {
    const defaultIndex = ref.defaultNamespaceUri === null ? 0 : this.index(ref.defaultNamespaceUri);
    const elements = [];
    for (const segment of ref.segments) {
      const uri = segment.namespaceUri;
      const index = uri === null ? defaultIndex : this.index(uri);
      if (index === null) {
        return `${ref.field}: namespace "${uri ?? ref.defaultNamespaceUri ?? ''}" of browse path "${ref.text}" is not on the server`;
      }
      elements.push({
        referenceTypeId: resolveNodeId(ReferenceTypeIds.HierarchicalReferences),
        isInverse: false,
        includeSubtypes: true,
        targetName: { namespaceIndex: index, name: segment.name },
      });
    }
    return { startingNode: this.startNode(ref), relativePath: { elements } };
  }

  private async walk(ref: Extract<ParsedNodeRef, { kind: 'path' }>): Promise<NodeId | string> {
    let node = this.startNode(ref);
    let reached = `/${ref.root}`;
    for (const segment of ref.segments) {
      const children = await this.browseChildren(node);
      const match = this.pick(children, segment, ref.defaultNamespaceUri);
      if (!match) {
        return `${ref.field}: browse path "${ref.text}" not found on the server: no child "${segment.name}" under "${reached}"`;
      }
      node = match;
      reached += `/${segment.name}`;
    }
    return node;
  }

  private pick(children: ReferenceDescription[], segment: PathSegment, defaultUri: string | null): NodeId | null {
    const named = children.filter((c) => c.browseName.name === segment.name);
    const inNamespace = (uri: string | null): ReferenceDescription | undefined => {
      const index = uri === null ? null : this.index(uri);
      return index === null ? undefined : named.find((c) => c.browseName.namespaceIndex === index);
    };
    const found =
      segment.namespaceUri !== null ? inNamespace(segment.namespaceUri) : (inNamespace(defaultUri) ?? named[0]);
    return found ? toNodeId(found.nodeId) : null;
  }

  private async browseChildren(node: NodeId): Promise<ReferenceDescription[]> {
    const result = await this.session.browse({
      nodeId: node,
      browseDirection: BrowseDirection.Forward,
      referenceTypeId: resolveNodeId(ReferenceTypeIds.HierarchicalReferences),
      includeSubtypes: true,
      nodeClassMask: NodeClassMask.Object | NodeClassMask.Variable,
      resultMask: 0x3f,
    });
    const references = [...(result.references ?? [])];
    let continuationPoint = result.continuationPoint;
    while (continuationPoint && continuationPoint.length > 0) {
      const next = await this.session.browseNext(continuationPoint, false);
      references.push(...(next.references ?? []));
      continuationPoint = next.continuationPoint;
    }
    return references;
  }

  /** The child named `segment` of each given node (null where no node is given or there is no such child). */
  async children(
    nodes: readonly (NodeId | null)[],
    segment: { name: string; namespaceUri: string },
  ): Promise<(NodeId | null)[]> {
    const index = this.index(segment.namespaceUri) ?? 0;
    const asked = nodes.flatMap((n, at) => (n ? [{ at, n }] : []));
    const out: (NodeId | null)[] = nodes.map(() => null);
    if (asked.length === 0) return out;
    const results = await this.session.translateBrowsePath(
      asked.map(({ n }) => ({
        startingNode: n,
        relativePath: {
          elements: [
            {
              referenceTypeId: resolveNodeId(ReferenceTypeIds.HierarchicalReferences),
              isInverse: false,
              includeSubtypes: true,
              targetName: { namespaceIndex: index, name: segment.name },
            },
          ],
        },
      })),
    );
    asked.forEach(({ at }, k) => {
      const target = results[k]?.statusCode.isGood() ? results[k]?.targets?.[0] : undefined;
      if (target) out[at] = toNodeId(target.targetId);
    });
    return out;
  }
}

/** The local NodeId of a translate/browse target (an ExpandedNodeId of this server). */
function toNodeId(id: NodeId): NodeId {
  return new NodeId(id.identifierType, id.value, id.namespace);
}
