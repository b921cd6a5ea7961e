import type { IncomingMessage } from 'node:http';
import { CodecError } from '../codec-error.js';
import type { MachineEvent } from '../machine-event.js';
import { MTConnectAgentError } from './errors.js';
import { getText, openGet, sleep } from './http.js';
import { MTConnectMapper, type MTConnectMappingOptions } from './mapper.js';
import { MultipartReader, multipartBoundary } from './multipart.js';
import { parseDevicesDocument, parseMTConnectDocument, parseStreamsDocument } from './parse-document.js';
import type { MTConnectStreamsDocument } from './types.js';

export type MTConnectClientStatus =
  | { kind: 'connecting'; url: string; attempt: number }
  /** /probe answered: the device model is known. */
  | { kind: 'connected'; instanceId: string; devices: string[] }
  | { kind: 'streaming'; instanceId: string; from: number }
  | { kind: 'polling'; instanceId: string; from: number }
  /**
   * Observations from..to were not received one by one (the client fell out of the agent's buffer);
   * the state was re-read from /current instead. Nothing is invented for the gap.
   */
  | { kind: 'gap'; instanceId: string; from: number; to: number; reason: 'OUT_OF_RANGE' }
  /** The agent restarted: sequences start over under a new source `mtconnect:<current>`. */
  | { kind: 'instance-changed'; previous: string; current: string }
  | { kind: 'disconnected'; error: string; attempt: number; retryInMs: number }
  /** onEvents threw; the events count as delivered and the client goes on. */
  | { kind: 'consumer-error'; error: string }
  | { kind: 'stopped' };

export interface MTConnectClientOptions extends MTConnectMappingOptions {
  /** Agent base URL, e.g. http://10.0.0.5:5000 */
  url: string;
  /** Only this device (name or uuid) instead of every device of the agent. */
  device?: string;
  /** 'stream' (default): one long /sample?interval= response; 'poll': repeated /sample?from=. */
  mode?: 'stream' | 'poll';
  /** Streaming: minimum ms between chunks the agent sends. Default 500. */
  interval?: number;
  /** Streaming: the agent sends an empty document after this many ms without data. Default 10 000. */
  heartbeat?: number;
  /** Streaming: reconnect when no byte arrived for this long. Default 2 × heartbeat. */
  heartbeatTimeout?: number;
  /** Observations per /sample answer or chunk. Default 1000. */
  count?: number;
  /** Polling: wait between requests once caught up. Default 1000 ms. */
  pollInterval?: number;
  /** probe/current/polled sample: give up after this long without data. Default 10 000 ms. */
  requestTimeout?: number;
  /** First reconnect delay; doubles per failed attempt up to maxReconnectDelay. Default 500 ms. */
  reconnectDelay?: number;
  /** Default 30 000 ms. */
  maxReconnectDelay?: number;
  /** Called in sequence order; awaited before more is read, so a slow consumer slows the reader. */
  onEvents: (events: MachineEvent[]) => void | Promise<void>;
  onStatus?: (status: MTConnectClientStatus) => void;
}

class InstanceChanged extends Error {
  constructor(readonly current: string) {
    super(`agent instance changed to ${current}`);
  }
}

/**
 * MTConnect consumer: probe, then current, then /sample (streamed or polled) from the current's
 * nextSequence, the recovery rules of cppagent's agent-to-agent client. A new instanceId -> re-probe
 * and start again from /current; OUT_OF_RANGE -> re-sync from /current and report the gap; silence
 * past the heartbeat timeout, errors, or a closed stream -> reconnect with capped exponential backoff.
 * After a reconnect to the same instance whose buffer still holds the next sequence, sampling goes on
 * from there, so a short outage loses nothing.
 */
export class MTConnectClient {
  private readonly mapper: MTConnectMapper;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private mode: 'stream' | 'poll';
  private instance: string | undefined;
  private next = 0;
  /** Observations per request: the configured count, never more than the agent's buffer holds. */
  private count = 1000;

  constructor(private readonly options: MTConnectClientOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`url: expected http(s)://host:port of an MTConnect agent, got "${options.url}"`);
    }
    this.mapper = new MTConnectMapper(options);
    this.mode = options.mode ?? 'stream';
  }

  /** instanceId of the agent being followed (undefined before the first probe). */
  get instanceId(): string | undefined {
    return this.instance;
  }

  /** The next agent sequence the client will ask for. */
  get nextSequence(): number {
    return this.next;
  }

  /** Current transport; switches to 'poll' for good when the agent does not stream. */
  get transport(): 'stream' | 'poll' {
    return this.mode;
  }

  start(): void {
    if (this.loop !== undefined) throw new Error('MTConnectClient: already started');
    if (this.stopped) throw new Error('MTConnectClient: a stopped client cannot start again; create a new one');
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    this.loop = undefined;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private status(status: MTConnectClientStatus): void {
    try {
      this.options.onStatus?.(status);
    } catch {
      // a status listener must not break the connection
    }
  }

  private url(request: string, query: Record<string, number> = {}): URL {
    const base = this.options.url.replace(/\/+$/, '');
    const device = this.options.device === undefined ? '' : `/${encodeURIComponent(this.options.device)}`;
    const url = new URL(`${base}${device}/${request}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
    return url;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      let error: string;
      try {
        this.status({ kind: 'connecting', url: this.options.url, attempt });
        await this.session(() => {
          attempt = 0;
        });
        error = 'agent closed the stream';
      } catch (e) {
        if (this.stopped) break;
        error = e instanceof Error ? e.message : String(e);
      }
      if (this.stopped) break;
      attempt += 1;
      const initial = this.options.reconnectDelay ?? 500;
      const max = this.options.maxReconnectDelay ?? 30_000;
      const retryInMs = Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
      this.status({ kind: 'disconnected', error, attempt, retryInMs });
      await sleep(retryInMs, this.abort.signal);
    }
    this.status({ kind: 'stopped' });
  }

  /** One connection: probe, then current + sample until something breaks. Returns when the stream ends. */
  private async session(onProgress: () => void): Promise<void> {
    for (let changes = 0; ; changes++) {
      // agents behind a balancer can alternate instances on every request: back off instead of spinning
      if (changes > 3) throw new Error('agent instanceId keeps changing between requests');
      const probe = parseDevicesDocument(...(await this.get(this.url('probe'))));
      this.enterInstance(probe.header.instanceId);
      this.mapper.setDevices(probe.devices);
      this.status({ kind: 'connected', instanceId: this.instance!, devices: probe.devices.map((d) => d.name) });
      try {
        await this.follow(onProgress);
        return;
      } catch (e) {
        if (e instanceof InstanceChanged) continue;
        throw e;
      }
    }
  }

  private enterInstance(instanceId: string): void {
    if (this.instance !== undefined && this.instance !== instanceId) {
      this.status({ kind: 'instance-changed', previous: this.instance, current: instanceId });
      this.mapper.reset();
      this.next = 0;
    }
    this.instance = instanceId;
  }

  private checkInstance(doc: MTConnectStreamsDocument): void {
    if (doc.header.instanceId !== this.instance) {
      this.enterInstance(doc.header.instanceId);
      throw new InstanceChanged(doc.header.instanceId);
    }
  }

  /** current, then sample; OUT_OF_RANGE loops back to current. */
  private async follow(onProgress: () => void): Promise<void> {
    let gapFrom: number | undefined;
    let stalledResyncs = 0;
    for (;;) {
      const current = parseStreamsDocument(...(await this.get(this.url('current'))));
      this.checkInstance(current);
      // an agent answers OUT_OF_RANGE to a count above its buffer size, forever: ask for less
      this.count = Math.min(this.options.count ?? 1000, current.header.bufferSize ?? Infinity);
      const next = current.header.nextSequence ?? (current.header.lastSequence ?? 0) + 1;
      const first = current.header.firstSequence;
      // Reconnected to the same instance and our position is still in the buffer: read on from there,
      // losing nothing. Otherwise (first contact, restart, fell out of the buffer) take the snapshot.
      const resume =
        gapFrom === undefined && this.next > 0 && first !== undefined && first <= this.next && this.next <= next;
      if (!resume) {
        await this.emit(this.mapper.current(current));
        if (gapFrom !== undefined) {
          this.status({ kind: 'gap', instanceId: this.instance!, from: gapFrom, to: next - 1, reason: 'OUT_OF_RANGE' });
        }
        this.next = next;
      }
      onProgress();
      const startedAt = this.next;
      try {
        if (this.mode === 'stream') await this.stream(onProgress);
        else await this.poll(onProgress);
        return;
      } catch (e) {
        if (e instanceof MTConnectAgentError && e.has('OUT_OF_RANGE')) {
          // Data can outrun a fresh position once; twice in a row without progress, back off instead.
          stalledResyncs = this.next === startedAt ? stalledResyncs + 1 : 0;
          if (stalledResyncs >= 2) throw e;
          gapFrom = this.next;
          continue;
        }
        throw e;
      }
    }
  }

  private async get(url: URL): Promise<[string, number]> {
    const { status, body } = await getText(url, this.options.requestTimeout ?? 10_000, this.abort.signal);
    if (status >= 400 && !body.includes('MTConnectError')) {
      throw new Error(`HTTP ${status} from ${url.toString()}`);
    }
    return [body, status];
  }

  private async apply(doc: MTConnectStreamsDocument): Promise<void> {
    this.checkInstance(doc);
    await this.emit(this.mapper.sample(doc));
    if (doc.header.nextSequence !== undefined) this.next = doc.header.nextSequence;
  }

  private async emit(events: MachineEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.options.onEvents(events);
    } catch (e) {
      this.status({ kind: 'consumer-error', error: e instanceof Error ? e.message : String(e) });
    }
  }

  private async stream(onProgress: () => void): Promise<void> {
    const heartbeat = this.options.heartbeat ?? 10_000;
    const url = this.url('sample', {
      from: this.next,
      count: this.count,
      interval: this.options.interval ?? 500,
      heartbeat,
    });
    const res: IncomingMessage = await openGet(url, this.options.heartbeatTimeout ?? 2 * heartbeat, this.abort.signal);
    const boundary = multipartBoundary(res.headers['content-type']);
    if (boundary === null) {
      // not a stream: an error document, or an agent that cannot stream -> poll from now on
      const chunks: Buffer[] = [];
      for await (const chunk of res as AsyncIterable<Buffer>) chunks.push(chunk);
      const doc = parseStreamsDocument(Buffer.concat(chunks).toString('utf8'), res.statusCode);
      await this.apply(doc);
      this.mode = 'poll';
      return this.poll(onProgress);
    }
    this.status({ kind: 'streaming', instanceId: this.instance!, from: this.next });
    const reader = new MultipartReader(boundary);
    for await (const chunk of res as AsyncIterable<Buffer>) {
      for (const part of reader.push(chunk)) {
        const doc = parseMTConnectDocument(part.toString('utf8'));
        if (doc.kind === 'error') throw new MTConnectAgentError(doc.errors, doc.header, res.statusCode);
        if (doc.kind !== 'streams')
          throw new CodecError('multipart', `expected MTConnectStreams parts, got ${doc.kind}`);
        await this.apply(doc);
        onProgress();
      }
      if (reader.done) return;
    }
  }

  private async poll(onProgress: () => void): Promise<void> {
    this.status({ kind: 'polling', instanceId: this.instance!, from: this.next });
    while (!this.stopped) {
      const url = this.url('sample', { from: this.next, count: this.count });
      const doc = parseStreamsDocument(...(await this.get(url)));
      await this.apply(doc);
      onProgress();
      const caughtUp = doc.header.lastSequence === undefined || this.next > doc.header.lastSequence;
      if (caughtUp) await sleep(this.options.pollInterval ?? 1000, this.abort.signal);
    }
  }
}
