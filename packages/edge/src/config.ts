import { parseMachineMappings, type OpcUaMachineMapping } from '@kerf/connectors';

/**
 * The edge gateway's configuration file (JSON). Everything the process needs is here so one file
 * describes one gateway; validation collects every problem at once and names the field, because
 * the person fixing it is usually on a shop-floor PC without a debugger.
 */
export type FullPolicy = 'drop-oldest' | 'stop-intake';

export interface UpstreamConfig {
  /** mqtt://host:port or mqtts://host:port of Kerf's broker. */
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  /** 4 = MQTT 3.1.1 (Kerf's embedded broker speaks only this), 5 = MQTT 5. */
  protocolVersion: 4 | 5;
  /** QoS 1 publishes not yet acknowledged; bounds what is resent after a cut. */
  inflight: number;
  /** Upper bound of the reconnect backoff. */
  reconnectMaxMs: number;
}

export interface BufferConfig {
  path: string;
  maxEvents?: number;
  maxBytes?: number;
  fullPolicy: FullPolicy;
}

interface MachineBase {
  /** Kerf work center code, the machineId of every event this machine produces. */
  id: string;
  department: string;
}

export interface MtconnectMachine extends MachineBase {
  protocol: 'mtconnect';
  agentUrl: string;
  device: string;
}

export interface OpcuaMachine extends MachineBase {
  protocol: 'opcua';
  endpoint: string;
  /**
   * Which node feeds what, as @kerf/connectors' OpcUaMachineMapping without machineId: itemState,
   * operationMode, alarms, metrics (Kerf metric -> browse path or NodeId), namespaceUri, namespaces.
   */
  nodes: Omit<OpcUaMachineMapping, 'machineId'>;
  securityMode: 'None' | 'Sign' | 'SignAndEncrypt';
  securityPolicy: 'None' | 'Basic256Sha256' | 'Aes128_Sha256_RsaOaep' | 'Aes256_Sha256_RsaPss';
  username?: string;
  password?: string;
  /** Client certificate and trust lists; default `opcua-pki` beside the buffer file. */
  pkiDir?: string;
}

export interface MqttLocalMachine extends MachineBase {
  protocol: 'mqtt-local';
  /** Local broker the machine (or its PLC bridge) publishes to. */
  url: string;
  /** Topic filter in the shopfloor/{dept}/{machine}/{metric} scheme; default shopfloor/+/{id}/#. */
  topic: string;
}

export type MachineConfig = MtconnectMachine | OpcuaMachine | MqttLocalMachine;

export interface EdgeConfig {
  gatewayId: string;
  upstream: UpstreamConfig;
  buffer: BufferConfig;
  machines: MachineConfig[];
  /** 0 picks a free port (tests); the health server binds 127.0.0.1 only. */
  healthPort: number;
}

import { ConfigError, readConfigJson } from './config-file.js';

export { ConfigError, readConfigJson };

type Obj = Record<string, unknown>;

/** Reads and validates a config file; throws ConfigError (also for unreadable or non-JSON files). */
export function loadConfig(path: string): EdgeConfig {
  return parseConfig(readConfigJson(path));
}

export function parseConfig(json: unknown): EdgeConfig {
  const problems: string[] = [];
  const v = new Reader(problems);
  if (!isObj(json)) throw new ConfigError(['(root): must be a JSON object']);
  v.unknownKeys(json, '', ['gatewayId', 'upstream', 'buffer', 'machines', 'healthPort']);

  const gatewayId = v.id(json, 'gatewayId', '');
  const up = v.obj(json, 'upstream', '');
  const upstream: UpstreamConfig = {
    url: v.url(up, 'upstream', 'url', ['mqtt:', 'mqtts:', 'tcp:']),
    username: v.optStr(up, 'upstream', 'username'),
    password: v.optStr(up, 'upstream', 'password'),
    clientId: v.optStr(up, 'upstream', 'clientId') ?? `kerf-edge-${gatewayId}`,
    protocolVersion: v.oneOf(up, 'upstream', 'protocolVersion', [4, 5] as const, 4),
    inflight: v.int(up, 'upstream', 'inflight', 1, 65_000, 1000),
    reconnectMaxMs: v.int(up, 'upstream', 'reconnectMaxMs', 100, 3_600_000, 30_000),
  };
  v.unknownKeys(up, 'upstream', [
    'url',
    'username',
    'password',
    'clientId',
    'qos',
    'protocolVersion',
    'inflight',
    'reconnectMaxMs',
  ]);
  if (up.qos !== undefined && up.qos !== 1)
    problems.push('upstream.qos: must be 1 (the gateway only publishes at QoS 1)');

  const buf = v.obj(json, 'buffer', '');
  const buffer: BufferConfig = {
    path: v.str(buf, 'buffer', 'path'),
    maxEvents: v.optInt(buf, 'buffer', 'maxEvents', 1),
    maxBytes: v.optInt(buf, 'buffer', 'maxBytes', 1 << 20),
    fullPolicy: v.oneOf(buf, 'buffer', 'fullPolicy', ['drop-oldest', 'stop-intake'] as const, 'drop-oldest'),
  };
  v.unknownKeys(buf, 'buffer', ['path', 'maxEvents', 'maxBytes', 'fullPolicy']);
  if (isObj(json.buffer) && buffer.maxEvents === undefined && buffer.maxBytes === undefined) {
    problems.push('buffer: set maxEvents and/or maxBytes so disk use is bounded');
  }

  const machines: MachineConfig[] = [];
  if (!Array.isArray(json.machines) || json.machines.length === 0) {
    problems.push('machines: must be a non-empty array');
  } else {
    const seen = new Set<string>();
    json.machines.forEach((raw, i) => {
      const at = `machines[${i}]`;
      if (!isObj(raw)) {
        problems.push(`${at}: must be an object`);
        return;
      }
      const m = parseMachine(v, raw, at);
      if (!m) return;
      if (seen.has(m.id)) problems.push(`${at}.id: duplicate machine id "${m.id}"`);
      seen.add(m.id);
      machines.push(m);
    });
  }
  const healthPort = v.int(json, '', 'healthPort', 0, 65_535, 8787);

  if (problems.length > 0) throw new ConfigError(problems);
  return { gatewayId, upstream, buffer, machines, healthPort };
}

function parseMachine(v: Reader, raw: Obj, at: string): MachineConfig | null {
  const id = v.id(raw, 'id', at);
  const department = v.id(raw, 'department', at);
  const protocol = raw.protocol;
  switch (protocol) {
    case 'mtconnect':
      v.unknownKeys(raw, at, ['id', 'department', 'protocol', 'agentUrl', 'device']);
      return {
        id,
        department,
        protocol,
        agentUrl: v.url(raw, at, 'agentUrl', ['http:', 'https:']),
        device: v.str(raw, at, 'device'),
      };
    case 'opcua': {
      v.unknownKeys(raw, at, [
        'id',
        'department',
        'protocol',
        'endpoint',
        'nodes',
        'securityMode',
        'securityPolicy',
        'username',
        'password',
        'pkiDir',
      ]);
      const nodes = v.obj(raw, 'nodes', at) as Omit<OpcUaMachineMapping, 'machineId'>;
      if (isObj(raw.nodes)) {
        try {
          parseMachineMappings([{ ...nodes, machineId: id || 'machine' }]);
        } catch (error) {
          // The connector names fields from its own machines[0]; say where they are in this file.
          const message = error instanceof Error ? error.message : String(error);
          v.problems.push(
            message.startsWith('machines: ')
              ? `${at}.nodes: ${message.slice('machines: '.length)}`
              : message.replace(/^machines\[0\]\./, `${at}.nodes.`),
          );
        }
      }
      const username = v.optStr(raw, at, 'username');
      const password = v.optStr(raw, at, 'password');
      if ((username === undefined) !== (password === undefined)) {
        v.problems.push(`${at}.password: username and password go together`);
      }
      const securityMode = v.oneOf(raw, at, 'securityMode', ['None', 'Sign', 'SignAndEncrypt'] as const, 'None');
      const securityPolicy = v.oneOf(
        raw,
        at,
        'securityPolicy',
        ['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'] as const,
        'None',
      );
      if ((securityMode === 'None') !== (securityPolicy === 'None')) {
        v.problems.push(`${at}.securityPolicy: "${securityPolicy}" does not fit securityMode "${securityMode}"`);
      }
      return {
        id,
        department,
        protocol,
        endpoint: v.url(raw, at, 'endpoint', ['opc.tcp:']),
        nodes,
        securityMode,
        securityPolicy,
        username,
        password,
        pkiDir: v.optStr(raw, at, 'pkiDir'),
      };
    }
    case 'mqtt-local':
      v.unknownKeys(raw, at, ['id', 'department', 'protocol', 'url', 'topic']);
      return {
        id,
        department,
        protocol,
        url: v.url(raw, at, 'url', ['mqtt:', 'mqtts:', 'tcp:']),
        topic: v.optStr(raw, at, 'topic') ?? `shopfloor/+/${id}/#`,
      };
    default:
      v.problems.push(`${at}.protocol: must be "mtconnect", "opcua" or "mqtt-local" (got ${JSON.stringify(protocol)})`);
      return null;
  }
}

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Field readers that record a problem and return a placeholder, so one pass finds every error. */
class Reader {
  constructor(readonly problems: string[]) {}

  private name(at: string, key: string): string {
    return at === '' ? key : `${at}.${key}`;
  }

  unknownKeys(obj: Obj, at: string, known: string[]): void {
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) this.problems.push(`${this.name(at, key)}: unknown field (known: ${known.join(', ')})`);
    }
  }

  obj(parent: Obj, key: string, at: string): Obj {
    const value = parent[key];
    if (isObj(value)) return value;
    this.problems.push(`${this.name(at, key)}: ${value === undefined ? 'required' : 'must be an object'}`);
    return {};
  }

  str(parent: Obj, at: string, key: string): string {
    const value = parent[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
    this.problems.push(`${this.name(at, key)}: ${value === undefined ? 'required' : 'must be a non-empty string'}`);
    return '';
  }

  optStr(parent: Obj, at: string, key: string): string | undefined {
    return parent[key] === undefined ? undefined : this.str(parent, at, key);
  }

  /** Ids become MQTT topic levels, so the MQTT wildcard and separator characters are refused. */
  id(parent: Obj, key: string, at: string): string {
    const value = this.str(parent, at, key);
    if (value !== '' && /[+#/\s]/.test(value)) {
      this.problems.push(`${this.name(at, key)}: must not contain '/', '+', '#' or spaces (got "${value}")`);
    }
    return value;
  }

  url(parent: Obj, at: string, key: string, schemes: string[]): string {
    const value = this.str(parent, at, key);
    if (value === '') return value;
    let protocol: string;
    try {
      protocol = new URL(value).protocol;
    } catch {
      this.problems.push(`${this.name(at, key)}: not a URL (got "${value}")`);
      return value;
    }
    if (!schemes.includes(protocol)) {
      this.problems.push(`${this.name(at, key)}: scheme must be ${schemes.join(' or ')} (got "${value}")`);
    }
    return value;
  }

  int(parent: Obj, at: string, key: string, min: number, max: number, fallback: number): number {
    return this.optInt(parent, at, key, min, max) ?? fallback;
  }

  optInt(parent: Obj, at: string, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const value = parent[key];
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    this.problems.push(
      `${this.name(at, key)}: must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`,
    );
    return undefined;
  }

  oneOf<T extends string | number>(parent: Obj, at: string, key: string, allowed: readonly T[], fallback: T): T {
    const value = parent[key];
    if (value === undefined) return fallback;
    if ((allowed as readonly unknown[]).includes(value)) return value as T;
    this.problems.push(
      `${this.name(at, key)}: must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')} (got ${JSON.stringify(value)})`,
    );
    return fallback;
  }
}
