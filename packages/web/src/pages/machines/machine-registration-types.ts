import type { Protocol } from '../../api/models';

/** A machine as `/machines` returns it for editing (connection secrets come back as ********). */
export type { MachineRow as RegisteredMachine, Protocol } from '../../api/models';

/** One label per protocol the contract names: a protocol added on the server fails the type check here. */
export const PROTOCOL_LABELS: Record<Protocol, string> = {
  mqtt: 'MQTT (JSON on shopfloor/…)',
  sparkplug: 'Sparkplug B',
  mtconnect: 'MTConnect agent',
  opcua: 'OPC UA server',
};

export const PROTOCOLS = ['mqtt', 'sparkplug', 'mtconnect', 'opcua'] as const satisfies readonly Protocol[];
