import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildDevices, type AgentDataItem, type AgentDevice, type AgentDeviceSpec } from './device-model.js';
import { ObservationBuffer, type ConditionLevel, type StoredObservation } from './observation-buffer.js';
import { StreamSession, type StreamSource } from './stream-session.js';
import { assetsDocument, devicesDocument, errorDocument, streamsDocument, type HeaderValues } from './xml-documents.js';

export interface MTConnectAgentOptions {
  devices: AgentDeviceSpec[];
  /** Observations kept for /sample (cppagent default 131072). Default 8192. */
  bufferSize?: number;
  /** Default 0: an ephemeral port, reported by start(). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Content type of streams: 2.x agents send multipart/mixed, 1.x multipart/x-mixed-replace. */
  multipart?: 'mixed' | 'x-mixed-replace';
  /** Schema version in the namespaces. Default 2.0. */
  schemaVersion?: string;
  /** Drop EVENT/CONDITION observations equal to the DataItem's latest value, as agents do. Default true. */
  filterDuplicates?: boolean;
}

export type ObservationTime = Date | string | number | undefined;

type Params = URLSearchParams;

class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let lastInstanceId = 0;

/**
 * Epoch milliseconds, never repeated in this process: an instanceId seen twice would make Kerf drop
 * the new instance's events as duplicates of the old one's (same source, same small sequences).
 */
function issueInstanceId(): number {
  lastInstanceId = Math.max(Date.now(), lastInstanceId + 1);
  return lastInstanceId;
}

function isoTime(time: ObservationTime): string {
  if (time === undefined) return new Date().toISOString();
  const date = time instanceof Date ? time : new Date(time);
  if (Number.isNaN(date.getTime())) throw new Error(`timestamp: "${String(time)}" is not a time`);
  return date.toISOString();
}

function intParam(params: Params, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  if (!/^-?\d+$/.test(raw.trim())) {
    throw new RequestError(
      400,
      'INVALID_REQUEST',
      `query parameter '${name}': cannot convert string '${raw}' to integer`,
    );
  }
  return Number(raw);
}

/**
 * A small MTConnect 2.x agent over HTTP for the simulator and tests: /probe, /current, /sample (with
 * from/count/to, and interval/heartbeat streaming as multipart), /assets, MTConnectError documents
 * (NO_DEVICE, OUT_OF_RANGE, INVALID_REQUEST, INVALID_URI, UNSUPPORTED) and a ring buffer. Every
 * start() begins a new instance (new instanceId, sequences from 1) seeded with the latest values,
 * the way a restarted agent looks once its adapters have re-sent their data.
 */
export class MTConnectAgent {
  readonly devices: AgentDevice[];
  private readonly bufferSize: number;
  private buffer: ObservationBuffer;
  private server: Server | undefined;
  private sessions = new Set<StreamSession>();
  private held: (() => void)[] = [];
  private currentInstance = 0;
  private stalledFlag = false;
  private readonly assets = new Map<string, { type: string; xml: string }>();
  private readonly byName = new Map<string, AgentDevice>();
  private boundPort = 0;

  constructor(private readonly options: MTConnectAgentOptions) {
    this.devices = buildDevices(options.devices);
    this.bufferSize = options.bufferSize ?? 8192;
    this.buffer = new ObservationBuffer(this.bufferSize);
    for (const device of this.devices) {
      for (const key of [device.name, device.uuid, device.machineId])
        if (key !== undefined) this.byName.set(key, device);
    }
    this.newInstance();
  }

  get instanceId(): number {
    return this.currentInstance;
  }

  get firstSequence(): number {
    return this.buffer.firstSequence;
  }

  get nextSequence(): number {
    return this.buffer.nextSequence;
  }

  get lastSequence(): number {
    return this.buffer.lastSequence;
  }

  get stalled(): boolean {
    return this.stalledFlag;
  }

  get url(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${this.boundPort}`;
  }

  async start(): Promise<{ port: number; url: string }> {
    if (this.server !== undefined) throw new Error('MTConnectAgent: already started');
    if (this.boundPort !== 0) this.newInstance();
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort || (this.options.port ?? 0), this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
    return { port: this.boundPort, url: this.url };
  }

  /** Closes every connection; a later start() is an agent restart: new instanceId, same port. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    for (const session of [...this.sessions]) session.close();
    this.held = [];
    this.stalledFlag = false;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Simulates a hung agent: connections stay open but nothing is sent, not even heartbeats. */
  stall(): void {
    this.stalledFlag = true;
  }

  resume(): void {
    this.stalledFlag = false;
    const held = this.held;
    this.held = [];
    for (const run of held) run();
  }

  /**
   * Records a value for a DataItem, addressed by Kerf key ('execution', 'part_count', ...), DataItem
   * name or id. Returns the sequence, or undefined when duplicate filtering dropped it.
   */
  observe(device: string, dataItem: string, value: string | number, timestamp?: ObservationTime): number | undefined {
    const item = this.item(device, dataItem);
    const text = String(value).trim();
    if (item.category === 'CONDITION') {
      const level = text.toUpperCase();
      if (level !== 'NORMAL' && level !== 'UNAVAILABLE' && level !== 'WARNING' && level !== 'FAULT') {
        throw new Error(`${item.id}: a condition takes NORMAL, WARNING, FAULT or UNAVAILABLE, got "${text}"`);
      }
      return this.condition(item, { level, timestamp: isoTime(timestamp), value: '' });
    }
    if (this.options.filterDuplicates !== false && item.category === 'EVENT') {
      if (this.buffer.latestOf(item)?.value === text) return undefined;
    }
    return this.add({ item, timestamp: isoTime(timestamp), value: text });
  }

  raiseCondition(
    device: string,
    code: string,
    severity: 'fault' | 'warning' | 'FAULT' | 'WARNING',
    message: string,
    dataItem = 'system',
    timestamp?: ObservationTime,
  ): number | undefined {
    const level = severity.toUpperCase() as 'FAULT' | 'WARNING';
    return this.condition(this.item(device, dataItem), {
      level,
      nativeCode: code,
      value: message,
      timestamp: isoTime(timestamp),
    });
  }

  /** Clears one code, or every active code of the condition when `code` is omitted. */
  clearCondition(device: string, code?: string, dataItem = 'system', timestamp?: ObservationTime): number | undefined {
    const item = this.item(device, dataItem);
    return this.condition(item, {
      level: 'NORMAL',
      value: '',
      timestamp: isoTime(timestamp),
      ...(code === undefined ? {} : { nativeCode: code }),
    });
  }

  /** Full SHDR-style condition (level|nativeCode|nativeSeverity|qualifier|message). */
  condition(
    item: AgentDataItem,
    c: {
      level: ConditionLevel;
      timestamp: string;
      value: string;
      nativeCode?: string;
      nativeSeverity?: string;
      qualifier?: string;
    },
  ): number | undefined {
    if (item.category !== 'CONDITION') throw new Error(`${item.id}: not a CONDITION DataItem`);
    const active = this.buffer.conditionOf(item);
    if (this.options.filterDuplicates !== false) {
      const raised = c.level === 'WARNING' || c.level === 'FAULT';
      const same = active.find((a) => a.level === c.level && (a.nativeCode ?? '') === (c.nativeCode ?? ''));
      if (raised && same !== undefined && same.value === c.value) return undefined;
      const anyRaised = active.some((a) => a.level === 'WARNING' || a.level === 'FAULT');
      if (c.level === 'NORMAL' && !anyRaised && active.some((a) => a.level === 'NORMAL')) return undefined;
      if (c.level === 'NORMAL' && c.nativeCode !== undefined && !active.some((a) => a.nativeCode === c.nativeCode)) {
        return undefined;
      }
      if (c.level === 'UNAVAILABLE' && active.length > 0 && active.every((a) => a.level === 'UNAVAILABLE')) {
        return undefined;
      }
    }
    return this.add({ item, ...c });
  }

  /** The DataItem an SHDR key or Kerf key names on a device (throws naming the valid keys). */
  item(device: string, dataItem: string): AgentDataItem {
    const d = this.byName.get(device);
    if (d === undefined) throw new Error(`device "${device}" is not served by this agent`);
    const item = d.lookup.get(dataItem);
    if (item === undefined) {
      throw new Error(`device "${d.name}" has no DataItem "${dataItem}"; known: ${[...d.lookup.keys()].join(', ')}`);
    }
    return item;
  }

  hasItem(device: string, dataItem: string): boolean {
    return this.byName.get(device)?.lookup.has(dataItem) ?? false;
  }

  addAsset(id: string, type: string, xml: string): void {
    this.assets.delete(id);
    this.assets.set(id, { type, xml });
  }

  removeAsset(id: string): void {
    this.assets.delete(id);
  }

  removeAllAssets(type?: string): void {
    for (const [id, asset] of this.assets) if (type === undefined || asset.type === type) this.assets.delete(id);
  }

  /** A Streams document of buffered observations from `from` (at most `count`) and the next sequence. */
  sample(from: number, count: number, devices: AgentDevice[] = this.devices): { xml: string; next: number } {
    const observations: StoredObservation[] = [];
    let seq = from;
    const last = this.buffer.lastSequence;
    while (seq <= last && observations.length < count) {
      const o = this.buffer.get(seq);
      if (o !== undefined && devices.includes(o.item.device)) observations.push(o);
      seq += 1;
    }
    const xml = streamsDocument(this.header({ nextSequence: seq }), devices, observations);
    return { xml, next: seq };
  }

  private outOfRange(): string {
    return errorDocument(this.header({}), 'OUT_OF_RANGE', `'from' must be greater than ${this.firstSequence - 1}`);
  }

  // --- internals ---

  private add(o: Omit<StoredObservation, 'sequence'>): number {
    const stored = this.buffer.add(o);
    for (const session of this.sessions) session.wake();
    return stored.sequence;
  }

  private newInstance(): void {
    const previous = this.buffer;
    const wasSeeded = this.currentInstance !== 0;
    this.currentInstance = issueInstanceId();
    this.buffer = new ObservationBuffer(this.bufferSize);
    const now = new Date().toISOString();
    for (const device of this.devices) {
      for (const item of device.dataItems) {
        const carried = wasSeeded
          ? item.category === 'CONDITION'
            ? previous.conditionOf(item)
            : [previous.latestOf(item)].filter((o) => o !== undefined)
          : [];
        if (carried.length === 0) {
          this.buffer.add(
            item.category === 'CONDITION'
              ? { item, timestamp: now, value: '', level: 'UNAVAILABLE' }
              : { item, timestamp: now, value: 'UNAVAILABLE' },
          );
        }
        for (const o of carried) {
          const { sequence: _sequence, ...rest } = o;
          this.buffer.add(rest);
        }
      }
    }
  }

  private header(extra: Partial<HeaderValues>): HeaderValues {
    return {
      instanceId: this.currentInstance,
      bufferSize: this.bufferSize,
      sender: 'kerf-sim',
      version: '2.0.0.0',
      schemaVersion: this.options.schemaVersion ?? '2.0',
      creationTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      firstSequence: this.buffer.firstSequence,
      lastSequence: this.buffer.lastSequence,
      ...extra,
    };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.stalledFlag) {
      this.held.push(() => this.handle(req, res));
      return;
    }
    try {
      this.route(req, res);
    } catch (error) {
      const e =
        error instanceof RequestError ? error : new RequestError(500, 'INTERNAL_ERROR', (error as Error).message);
      this.reply(res, e.status, errorDocument(this.header({}), e.code, e.message));
    }
  }

  private reply(res: ServerResponse, status: number, xml: string): void {
    res.writeHead(status, { 'Content-Type': 'text/xml;charset=UTF-8', 'Cache-Control': 'no-cache' });
    res.end(xml);
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new RequestError(405, 'UNSUPPORTED', `method ${req.method ?? ''} is not supported`);
    }
    const url = new URL(req.url ?? '/', 'http://agent');
    const parts = url.pathname.split('/').filter((p) => p !== '');
    let devices = this.devices;
    if (parts.length === 2) {
      const device = this.byName.get(decodeURIComponent(parts[0]!));
      if (device === undefined) {
        throw new RequestError(404, 'NO_DEVICE', `Could not find the device '${decodeURIComponent(parts[0]!)}'`);
      }
      devices = [device];
    } else if (parts.length !== 1) {
      throw new RequestError(400, 'INVALID_URI', `'${url.pathname}' is not an MTConnect request`);
    }
    if (url.searchParams.has('path')) throw new RequestError(400, 'UNSUPPORTED', "'path' is not supported here");
    const request = parts[parts.length - 1]!;
    switch (request) {
      case 'probe':
        return this.reply(
          res,
          200,
          devicesDocument(this.header({ assetBufferSize: 1024, assetCount: this.assets.size }), devices),
        );
      case 'current':
        return this.current(res, url.searchParams, devices);
      case 'sample':
        return this.sampleRequest(res, url.searchParams, devices);
      case 'asset':
      case 'assets':
        return this.reply(
          res,
          200,
          assetsDocument(
            this.header({ assetBufferSize: 1024, assetCount: this.assets.size }),
            [...this.assets.values()].map((a) => a.xml),
          ),
        );
      default:
        throw new RequestError(400, 'INVALID_URI', `unknown request '${request}'`);
    }
  }

  private current(res: ServerResponse, params: Params, devices: AgentDevice[]): void {
    if (params.has('at') || params.has('interval')) {
      throw new RequestError(400, 'UNSUPPORTED', "'at' and 'interval' on /current are not supported by this agent");
    }
    const observations: StoredObservation[] = [];
    for (const device of devices) {
      for (const item of device.dataItems) {
        if (item.category === 'CONDITION') observations.push(...this.buffer.conditionOf(item));
        else {
          const latest = this.buffer.latestOf(item);
          if (latest !== undefined) observations.push(latest);
        }
      }
    }
    observations.sort((a, b) => a.sequence - b.sequence);
    this.reply(
      res,
      200,
      streamsDocument(this.header({ nextSequence: this.buffer.nextSequence }), devices, observations),
    );
  }

  private sampleRequest(res: ServerResponse, params: Params, devices: AgentDevice[]): void {
    const count = intParam(params, 'count') ?? 100;
    const interval = intParam(params, 'interval') ?? intParam(params, 'frequency');
    const heartbeat = intParam(params, 'heartbeat') ?? 10_000;
    const to = intParam(params, 'to');
    let from = intParam(params, 'from') ?? this.buffer.firstSequence;
    if (from === 0) from = this.buffer.firstSequence;
    if (count === 0) throw new RequestError(400, 'INVALID_REQUEST', "'count' must not be zero(0)");
    if (count < 0) throw new RequestError(400, 'UNSUPPORTED', "negative 'count' is not supported by this agent");
    if (count > this.bufferSize) {
      throw new RequestError(404, 'OUT_OF_RANGE', `'count' must be less than ${this.bufferSize + 1}`);
    }
    if (from < this.buffer.firstSequence) {
      throw new RequestError(404, 'OUT_OF_RANGE', `'from' must be greater than ${this.buffer.firstSequence - 1}`);
    }
    if (from > this.buffer.nextSequence) {
      throw new RequestError(404, 'OUT_OF_RANGE', `'from' must be less than ${this.buffer.nextSequence + 1}`);
    }
    if (interval !== undefined && interval < 0)
      throw new RequestError(400, 'INVALID_REQUEST', "'interval' must be >= 0");
    if (heartbeat <= 0) throw new RequestError(400, 'INVALID_REQUEST', "'heartbeat' must be > 0");
    if (interval === undefined) {
      let limit = count;
      if (to !== undefined) {
        if (to <= from) throw new RequestError(400, 'INVALID_REQUEST', "'to' must be greater than 'from'");
        limit = Math.min(count, to - from);
      }
      return this.reply(res, 200, this.sample(from, limit, devices).xml);
    }
    if (to !== undefined) throw new RequestError(400, 'INVALID_REQUEST', "'to' cannot be combined with 'interval'");
    const boundary = randomUUID().replace(/-/g, '');
    const flavour = this.options.multipart ?? 'mixed';
    res.writeHead(200, {
      'Content-Type': `multipart/${flavour};boundary=${boundary}`,
      'Cache-Control': 'no-cache, no-store, max-age=0',
      Expires: '-1',
    });
    const source: StreamSource = {
      firstSequence: () => this.buffer.firstSequence,
      nextSequence: () => this.buffer.nextSequence,
      isStalled: () => this.stalledFlag,
      sample: (f, c) => this.sample(f, c, devices),
      outOfRange: () => this.outOfRange(),
    };
    const session = new StreamSession(source, res, boundary, from, count, interval, heartbeat, (s) =>
      this.sessions.delete(s),
    );
    this.sessions.add(session);
  }
}
