import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import {
  AttributeIds,
  ClientMonitoredItemGroup,
  MessageSecurityMode,
  NodeId,
  OPCUAClient,
  SecurityPolicy,
  TimestampsToReturn,
  type ClientSession,
  type ClientSubscription,
  type DataValue,
} from 'node-opcua-client';
import type { MachineEvent } from '../machine-event.js';
import { OpcUaEventBuilder, type NodeReport } from './opcua-event-builder.js';
import { parseMachineMappings, type MonitoredNodeSpec, type OpcUaMachineMapping } from './opcua-mapping.js';
import { resolveMonitoredNodes, type ResolvedNode } from './opcua-resolve.js';
import { decodeValue, userIdentity, type OpcUaIdentity } from './opcua-values.js';

export interface OpcUaMachineClientOptions {
  /** e.g. opc.tcp://10.0.0.5:4840 */
  endpointUrl: string;
  machines: OpcUaMachineMapping[];
  /** default SignAndEncrypt; None only where the network itself is trusted */
  securityMode?: OpcUaSecurityMode;
  /** default Basic256Sha256, or None with securityMode None */
  securityPolicy?: OpcUaSecurityPolicy;
  /** default anonymous */
  identity?: OpcUaIdentity;
  /**
   * Folder of the client's application certificate and trust lists (created with a self-signed certificate on
   * first use); default `<tmpdir>/kerf-opcua/client-pki`. Give a data directory in production so the
   * certificate a server was told to trust survives restarts.
   */
  pkiDir?: string;
  /**
   * Accept a server certificate that is not in `<pkiDir>/trusted/certs` (and trust it from then on).
   * Default false: an unknown server is refused with OpcUaSecurityError until its certificate is placed there.
   */
  trustUnknownServerCertificate?: boolean;
  /** default 250 ms */
  publishingIntervalMs?: number;
  /** default 0: the server reports every change (with a queue of `queueSize` per node) */
  samplingIntervalMs?: number;
  /** per monitored node, default 100: changes kept between two publishes */
  queueSize?: number;
  /** node-opcua connectionStrategy: defaults initial 250 ms, max 10 s, retry forever (-1) */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number; maxRetry?: number };
  applicationName?: string;
}

export type OpcUaSecurityMode = 'None' | 'Sign' | 'SignAndEncrypt';
export type OpcUaSecurityPolicy = 'None' | 'Basic256Sha256' | 'Aes128_Sha256_RsaOaep' | 'Aes256_Sha256_RsaPss';
export const OPCUA_SECURITY_MODES: readonly OpcUaSecurityMode[] = ['None', 'Sign', 'SignAndEncrypt'];
export const OPCUA_SECURITY_POLICIES: readonly OpcUaSecurityPolicy[] = [
  'None',
  'Basic256Sha256',
  'Aes128_Sha256_RsaOaep',
  'Aes256_Sha256_RsaPss',
];

/** The channel security a client asks for: secure unless None is asked for explicitly. */
export function securityOf(options: Pick<OpcUaMachineClientOptions, 'securityMode' | 'securityPolicy'>): {
  mode: OpcUaSecurityMode;
  policy: OpcUaSecurityPolicy;
} {
  const mode = options.securityMode ?? 'SignAndEncrypt';
  return { mode, policy: options.securityPolicy ?? (mode === 'None' ? 'None' : 'Basic256Sha256') };
}

/** The server cannot be talked to as configured: an untrusted certificate or no endpoint with the asked security. */
export class OpcUaSecurityError extends Error {
  constructor(
    readonly reason: 'untrusted_certificate' | 'no_secure_endpoint',
    message: string,
  ) {
    super(message);
    this.name = 'OpcUaSecurityError';
  }
}

export type OpcUaClientStatus =
  | { status: 'connected'; at: Date; source: string }
  | { status: 'connection_lost'; at: Date }
  | { status: 'reconnecting'; at: Date; attempt?: number; delayMs?: number }
  | { status: 'session_restored'; at: Date; source: string }
  | { status: 'error'; at: Date; error: Error };

interface PendingReport {
  node: ResolvedNode;
  dataValue: DataValue;
  receivedAt: Date;
}

/**
 * Subscribes to the mapped nodes of one OPC UA server and emits MachineEvents.
 *
 * Reconnection: node-opcua reconnects the channel with backoff (connectionStrategy) and repairs the session.
 * From the loss to the repair (`session_restored`) notifications are held. If the server kept the session
 * (network break), they are released: nothing queued on the server is lost. If the session was recreated
 * (server restart), this client reads the namespace table again, re-resolves every browse path and replaces
 * the subscription, because a restarted server may number its namespaces (and so its NodeIds) differently
 * and node-opcua's own repair re-monitors the old NodeIds; the held notifications are dropped.
 *
 * Events: source = `opcua:<endpointUrl>:<epoch>`, a new epoch (ms, strictly increasing) per subscription; see
 * OpcUaEventBuilder for sequences and why nothing is emitted twice across reconnects.
 *
 * Alarms are read from a String[] "active alarms" variable (the Kerf simulator's Notification/ActiveAlarms):
 * a state, not a stream of edges, so nothing is lost while disconnected and no ConditionRefresh is needed.
 */
export class OpcUaMachineClient {
  private readonly options: OpcUaMachineClientOptions;
  private readonly specs: MonitoredNodeSpec[];
  private readonly builder = new OpcUaEventBuilder();
  private readonly eventListeners = new Set<(events: MachineEvent[]) => void>();
  private readonly statusListeners = new Set<(status: OpcUaClientStatus) => void>();
  private client: OPCUAClient | null = null;
  private session: ClientSession | null = null;
  private subscription: ClientSubscription | null = null;
  private generation = 0;
  private epoch = 0;
  private currentSource: string | null = null;
  private stateNames = new Map<string, string>();
  private pending: { generation: number; source: string; reports: PendingReport[] } | null = null;
  private work: Promise<void> = Promise.resolve();
  private stopped = false;
  /** false from a connection loss until restore() has checked the session: notifications wait in `held` */
  private trusted = true;
  private retryTimer: NodeJS.Timeout | undefined;
  private held: PendingReport[] = [];
  private subscribedSessionId: string | null = null;
  private subscribedNamespaces: readonly string[] = [];
  private channelUp = false;

  constructor(options: OpcUaMachineClientOptions) {
    if (!/^opc\.tcp:\/\/[^/]+/.test(options.endpointUrl)) {
      throw new Error(`endpointUrl: must look like opc.tcp://host:port (got "${options.endpointUrl}")`);
    }
    const { mode, policy } = securityOf(options);
    if (!OPCUA_SECURITY_MODES.includes(mode)) {
      throw new Error(`securityMode: expected one of ${OPCUA_SECURITY_MODES.join(', ')} (got "${String(mode)}")`);
    }
    if (!OPCUA_SECURITY_POLICIES.includes(policy)) {
      throw new Error(
        `securityPolicy: expected one of ${OPCUA_SECURITY_POLICIES.join(', ')} (got "${String(policy)}")`,
      );
    }
    if ((mode === 'None') !== (policy === 'None')) {
      throw new Error(`securityPolicy: "${policy}" does not fit securityMode "${mode}" (None goes with None)`);
    }
    for (const key of ['publishingIntervalMs', 'queueSize'] as const) {
      const value = options[key];
      if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
        throw new Error(`${key}: must be a positive integer (got ${value})`);
      }
    }
    const sampling = options.samplingIntervalMs;
    if (sampling !== undefined && !(Number.isFinite(sampling) && sampling >= 0)) {
      throw new Error(`samplingIntervalMs: must be >= 0 (got ${sampling})`);
    }
    this.specs = parseMachineMappings(options.machines);
    this.options = options;
  }

  /** The source of the events of the current subscription, null before start(). */
  get source(): string | null {
    return this.currentSource;
  }

  onEvents(listener: (events: MachineEvent[]) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onStatus(listener: (status: OpcUaClientStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Connects, opens a session, resolves the mapping and subscribes. Rejects (and closes everything) when the
   * server refuses the identity or a mapped node is not found (OpcUaMappingError naming field and path). While
   * the server is unreachable it keeps retrying per `reconnect`.
   */
  async start(): Promise<void> {
    if (this.client) throw new Error('OpcUaMachineClient: already started');
    this.stopped = false;
    const o = this.options;
    const pkiDir = o.pkiDir ?? join(tmpdir(), 'kerf-opcua', 'client-pki');
    const security = securityOf(o);
    const client = OPCUAClient.create({
      applicationName: o.applicationName ?? 'Kerf OPC UA connector',
      endpointMustExist: false,
      securityMode: MessageSecurityMode[security.mode],
      securityPolicy: SecurityPolicy[security.policy],
      clientCertificateManager: new OPCUACertificateManager({
        rootFolder: pkiDir,
        automaticallyAcceptUnknownCertificate: o.trustUnknownServerCertificate ?? false,
      }),
      connectionStrategy: {
        initialDelay: o.reconnect?.initialDelayMs ?? 250,
        maxDelay: o.reconnect?.maxDelayMs ?? 10_000,
        maxRetry: o.reconnect?.maxRetry ?? -1,
      },
      requestedSessionTimeout: 60_000,
    });
    this.client = client;
    client.on('connection_reestablished', () => {
      this.channelUp = true;
    });
    client.on('connection_lost', () => {
      this.channelUp = false;
      this.trusted = false; // hold notifications until restore() knows whether the NodeIds still hold
      this.status({ status: 'connection_lost', at: new Date() });
    });
    client.on('start_reconnection', () => this.status({ status: 'reconnecting', at: new Date() }));
    client.on('backoff', (attempt: number, delayMs: number) => {
      this.status({ status: 'reconnecting', at: new Date(), attempt, delayMs });
    });
    try {
      await client.connect(o.endpointUrl).catch((error: unknown) => {
        throw explainSecurityError(error, o.endpointUrl, security, pkiDir);
      });
      this.channelUp = true;
      const session = await client.createSession(userIdentity(this.options.identity));
      this.session = session;
      session.on('session_restored', () => this.scheduleRestore());
      await this.subscribe();
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.status({ status: 'connected', at: new Date(), source: this.currentSource ?? '' });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generation += 1;
    clearTimeout(this.retryTimer);
    const { client, session, subscription } = this;
    this.client = null;
    this.session = null;
    this.subscription = null;
    this.pending = null;
    this.held = [];
    // Without a channel, terminate/close would wait for a reconnection that may never come.
    if (this.channelUp) {
      await withTimeout(subscription?.terminate(), 2000);
      await withTimeout(session?.close(), 2000);
    }
    this.channelUp = false;
    await withTimeout(client?.disconnect(), 5000);
    await this.work.catch(() => undefined);
  }

  /** Runs session work one step at a time, reporting failures as status errors. */
  private schedule(step: () => Promise<void>): void {
    this.work = this.work
      .then(async () => {
        if (!this.stopped) await step();
      })
      .catch((error: unknown) => {
        this.status({
          status: 'error',
          at: new Date(),
          error: error instanceof Error ? error : new Error(String(error)),
        });
      });
  }

  /** restore(); when it fails (the mapping no longer resolves, say) it is retried every 5 s until it works. */
  private scheduleRestore(): void {
    this.schedule(async () => {
      try {
        await this.restore();
      } catch (error) {
        this.retryTimer = setTimeout(() => this.scheduleRestore(), 5000);
        throw error;
      }
    });
  }

  /**
   * After node-opcua repaired the session. If the server kept the session (a network break: same session id,
   * same namespace table), the subscription is still ours: what the server queued meanwhile is released and the
   * stream goes on under the same source. If the session had to be recreated (server restart), the NodeIds are
   * resolved again and the subscription replaced; the held notifications came from node-opcua's own re-creation
   * with the old NodeIds and are dropped.
   */
  private async restore(): Promise<void> {
    const session = this.session;
    if (!session) return;
    if (this.subscription && session.sessionId.toString() === this.subscribedSessionId) {
      const namespaces = await session.readNamespaceArray();
      if (namespaces.join('\n') === this.subscribedNamespaces.join('\n')) {
        this.trusted = true;
        const held = this.held.splice(0);
        const source = this.currentSource ?? '';
        if (held.length > 0) await this.process({ generation: this.generation, source, reports: held });
        this.status({ status: 'session_restored', at: new Date(), source });
        return;
      }
    }
    await this.subscribe();
    this.status({ status: 'session_restored', at: new Date(), source: this.currentSource ?? '' });
  }

  /** (Re)builds the subscription on the current session with freshly resolved NodeIds. */
  private async subscribe(): Promise<void> {
    const session = this.session;
    if (!session) return;
    const generation = ++this.generation;
    this.held = [];
    this.trusted = true;
    const old = this.subscription;
    this.subscription = null;
    await withTimeout(old?.terminate(), 2000);
    const { namespaces, nodes: resolved } = await resolveMonitoredNodes(session, this.specs);
    if (generation !== this.generation) return;
    this.subscribedSessionId = session.sessionId.toString();
    this.subscribedNamespaces = namespaces;
    this.stateNames = new Map();
    this.epoch = Math.max(Date.now(), this.epoch + 1);
    const source = `opcua:${this.options.endpointUrl}:${this.epoch}`;
    const publishingInterval = this.options.publishingIntervalMs ?? 250;
    const subscription = await session.createSubscription2({
      requestedPublishingInterval: publishingInterval,
      // The server keeps the subscription (and queues changes) through breaks of up to two minutes.
      requestedLifetimeCount: Math.max(30, Math.ceil(120_000 / publishingInterval)),
      requestedMaxKeepAliveCount: 10,
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 1,
    });
    this.subscription = subscription;
    this.currentSource = source;
    // A fresh array: ClientMonitoredItemGroup.create mutates the one it is given.
    const items = resolved.map((r) => ({ nodeId: r.nodeId, attributeId: AttributeIds.Value }));
    const group = ClientMonitoredItemGroup.create(
      subscription,
      items,
      {
        samplingInterval: this.options.samplingIntervalMs ?? 0,
        queueSize: this.options.queueSize ?? 100,
        discardOldest: true,
      },
      TimestampsToReturn.Both,
    );
    group.on('changed', (_item, dataValue, index) => {
      const node = resolved[index];
      if (node && generation === this.generation) this.enqueue(generation, source, node, dataValue);
    });
    await new Promise<void>((resolve, reject) => {
      group.once('initialized', () => resolve());
      group.once('err', (message: string) => reject(new Error(`monitoring failed: ${message}`)));
    });
    group.monitoredItems.forEach((item, i) => {
      const node = resolved[i];
      if (node && item.statusCode.isNotGood()) {
        this.status({
          status: 'error',
          at: new Date(),
          error: new Error(
            `${node.spec.ref.field}: the server refused to monitor ${node.nodeId.toString()}: ${item.statusCode.name}`,
          ),
        });
      }
    });
  }

  /** Collects the notifications of one publish response (delivered in one synchronous burst) into one batch. */
  private enqueue(generation: number, source: string, node: ResolvedNode, dataValue: DataValue): void {
    const report = { node, dataValue, receivedAt: new Date() };
    if (!this.trusted) {
      this.held.push(report);
      return;
    }
    if (this.pending && this.pending.generation === generation) {
      this.pending.reports.push(report);
      return;
    }
    const batch = { generation, source, reports: [report] };
    this.pending = batch;
    setImmediate(() => {
      if (this.pending === batch) this.pending = null;
      this.schedule(() => this.process(batch));
    });
  }

  private async process(batch: { generation: number; source: string; reports: PendingReport[] }): Promise<void> {
    if (batch.generation !== this.generation) return;
    await this.learnStateNames(batch.reports);
    const reports: NodeReport[] = [];
    for (const { node, dataValue, receivedAt } of batch.reports) {
      if (dataValue.statusCode.isNotGood()) {
        this.status({
          status: 'error',
          at: new Date(),
          error: new Error(
            `${node.spec.ref.field}: the server reports ${dataValue.statusCode.name} for ${node.nodeId.toString()}`,
          ),
        });
        continue;
      }
      const value = decodeValue(node, dataValue, this.stateNames);
      if (value === null) continue;
      const role = node.spec.role;
      if (role.role === 'metric' && role.kind === 'count' && !(typeof value === 'number' && Number.isInteger(value))) {
        this.status({
          status: 'error',
          at: new Date(),
          error: new Error(
            `${node.spec.ref.field}: a count needs an integer value, the server sent ${JSON.stringify(value)}`,
          ),
        });
        continue;
      }
      reports.push({
        machineId: node.spec.machineId,
        role: node.spec.role,
        value,
        sourceTimestamp: dataValue.sourceTimestamp ?? null,
        receivedAt,
      });
    }
    const events = this.builder.build(reports, batch.source);
    if (events.length === 0 || batch.generation !== this.generation) return;
    for (const listener of this.eventListeners) listener(events);
  }

  /** Reads the BrowseName of state objects seen in CurrentState/Id values for the first time this session. */
  private async learnStateNames(reports: readonly PendingReport[]): Promise<void> {
    const unknown = new Map<string, NodeId>();
    for (const { node, dataValue } of reports) {
      const id: unknown = dataValue.value?.value;
      if (node.mode !== 'stateId' || !(id instanceof NodeId) || id.isEmpty()) continue;
      if (!this.stateNames.has(id.toString())) unknown.set(id.toString(), id);
    }
    const session = this.session;
    if (unknown.size === 0 || !session) return;
    const ids = [...unknown.values()];
    const names = await session.read(ids.map((nodeId) => ({ nodeId, attributeId: AttributeIds.BrowseName })));
    ids.forEach((id, i) => {
      const name: unknown = names[i]?.value.value;
      if (name && typeof name === 'object' && 'name' in name && typeof name.name === 'string') {
        this.stateNames.set(id.toString(), name.name);
      }
    });
  }

  private status(status: OpcUaClientStatus): void {
    for (const listener of this.statusListeners) listener(status);
  }
}

/** node-opcua's refusals in words that say what to change; other errors as they are. */
function explainSecurityError(
  error: unknown,
  endpointUrl: string,
  security: { mode: OpcUaSecurityMode; policy: OpcUaSecurityPolicy },
  pkiDir: string,
): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (/BadCertificateUntrusted|BadCertificateChainIncomplete/.test(message)) {
    return new OpcUaSecurityError(
      'untrusted_certificate',
      `${endpointUrl}: the server's certificate is not trusted (${message.replace(/^.*with err /, '')}); ` +
        `check it and copy it into ${join(pkiDir, 'trusted', 'certs')}, or allow unknown server certificates`,
    );
  }
  if (/cannot find (an )?endpoint (for|matching)/i.test(message)) {
    return new OpcUaSecurityError(
      'no_secure_endpoint',
      `${endpointUrl}: the server offers no endpoint with securityMode ${security.mode} and securityPolicy ` +
        `${security.policy}; enable it on the server, or set securityMode/securityPolicy to one it offers ` +
        `(None sends everything, passwords included, in clear)`,
    );
  }
  return error;
}

/** Waits for a best-effort shutdown step, never longer than `ms`, ignoring its failure. */
async function withTimeout(step: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!step) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    step.catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}
