/**
 * Host-application side of Sparkplug B: feed it every (topic, payload) from `spBv1.0/#` and it
 * returns MachineEvents plus the NCMD rebirth requests to publish. It keeps per edge node the
 * birth certificate (names, aliases, datatypes), the seq chain and the bdSeq of the session, and
 * applies the session rules of PROTOCOLS.md 4.2: a seq gap or data before birth asks for a rebirth,
 * an NDEATH only counts when its bdSeq matches the live NBIRTH (a late Will from an older
 * connection is ignored), NDEATH/DDEATH turn the machines offline.
 */
import { CodecError } from '../codec-error.js';
import type { MachineEvent } from '../machine-event.js';
import {
  defaultSparkplugMetricMap,
  sparkplugAlarmValue,
  sparkplugCountValue,
  sparkplugMetricValue,
  sparkplugStateValue,
  type SparkplugMetricMap,
} from './sparkplug-metric-map.js';
import { SPARKPLUG_BDSEQ_METRIC, SPARKPLUG_REBIRTH_METRIC, type SparkplugMessage } from './sparkplug-node.js';
import {
  decodeSparkplugPayload,
  encodeSparkplugPayload,
  type SparkplugMetric,
  type SparkplugPayload,
  type SparkplugValue,
} from './sparkplug-payload.js';
import { formatSparkplugTopic, parseSparkplugTopic } from './sparkplug-topic.js';

/**
 * Events of one message share its position in the session; each gets its own slot so
 * (machineId, source, sequence) stays unique when a DDATA carries several metrics.
 */
export const SPARKPLUG_SEQUENCE_STRIDE = 4096;

export interface SparkplugEndpoint {
  groupId: string;
  edgeNodeId: string;
  /** undefined for node-level metrics (NBIRTH/NDATA). */
  deviceId?: string;
}

export interface SparkplugHostOptions {
  /** Metric names to Kerf metrics; default `defaultSparkplugMetricMap`. */
  metricMap?: SparkplugMetricMap;
  /** Kerf machine id for a device (or for the node itself); null ignores it. Default: deviceId ?? edgeNodeId. */
  machineIdFor?: (endpoint: SparkplugEndpoint) => string | null;
  /** Minimum time between two rebirth requests to the same node, so a burst of late data asks once. */
  rebirthIntervalMs?: number;
}

export interface SparkplugHostResult {
  events: MachineEvent[];
  /** NCMD rebirth requests to publish (QoS 0). */
  commands: SparkplugMessage[];
  /** Problems with this message; the host has already acted (dropped, asked for a rebirth). */
  errors: CodecError[];
}

interface MetricInfo {
  name: string;
  datatype?: number;
  properties?: Record<string, SparkplugValue>;
}

interface Owner {
  machineId: string | null;
  byAlias: Map<number, MetricInfo>;
  byName: Map<string, MetricInfo>;
  alive: boolean;
  /** The node itself is a machine only when its birth had metrics we map. */
  reported: boolean;
}

interface NodeSession {
  groupId: string;
  edgeNodeId: string;
  bdSeq: number;
  source: string;
  lastSeq: number;
  /** Messages accepted in this birth session: seq unwrapped past 255. */
  counter: number;
  alive: boolean;
  awaitingRebirth: boolean;
  node: Owner;
  devices: Map<string, Owner>;
}

export function sparkplugRebirthCommand(groupId: string, edgeNodeId: string, now = Date.now()): SparkplugMessage {
  return {
    topic: formatSparkplugTopic({ type: 'NCMD', groupId, edgeNodeId }),
    payload: encodeSparkplugPayload({
      timestamp: now,
      metrics: [{ name: SPARKPLUG_REBIRTH_METRIC, type: 'Boolean', value: true }],
    }),
    qos: 0,
    retain: false,
  };
}

export class SparkplugHost {
  readonly #metricMap: SparkplugMetricMap;
  readonly #machineIdFor: (endpoint: SparkplugEndpoint) => string | null;
  readonly #rebirthIntervalMs: number;
  readonly #sessions = new Map<string, NodeSession>();
  readonly #lastRebirth = new Map<string, number>();

  constructor(options: SparkplugHostOptions = {}) {
    this.#metricMap = options.metricMap ?? defaultSparkplugMetricMap;
    this.#machineIdFor = options.machineIdFor ?? ((e) => e.deviceId ?? e.edgeNodeId);
    this.#rebirthIntervalMs = options.rebirthIntervalMs ?? 2000;
  }

  /** Source string of the live session of a node, for tests and diagnostics. */
  sourceOf(groupId: string, edgeNodeId: string): string | undefined {
    return this.#sessions.get(nodeKey(groupId, edgeNodeId))?.source;
  }

  handle(topic: string, payload: Uint8Array, receivedAt: Date = new Date()): SparkplugHostResult {
    const result: SparkplugHostResult = { events: [], commands: [], errors: [] };
    const parsed = parseSparkplugTopic(topic);
    // STATE belongs to hosts, NCMD/DCMD are commands to nodes: neither is machine data.
    if (!parsed || parsed.type === 'STATE' || parsed.type === 'NCMD' || parsed.type === 'DCMD') return result;
    const { groupId, edgeNodeId } = parsed;
    const key = nodeKey(groupId, edgeNodeId);
    const now = receivedAt.getTime();
    const session = this.#sessions.get(key);

    const fail = (error: CodecError, rebirth: boolean): SparkplugHostResult => {
      result.errors.push(error);
      if (rebirth) {
        if (session) session.awaitingRebirth = true;
        const last = this.#lastRebirth.get(key);
        if (last === undefined || now - last >= this.#rebirthIntervalMs || now < last) {
          this.#lastRebirth.set(key, now);
          result.commands.push(sparkplugRebirthCommand(groupId, edgeNodeId, now));
        }
      }
      return result;
    };

    if (parsed.type === 'NBIRTH') {
      let birth: SparkplugPayload;
      try {
        birth = decodeSparkplugPayload(payload);
      } catch (error) {
        return fail(asCodecError(error), true);
      }
      const bdSeq = birth.metrics.find((m) => m.name === SPARKPLUG_BDSEQ_METRIC)?.value;
      if (typeof bdSeq !== 'number') {
        return fail(new CodecError('NBIRTH.bdSeq', 'the birth certificate has no numeric bdSeq metric'), true);
      }
      const birthTime = validTime(birth.timestamp) ?? now;
      const fresh: NodeSession = {
        groupId,
        edgeNodeId,
        bdSeq,
        source: `spb:${groupId}/${edgeNodeId}:${bdSeq}:${birthTime}`,
        lastSeq: birth.seq ?? 0,
        counter: 0,
        alive: true,
        awaitingRebirth: false,
        node: this.#owner({ groupId, edgeNodeId }),
        devices: new Map(),
      };
      this.#sessions.set(key, fresh);
      this.#register(fresh.node, birth.metrics);
      this.#emit(fresh, fresh.node, birth, now, result);
      fresh.node.reported = result.events.length > 0 || hasMapped(fresh.node, this.#metricMap);
      return result;
    }

    if (parsed.type === 'NDEATH') {
      let death: SparkplugPayload;
      try {
        death = decodeSparkplugPayload(payload);
      } catch (error) {
        result.errors.push(asCodecError(error));
        return result;
      }
      const bdSeq = death.metrics.find((m) => m.name === SPARKPLUG_BDSEQ_METRIC)?.value;
      // Only the Will of the live connection ends the session; an older one lost the race to the new NBIRTH.
      if (!session || !session.alive || bdSeq !== session.bdSeq) return result;
      session.alive = false;
      session.counter += 1;
      const timestamp = receivedAt.toISOString();
      let slot = 0;
      const owners = [...(session.node.reported ? [session.node] : []), ...session.devices.values()];
      for (const owner of owners) {
        if (owner.alive && owner.machineId !== null)
          result.events.push(this.#offline(session, owner, timestamp, slot++));
        owner.alive = false;
      }
      return result;
    }

    // Everything else continues the seq chain of a live session.
    if (!session || !session.alive) {
      return fail(new CodecError(parsed.type, `${edgeNodeId} sent ${parsed.type} before its NBIRTH`), true);
    }
    if (session.awaitingRebirth) {
      return fail(new CodecError(parsed.type, `${edgeNodeId} is waiting for the rebirth it was asked for`), true);
    }
    const deviceId = parsed.deviceId;
    let device = deviceId === undefined ? session.node : session.devices.get(deviceId);
    const resolver = (m: { name?: string; alias?: number }): number | undefined => lookup(device, m)?.datatype;
    let message: SparkplugPayload;
    try {
      message = decodeSparkplugPayload(payload, resolver);
    } catch (error) {
      return fail(asCodecError(error), true);
    }
    const expected = (session.lastSeq + 1) % 256;
    if (message.seq !== expected) {
      return fail(
        new CodecError(`${parsed.type}.seq`, `expected ${expected} from ${edgeNodeId}, got ${String(message.seq)}`),
        true,
      );
    }
    session.lastSeq = expected;
    session.counter += 1;

    switch (parsed.type) {
      case 'DBIRTH': {
        device = this.#owner({ groupId, edgeNodeId, deviceId: parsed.deviceId });
        session.devices.set(parsed.deviceId, device);
        this.#register(device, message.metrics);
        this.#emit(session, device, message, now, result);
        return result;
      }
      case 'DDEATH': {
        if (device?.alive && device.machineId !== null) {
          result.events.push(this.#offline(session, device, timeOf(message.timestamp, now), 0));
        }
        if (device) device.alive = false;
        return result;
      }
      case 'NDATA':
      case 'DDATA': {
        if (!device || !device.alive) {
          return fail(new CodecError(parsed.type, `${deviceId ?? edgeNodeId} sent data before its DBIRTH`), true);
        }
        const unknown = message.metrics.find((m) => !lookup(device, m));
        if (unknown) {
          return fail(
            new CodecError(
              `${parsed.type}.metrics`,
              `alias ${String(unknown.alias)} / name ${String(unknown.name)} is not in the birth certificate`,
            ),
            true,
          );
        }
        this.#emit(session, device, message, now, result);
        return result;
      }
    }
  }

  #owner(endpoint: SparkplugEndpoint): Owner {
    return {
      machineId: this.#machineIdFor(endpoint),
      byAlias: new Map(),
      byName: new Map(),
      alive: true,
      reported: false,
    };
  }

  #register(owner: Owner, metrics: SparkplugMetric[]): void {
    for (const metric of metrics) {
      if (metric.name === undefined) continue;
      const info: MetricInfo = { name: metric.name, datatype: metric.datatype, properties: metric.properties };
      owner.byName.set(metric.name, info);
      if (metric.alias !== undefined) owner.byAlias.set(metric.alias, info);
    }
  }

  #emit(session: NodeSession, owner: Owner, message: SparkplugPayload, now: number, result: SparkplugHostResult): void {
    if (owner.machineId === null) return;
    let slot = 0;
    message.metrics.forEach((metric, index) => {
      const info = lookup(owner, metric);
      const name = metric.name ?? info?.name;
      if (name === undefined) return;
      const target = this.#metricMap(name);
      if (!target) return;
      if (slot >= SPARKPLUG_SEQUENCE_STRIDE) {
        result.errors.push(new CodecError('metrics', `more than ${SPARKPLUG_SEQUENCE_STRIDE} mapped metrics`));
        return;
      }
      const field = `metrics[${index}] (${name})`;
      const base = {
        machineId: owner.machineId as string,
        timestamp: timeOf(metric.timestamp ?? message.timestamp, now),
        source: session.source,
        sequence: session.counter * SPARKPLUG_SEQUENCE_STRIDE + slot,
      };
      try {
        switch (target.kind) {
          case 'state':
            if (metric.value === null) return;
            result.events.push({
              ...base,
              kind: 'state',
              metric: 'state',
              value: sparkplugStateValue(metric.value, field),
            });
            break;
          case 'count':
            if (metric.value === null) return;
            result.events.push({
              ...base,
              kind: 'count',
              metric: target.metric,
              value: sparkplugCountValue(metric.value, field),
            });
            break;
          case 'metric':
            result.events.push({
              ...base,
              kind: 'metric',
              metric: target.metric,
              value: sparkplugMetricValue(metric.value, field),
            });
            break;
          case 'alarm': {
            const properties = { ...info?.properties, ...metric.properties };
            const value = sparkplugAlarmValue(target.code, metric.value, properties, field);
            result.events.push({ ...base, kind: 'alarm', metric: 'alarm', value });
            break;
          }
        }
        slot += 1;
      } catch (error) {
        result.errors.push(asCodecError(error));
      }
    });
  }

  #offline(session: NodeSession, owner: Owner, timestamp: string, slot: number): MachineEvent {
    return {
      machineId: owner.machineId as string,
      timestamp,
      source: session.source,
      sequence: session.counter * SPARKPLUG_SEQUENCE_STRIDE + slot,
      kind: 'state',
      metric: 'state',
      value: 'offline',
    };
  }
}

function nodeKey(groupId: string, edgeNodeId: string): string {
  return `${groupId}/${edgeNodeId}`;
}

function lookup(owner: Owner | undefined, metric: { name?: string; alias?: number }): MetricInfo | undefined {
  if (!owner) return undefined;
  if (metric.alias !== undefined) return owner.byAlias.get(metric.alias);
  return metric.name === undefined ? undefined : owner.byName.get(metric.name);
}

function hasMapped(owner: Owner, map: SparkplugMetricMap): boolean {
  for (const name of owner.byName.keys()) if (map(name)) return true;
  return false;
}

/** Year 2000..9999 in ms: anything else is a node without a clock, and receive time is better. */
function validTime(ms: number | undefined): number | undefined {
  return ms !== undefined && ms >= 946_684_800_000 && ms <= 253_402_300_799_999 ? ms : undefined;
}

function timeOf(ms: number | undefined, now: number): string {
  return new Date(validTime(ms) ?? now).toISOString();
}

function asCodecError(error: unknown): CodecError {
  if (error instanceof CodecError) return error;
  return new CodecError('payload', error instanceof Error ? error.message : String(error), { cause: error });
}
