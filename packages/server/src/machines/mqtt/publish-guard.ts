import { parseShopfloorTopic, parseSparkplugTopic } from '@kerf/connectors';
import type { MachineRef, MachineRegistry } from '../registry.js';

/**
 * Checks a device's publish against the machine registry, beyond its topic grants: the ingest
 * maps `shopfloor/{dept}/{code}/...` to machine `code` whatever `dept` says, so a device allowed
 * under `shopfloor/weld/` could otherwise drive a laser by naming it. Returns why the publish is
 * refused, or null when it may go ahead.
 */
export async function machineTopicProblem(topic: string, registry: MachineRegistry): Promise<string | null> {
  if (topic.startsWith('shopfloor/')) {
    const parsed = parseShopfloorTopic(topic);
    if (!parsed) return 'not shopfloor/{department}/{machine}/{metric}';
    const machine = await lookUp(registry, parsed.machineId);
    if (!machine) return `machine ${parsed.machineId} is not registered`;
    if (machine.departmentId !== parsed.department) {
      return `machine ${machine.code} belongs to department ${machine.departmentId}, not ${parsed.department}`;
    }
    return null;
  }
  if (topic.startsWith('spBv1.0/')) {
    const parsed = parseSparkplugTopic(topic);
    if (!parsed || parsed.type === 'STATE') return null; // the grants alone decide
    // The Sparkplug host reports a device's data as machine `deviceId`, a node's as `edgeNodeId`.
    const code = parsed.deviceId ?? parsed.edgeNodeId;
    const machine = await lookUp(registry, code);
    // An edge node or device that is no registered machine drives nothing: the ingest refuses its data.
    if (!machine) return null;
    if (machine.protocol !== 'sparkplug') return `machine ${code} is registered for ${machine.protocol}, not Sparkplug`;
    const { groupId, edgeNodeId } = machine.sparkplug ?? {};
    if (groupId !== undefined && groupId !== parsed.groupId) {
      return `machine ${code} is registered in Sparkplug group ${groupId}, not ${parsed.groupId}`;
    }
    if (parsed.deviceId !== undefined && edgeNodeId !== undefined && edgeNodeId !== parsed.edgeNodeId) {
      return `machine ${code} is registered under edge node ${edgeNodeId}, not ${parsed.edgeNodeId}`;
    }
    return null;
  }
  return null;
}

async function lookUp(registry: MachineRegistry, code: string): Promise<MachineRef | undefined> {
  // Reloads after a machine was created or changed, and at most once a second for unknown codes.
  await registry.resolve([code]);
  return registry.get(code);
}
