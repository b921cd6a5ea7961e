/**
 * Sparkplug B topic namespace: `spBv1.0/<group>/<type>/<edge node>[/<device>]` (PROTOCOLS.md 4.1).
 * Device ids are required on D* messages and forbidden on N* messages; STATE topics are
 * `spBv1.0/STATE/<host id>` and carry JSON, not protobuf.
 */
import { CodecError } from '../codec-error.js';

export const SPARKPLUG_NAMESPACE = 'spBv1.0';
/** Subscription a host uses to see every group. */
export const SPARKPLUG_HOST_SUBSCRIPTION = `${SPARKPLUG_NAMESPACE}/#`;

export const SPARKPLUG_NODE_MESSAGE_TYPES = ['NBIRTH', 'NDEATH', 'NDATA', 'NCMD'] as const;
export const SPARKPLUG_DEVICE_MESSAGE_TYPES = ['DBIRTH', 'DDEATH', 'DDATA', 'DCMD'] as const;
export type SparkplugNodeMessageType = (typeof SPARKPLUG_NODE_MESSAGE_TYPES)[number];
export type SparkplugDeviceMessageType = (typeof SPARKPLUG_DEVICE_MESSAGE_TYPES)[number];
export type SparkplugMessageType = SparkplugNodeMessageType | SparkplugDeviceMessageType;

export type SparkplugTopic =
  | { type: SparkplugNodeMessageType; groupId: string; edgeNodeId: string; deviceId?: undefined }
  | { type: SparkplugDeviceMessageType; groupId: string; edgeNodeId: string; deviceId: string }
  | { type: 'STATE'; hostId: string };

function isNodeType(type: string): type is SparkplugNodeMessageType {
  return (SPARKPLUG_NODE_MESSAGE_TYPES as readonly string[]).includes(type);
}

function isDeviceType(type: string): type is SparkplugDeviceMessageType {
  return (SPARKPLUG_DEVICE_MESSAGE_TYPES as readonly string[]).includes(type);
}

function idProblem(id: string): string | null {
  if (id.length === 0) return 'must not be empty';
  if (/[/+#]/.test(id)) return 'must not contain "/", "+" or "#"';
  return null;
}

/** null for topics outside the Sparkplug B namespace or not shaped like one of its message types. */
export function parseSparkplugTopic(topic: string): SparkplugTopic | null {
  const parts = topic.split('/');
  if (parts[0] !== SPARKPLUG_NAMESPACE) return null;
  if (parts.length === 3 && parts[1] === 'STATE') {
    const hostId = parts[2] as string;
    return idProblem(hostId) ? null : { type: 'STATE', hostId };
  }
  if (parts.length !== 4 && parts.length !== 5) return null;
  const [, groupId, type, edgeNodeId, deviceId] = parts as [string, string, string, string, string | undefined];
  if (idProblem(groupId) || idProblem(edgeNodeId)) return null;
  if (isNodeType(type)) return deviceId === undefined ? { type, groupId, edgeNodeId } : null;
  if (isDeviceType(type)) {
    return deviceId !== undefined && !idProblem(deviceId) ? { type, groupId, edgeNodeId, deviceId } : null;
  }
  return null;
}

export function formatSparkplugTopic(topic: SparkplugTopic): string {
  if (topic.type === 'STATE') {
    assertId('hostId', topic.hostId);
    return `${SPARKPLUG_NAMESPACE}/STATE/${topic.hostId}`;
  }
  assertId('groupId', topic.groupId);
  assertId('edgeNodeId', topic.edgeNodeId);
  const base = `${SPARKPLUG_NAMESPACE}/${topic.groupId}/${topic.type}/${topic.edgeNodeId}`;
  if (isDeviceType(topic.type)) {
    if (topic.deviceId === undefined) throw new CodecError('deviceId', `is required for ${topic.type}`);
    assertId('deviceId', topic.deviceId);
    return `${base}/${topic.deviceId}`;
  }
  if (topic.deviceId !== undefined) throw new CodecError('deviceId', `is not allowed on ${topic.type}`);
  return base;
}

function assertId(field: string, id: string): void {
  const problem = idProblem(id);
  if (problem) throw new CodecError(field, `"${id}" ${problem}`);
}
