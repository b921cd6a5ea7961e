import { join } from 'node:path';
import {
  MTConnectClient,
  OPCUA_SECURITY_MODES,
  OPCUA_SECURITY_POLICIES,
  OpcUaSecurityError,
  type MTConnectClientOptions,
  machineToolMapping,
  OpcUaMachineClient,
  type OpcUaMachineClientOptions,
  type OpcUaMachineMapping,
} from '@kerf/connectors';
import type { Config } from '../../platform/config.js';
import type { ClientFactory, ClientHandlers, MachineClient, ManagedMachine } from './connector-manager.js';

/** What the operator decides for every OPC UA connection of this Kerf (env, docs/machines.md), not per machine. */
export interface OpcUaConnectorSettings {
  /** client certificate and trust lists: `trusted/certs` holds the server certificates Kerf accepts */
  pkiDir: string;
  /** KERF_OPCUA_TRUST_UNKNOWN_CERTS */
  trustUnknownServerCertificates: boolean;
}

export function opcUaConnectorSettings(
  config: Pick<Config, 'dataDir' | 'opcuaPkiDir' | 'opcuaTrustUnknownCerts'>,
): OpcUaConnectorSettings {
  return {
    pkiDir: config.opcuaPkiDir ?? join(config.dataDir, 'opcua-pki'),
    trustUnknownServerCertificates: config.opcuaTrustUnknownCerts,
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function need(machine: ManagedMachine, field: string): string {
  const v = str(machine.connection[field]);
  if (!v) throw new Error(`machine ${machine.code}: connection.${field} is required for protocol ${machine.protocol}`);
  return v;
}

function oneOf<T extends string>(machine: ManagedMachine, field: string, allowed: readonly T[]): T | undefined {
  const v = machine.connection[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw new Error(`machine ${machine.code}: connection.${field} must be one of ${allowed.join(', ')}`);
  return v as T;
}

/**
 * OPC UA settings of a machine (`connection`): `endpointUrl` (opc.tcp://host:port), and either
 * `mapping` (an OpcUaMachineMapping without machineId) or `namespaceUri` for servers laid out like
 * the Kerf simulator; optional `securityMode` (default SignAndEncrypt), `securityPolicy` (default
 * Basic256Sha256, None with securityMode None), `identity`, `publishingIntervalMs`, `reconnect`.
 * Where certificates live and whether unknown servers are trusted is Kerf's (`settings`), not the
 * machine's: nobody with machine:config picks a folder on the server or turns the check off.
 */
export function opcUaOptions(machine: ManagedMachine, settings: OpcUaConnectorSettings): OpcUaMachineClientOptions {
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
  const options: OpcUaMachineClientOptions = {
    endpointUrl,
    machines: [mapping],
    pkiDir: settings.pkiDir,
    trustUnknownServerCertificate: settings.trustUnknownServerCertificates,
  };
  const securityMode = oneOf(machine, 'securityMode', OPCUA_SECURITY_MODES);
  const securityPolicy = oneOf(machine, 'securityPolicy', OPCUA_SECURITY_POLICIES);
  if (securityMode) options.securityMode = securityMode;
  if (securityPolicy) options.securityPolicy = securityPolicy;
  for (const key of ['identity', 'publishingIntervalMs', 'reconnect'])
    if (c[key] !== undefined) Object.assign(options, { [key]: c[key] });
  return options;
}

/** The client's security refusals with the Kerf setting that changes them. */
function inKerfTerms(error: unknown, settings: OpcUaConnectorSettings): unknown {
  if (!(error instanceof OpcUaSecurityError)) return error;
  const hint =
    error.reason === 'untrusted_certificate'
      ? ' (KERF_OPCUA_TRUST_UNKNOWN_CERTS=1 accepts unknown servers)'
      : ' (connection.securityMode / connection.securityPolicy of the machine)';
  return settings.trustUnknownServerCertificates && error.reason === 'untrusted_certificate'
    ? error
    : new OpcUaSecurityError(error.reason, error.message + hint);
}

export const opcUaFactory =
  (settings: OpcUaConnectorSettings): ClientFactory =>
  (machine: ManagedMachine, handlers: ClientHandlers): MachineClient => {
    const client = new OpcUaMachineClient(opcUaOptions(machine, settings));
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
      // The client retries an unreachable server by itself; a refused mapping, identity or certificate rejects.
      start: () => client.start().catch((error: unknown) => Promise.reject(inKerfTerms(error, settings))),
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
export function connectorFactories(opcua: OpcUaConnectorSettings): Record<string, ClientFactory> {
  return { mtconnect: mtconnectFactory, opcua: opcUaFactory(opcua) };
}
