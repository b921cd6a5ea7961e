import {
  MTConnectClient,
  type MTConnectClientOptions,
  machineToolMapping,
  OpcUaMachineClient,
  type OpcUaMachineClientOptions,
  type OpcUaMachineMapping,
} from '@kerf/connectors';
import type { ClientFactory, ClientHandlers, MachineClient, ManagedMachine } from './connector-manager.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function need(machine: ManagedMachine, field: string): string {
  const v = str(machine.connection[field]);
  if (!v) throw new Error(`machine ${machine.code}: connection.${field} is required for protocol ${machine.protocol}`);
  return v;
}

/**
 * OPC UA settings of a machine (`connection`): `endpointUrl` (opc.tcp://host:port), and either
 * `mapping` (an OpcUaMachineMapping without machineId) or `namespaceUri` for servers laid out like
 * the Kerf simulator; optional `securityMode`, `securityPolicy`, `identity`, `publishingIntervalMs`.
 */
export function opcUaOptions(machine: ManagedMachine): OpcUaMachineClientOptions {
  const c = machine.connection;
  const endpointUrl = need(machine, 'endpointUrl');
  let mapping: OpcUaMachineMapping;
  if (c.mapping !== undefined) {
    if (typeof c.mapping !== 'object' || c.mapping === null || Array.isArray(c.mapping))
      throw new Error(`machine ${machine.code}: connection.mapping must be an object`);
    mapping = { ...(c.mapping as Omit<OpcUaMachineMapping, 'machineId'>), machineId: machine.code };
  } else {
    mapping = machineToolMapping(machine.code, need(machine, 'namespaceUri'));
  }
  const options: OpcUaMachineClientOptions = { endpointUrl, machines: [mapping] };
  const passthrough = ['securityMode', 'securityPolicy', 'identity', 'publishingIntervalMs', 'reconnect', 'pkiDir'];
  for (const key of passthrough) if (c[key] !== undefined) Object.assign(options, { [key]: c[key] });
  return options;
}

export const opcUaFactory: ClientFactory = (machine: ManagedMachine, handlers: ClientHandlers): MachineClient => {
  const client = new OpcUaMachineClient(opcUaOptions(machine));
  client.onEvents((events) => void handlers.events(events));
  client.onStatus((s) => {
    switch (s.status) {
      case 'connected':
      case 'session_restored':
        handlers.connected(true);
        break;
      case 'connection_lost':
      case 'reconnecting':
        handlers.connected(false);
        break;
      case 'error':
        handlers.error(s.error);
        break;
    }
  });
  return {
    // The client retries an unreachable server by itself; a refused mapping or identity rejects.
    start: () => client.start(),
    stop: () => client.stop(),
  };
};

/**
 * MTConnect settings of a machine (`connection`): `url` of the agent (http://host:port) and
 * `device` (name or uuid; default the machine code), optional `mode` ('stream' | 'poll'),
 * `interval`, `heartbeat`, `metrics` (DataItem id or name -> Kerf metric).
 */
export function mtconnectOptions(
  machine: ManagedMachine,
  onEvents: MTConnectClientOptions['onEvents'],
  onStatus: MTConnectClientOptions['onStatus'],
): MTConnectClientOptions {
  const c = machine.connection;
  const device = str(c.device) ?? machine.code;
  const options: MTConnectClientOptions = {
    url: need(machine, 'url'),
    device,
    machines: { [device]: machine.code },
    onlyMappedDevices: true,
    onEvents,
    onStatus,
  };
  if (c.mode === 'stream' || c.mode === 'poll') options.mode = c.mode;
  for (const key of ['interval', 'heartbeat', 'pollInterval', 'requestTimeout'] as const) {
    const v = c[key];
    if (v !== undefined) {
      if (typeof v !== 'number' || !(v > 0))
        throw new Error(`machine ${machine.code}: connection.${key} must be a positive number of ms`);
      options[key] = v;
    }
  }
  if (c.metrics !== undefined) {
    if (typeof c.metrics !== 'object' || c.metrics === null || Array.isArray(c.metrics))
      throw new Error(`machine ${machine.code}: connection.metrics must map DataItem ids to metric names`);
    options.metrics = c.metrics as Record<string, string>;
  }
  return options;
}

export const mtconnectFactory: ClientFactory = (machine: ManagedMachine, handlers: ClientHandlers): MachineClient => {
  const client = new MTConnectClient(
    mtconnectOptions(
      machine,
      (events) => handlers.events(events),
      (s) => {
        switch (s.kind) {
          case 'connected':
          case 'streaming':
          case 'polling':
            handlers.connected(true);
            break;
          case 'disconnected':
            handlers.connected(false);
            handlers.error(new Error(s.error));
            break;
          case 'consumer-error':
            handlers.error(new Error(s.error));
            break;
          case 'connecting':
          case 'gap':
          case 'instance-changed':
          case 'stopped':
            break;
        }
      },
    ),
  );
  return { start: () => client.start(), stop: () => client.stop() };
};

/** The protocols the manager runs clients for (MQTT and Sparkplug arrive through the broker instead). */
export const DEFAULT_FACTORIES: Record<string, ClientFactory> = {
  mtconnect: mtconnectFactory,
  opcua: opcUaFactory,
};
