import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMachineState, type AlarmSeverity, type MachineState } from '@kerf/connectors';
import type { UAVariable } from 'node-opcua-address-space-base';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { nodesets } from 'node-opcua-nodesets';
import { OPCUAServer, type OPCUAServerOptions } from 'node-opcua-server';
import { StatusCodes } from 'node-opcua-status-code';
import { DataType, VariantArrayType } from 'node-opcua-variant';
import { addMachineNodes, writeState, type MachineNodes } from './machine-nodes.js';
import { MACHINERY_STATES_FOR } from './machinery-states.js';

function pemCertificateToDer(pem: string, file: string): Buffer {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!match?.[1]) throw new Error(`trustedUserCertificates: ${file} holds no PEM certificate`);
  return Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
}

/** MessageSecurityMode numbers (OPC UA Part 4, 7.20), without a direct dependency on node-opcua-secure-channel. */
const SECURITY_MODE_VALUES = { None: 1, Sign: 2, SignAndEncrypt: 3 } as unknown as Record<
  'None' | 'Sign' | 'SignAndEncrypt',
  NonNullable<OPCUAServerOptions['securityModes']>[number]
>;

/** The simulator's own namespace: every machine object and its variables live here. */
export const SIM_SHOP_NAMESPACE_URI = 'http://kerf.dev/UA/SimShop/';

export interface OpcUaMachineServerOptions {
  machines: { machineId: string; name: string }[];
  /** TCP port; 0 (default) picks a free one. The first start's port is kept for restarts. */
  port?: number;
  /** When set, these users may log in with user name and password. */
  users?: { userName: string; password: string }[];
  /** X.509 user certificates (PEM files) accepted as user identity; any other user certificate is refused. */
  trustedUserCertificates?: string[];
  /** Default true; false refuses anonymous sessions (then `users` or `trustedUserCertificates` must be given). */
  allowAnonymous?: boolean;
  /**
   * Namespaces registered before the simulator's own, so its namespace index differs from a run without them:
   * lets tests prove a client resolves namespaces by URI after a server restart.
   */
  extraNamespaceUris?: string[];
  /**
   * PKI folder of the server certificate. Default `<tmpdir>/kerf-opcua-sim-pki`, shared by every simulator
   * server on the machine: making the certificate costs seconds, so it is made once and kept.
   */
  pkiDir?: string;
  /** Channel security offered; default all three (None, Sign, SignAndEncrypt), like most machine servers. */
  securityModes?: ('None' | 'Sign' | 'SignAndEncrypt')[];
}

interface Sample<T> {
  value: T;
  at: Date;
}

interface AlarmEntry {
  code: string;
  severity: AlarmSeverity;
  message: string;
}

/** What the simulator set for one machine, kept outside the address space so a restart re-publishes it unchanged. */
interface MachineModel {
  state: Sample<MachineState>;
  partCount: Sample<number>;
  cycleTime: Sample<number>;
  program: Sample<string>;
  alarms: Sample<AlarmEntry[]>;
}

/**
 * An OPC UA server exposing simulated sheet-metal machines shaped after OPC 40001 Machinery / 40501 Machine
 * Tools (see machine-nodes.ts for the node layout), for the simulator to drive and for connector tests.
 *
 * Values carry the time they were set as source timestamp, and a stop()/start() cycle re-publishes them with
 * their original timestamps, as a real controller that kept its state through a server restart would. Each
 * variable's timestamps strictly increase so a client can tell a new report from a repeated one.
 */
export class OpcUaMachineServer {
  private readonly options: OpcUaMachineServerOptions;
  private readonly models = new Map<string, MachineModel>();
  private server: OPCUAServer | null = null;
  private nodes = new Map<string, MachineNodes>();
  private port: number;
  private lastStamp = 0;

  constructor(options: OpcUaMachineServerOptions) {
    if (options.machines.length === 0) throw new Error('machines: give at least one machine');
    const seen = new Set<string>();
    for (const [i, m] of options.machines.entries()) {
      if (!m.machineId || /[/.]/.test(m.machineId)) {
        throw new Error(`machines[${i}].machineId: must be non-empty without "/" or "." (got "${m.machineId}")`);
      }
      if (seen.has(m.machineId)) throw new Error(`machines[${i}].machineId: duplicate "${m.machineId}"`);
      seen.add(m.machineId);
    }
    if (options.allowAnonymous === false && !options.users?.length && !options.trustedUserCertificates?.length) {
      throw new Error('users: give at least one user or trusted user certificate when allowAnonymous is false');
    }
    this.options = options;
    this.port = options.port ?? 0;
    const at = new Date();
    for (const m of options.machines) {
      this.models.set(m.machineId, {
        state: { value: 'idle', at },
        partCount: { value: 0, at },
        cycleTime: { value: 0, at },
        program: { value: '', at },
        alarms: { value: [], at },
      });
    }
  }

  /** Starts listening on 127.0.0.1; after a stop() it starts again on the same port with the same values. */
  async start(overrides: { extraNamespaceUris?: string[] } = {}): Promise<{ endpointUrl: string }> {
    if (this.server) throw new Error('OpcUaMachineServer: already started');
    const pkiDir = this.options.pkiDir ?? join(tmpdir(), 'kerf-opcua-sim-pki');
    const serverCertificateManager = new OPCUACertificateManager({
      rootFolder: pkiDir,
      automaticallyAcceptUnknownCertificate: true,
    });
    // Without its own user PKI node-opcua would keep user certificates in a folder under the home directory.
    // One folder per set of trusted certificates, so a shared PKI folder never trusts more than this server was
    // told to.
    const userCertificates = (this.options.trustedUserCertificates ?? []).map((file) =>
      pemCertificateToDer(readFileSync(file, 'utf8'), file),
    );
    const digest = createHash('sha256');
    for (const der of [...userCertificates].sort(Buffer.compare)) digest.update(der);
    const userCertificateManager = new OPCUACertificateManager({
      rootFolder: join(pkiDir, `users-${userCertificates.length === 0 ? 'none' : digest.digest('hex').slice(0, 16)}`),
      automaticallyAcceptUnknownCertificate: false,
    });
    await userCertificateManager.initialize();
    for (const der of userCertificates) await userCertificateManager.trustCertificate(der);
    const users = this.options.users ?? [];
    const server = new OPCUAServer({
      hostname: '127.0.0.1',
      port: this.port,
      nodeset_filename: [nodesets.standard, nodesets.di, nodesets.ia, nodesets.machinery],
      serverCertificateManager,
      userCertificateManager,
      allowAnonymous: this.options.allowAnonymous ?? true,
      ...(this.options.securityModes
        ? { securityModes: this.options.securityModes.map((m) => SECURITY_MODE_VALUES[m]) }
        : {}),
      userManager: {
        isValidUser: (userName: string, password: string) =>
          users.some((u) => u.userName === userName && u.password === password),
      },
      // Every change goes out (exception-based monitoring, no coalescing window): a simulator whose counts can be
      // checked one by one. Machine variables are created with MinimumSamplingInterval 0 for the same reason.
      serverCapabilities: { minSupportedSampleRate: 0 },
      buildInfo: { productName: 'Kerf OPC UA machine simulator', manufacturerName: 'Kerf' },
    });
    await server.initialize();
    const addressSpace = server.engine.addressSpace;
    if (!addressSpace) throw new Error('OpcUaMachineServer: address space missing after initialize');
    for (const uri of overrides.extraNamespaceUris ?? this.options.extraNamespaceUris ?? []) {
      addressSpace.registerNamespace(uri);
    }
    const namespace = addressSpace.registerNamespace(SIM_SHOP_NAMESPACE_URI);
    this.nodes = new Map();
    for (const m of this.options.machines) {
      const nodes = addMachineNodes(addressSpace, namespace, m);
      this.nodes.set(m.machineId, nodes);
      this.publishAll(m.machineId);
    }
    await server.start();
    this.server = server;
    const port = server.endpoints[0]?.port;
    if (port === undefined) throw new Error('OpcUaMachineServer: no endpoint after start');
    this.port = port;
    return { endpointUrl: this.endpointUrl };
  }

  /** Index of SIM_SHOP_NAMESPACE_URI in the running server's namespace table (null when stopped). */
  get namespaceIndex(): number | null {
    return this.server?.engine.addressSpace?.getNamespaceIndex(SIM_SHOP_NAMESPACE_URI) ?? null;
  }

  get endpointUrl(): string {
    return `opc.tcp://127.0.0.1:${this.port}`;
  }

  /** Stops the server; the machine values stay for the next start(). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.nodes = new Map();
    if (server) await server.shutdown(0);
  }

  /** Same as stop(): nothing else to release (the PKI folder is shared and kept). */
  async dispose(): Promise<void> {
    await this.stop();
  }

  setState(machineId: string, state: MachineState): void {
    if (!isMachineState(state)) throw new Error(`state: "${String(state)}" is not a Kerf machine state`);
    this.model(machineId).state = { value: state, at: this.stamp() };
    this.publish(machineId, 'state');
  }

  setPartCount(machineId: string, count: number): void {
    if (!Number.isInteger(count) || count < 0 || count > 0xffffffff) {
      throw new Error(`partCount: must be an integer from 0 to 4294967295 (got ${count})`);
    }
    this.model(machineId).partCount = { value: count, at: this.stamp() };
    this.publish(machineId, 'partCount');
  }

  setProgram(machineId: string, program: string): void {
    this.model(machineId).program = { value: program, at: this.stamp() };
    this.publish(machineId, 'program');
  }

  /** seconds of the last cycle */
  setCycleTime(machineId: string, seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`cycleTime: must be >= 0 seconds (got ${seconds})`);
    this.model(machineId).cycleTime = { value: seconds, at: this.stamp() };
    this.publish(machineId, 'cycleTime');
  }

  raiseAlarm(machineId: string, code: string, message: string, severity: AlarmSeverity = 'fault'): void {
    if (!code) throw new Error('code: must be non-empty');
    const model = this.model(machineId);
    const others = model.alarms.value.filter((a) => a.code !== code);
    model.alarms = { value: [...others, { code, severity, message }], at: this.stamp() };
    this.publish(machineId, 'alarms');
  }

  clearAlarm(machineId: string, code: string): void {
    const model = this.model(machineId);
    if (!model.alarms.value.some((a) => a.code === code)) return;
    model.alarms = { value: model.alarms.value.filter((a) => a.code !== code), at: this.stamp() };
    this.publish(machineId, 'alarms');
  }

  private model(machineId: string): MachineModel {
    const model = this.models.get(machineId);
    if (!model) throw new Error(`machineId: unknown machine "${machineId}"`);
    return model;
  }

  /** Strictly increasing across the server, so no two reports share a source timestamp. */
  private stamp(): Date {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return new Date(this.lastStamp);
  }

  private publishAll(machineId: string): void {
    for (const field of ['state', 'partCount', 'cycleTime', 'program', 'alarms'] as const)
      this.publish(machineId, field);
  }

  private publish(machineId: string, field: keyof MachineModel): void {
    const nodes = this.nodes.get(machineId);
    if (!nodes) return; // stopped: the model keeps the value for the next start
    const model = this.model(machineId);
    switch (field) {
      case 'state': {
        const { itemState, operationMode } = MACHINERY_STATES_FOR[model.state.value];
        writeState(nodes.itemState, itemState, model.state.at);
        writeState(nodes.operationMode, operationMode, model.state.at);
        return;
      }
      case 'partCount':
        return writeScalar(nodes.partCount, DataType.UInt32, model.partCount);
      case 'cycleTime':
        return writeScalar(nodes.cycleTime, DataType.Double, model.cycleTime);
      case 'program':
        return writeScalar(nodes.program, DataType.String, model.program);
      case 'alarms':
        nodes.activeAlarms.setValueFromSource(
          {
            dataType: DataType.String,
            arrayType: VariantArrayType.Array,
            value: model.alarms.value.map((a) => JSON.stringify(a)),
          },
          StatusCodes.Good,
          model.alarms.at,
        );
        return;
    }
  }
}

/** A scalar value with the time the model says it changed (the server timestamp stays the server's own). */
function writeScalar(node: UAVariable, dataType: DataType, sample: Sample<number | string>): void {
  node.setValueFromSource({ dataType, value: sample.value }, StatusCodes.Good, sample.at);
}
