/** A machine as `/machines` returns it for editing (connection secrets come back as ********). */
export interface RegisteredMachine {
  id: string;
  code: string;
  name: string;
  workCenterId: string | null;
  departmentId: string;
  protocol: Protocol;
  connection: Record<string, unknown>;
  enabled: boolean;
  version: number;
}

export const PROTOCOLS = ['mqtt', 'sparkplug', 'mtconnect', 'opcua'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const PROTOCOL_LABELS: Record<Protocol, string> = {
  mqtt: 'MQTT (JSON on shopfloor/…)',
  sparkplug: 'Sparkplug B',
  mtconnect: 'MTConnect agent',
  opcua: 'OPC UA server',
};
