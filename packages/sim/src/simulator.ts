/**
 * Runs the simulated shop: one seeded ShopModel on a real-time driver, fanned out to the protocol
 * each machine speaks: the MTConnect agent, the OPC UA server, plain shopfloor MQTT, or a Sparkplug B
 * edge node per department.
 */
import { MTConnectAgent } from './mtconnect/index.js';
import { OpcUaMachineServer } from './opcua/index.js';
import { RealtimeDriver, ShopModel, type SimEvent, type SimMachine, type SimProtocol } from './model/index.js';
import { ShopfloorPublisher, SparkplugPublisher } from './mqtt/index.js';

export type { SimMachine, SimProtocol };

export interface SimulatorOptions {
  machines: readonly SimMachine[];
  /** Broker for `mqtt` and `sparkplug` machines, e.g. mqtt://127.0.0.1:1883. */
  mqttUrl?: string;
  seed?: number;
  /** Simulated seconds per real second. Default 1. */
  speed?: number;
  /** 0 = ephemeral. Default 0. */
  mtconnectPort?: number;
  opcuaPort?: number;
  /** Simulated start instant (ms); default now. */
  start?: number;
  /** Real ms between model ticks. Default 250. */
  tickMs?: number;
  /**
   * 'wall' (default) stamps each event with the real instant the driver reached it, so a sped-up
   * run never reports the future; 'sim' stamps simulated time.
   */
  timestamps?: 'wall' | 'sim';
  /** Sparkplug group id; each department becomes edge node `sim-<department>`. Default "Kerf". */
  sparkplugGroupId?: string;
  /** Receives every batch after it was handed to the protocols (for logging and tests). */
  onEvents?: (events: readonly SimEvent[]) => void;
}

export interface RunningSimulator {
  endpoints: { mtconnect?: string; opcua?: string; mqtt?: string };
  model: ShopModel;
  sparkplugNodes: readonly SparkplugPublisher[];
  /** Events handed to the protocols so far, per protocol. */
  counts(): Record<SimProtocol, number>;
  stop(): Promise<void>;
}

/** What the simulator needs from a protocol: take events, shut down. */
interface ProtocolSink {
  protocol: SimProtocol;
  owns(machineId: string): boolean;
  handle(events: readonly SimEvent[]): void;
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const machines = options.machines;
  if (machines.length === 0) throw new Error('machines: give at least one machine');
  const speed = options.speed ?? 1;
  const start = options.start ?? Date.now();
  const model = new ShopModel(machines, { seed: options.seed ?? 1, start });
  const byProtocol = (p: SimProtocol): SimMachine[] => machines.filter((m) => m.protocol === p);
  const needsMqtt = byProtocol('mqtt').length + byProtocol('sparkplug').length > 0;
  if (needsMqtt && !options.mqttUrl) {
    throw new Error('mqttUrl: required when a machine uses protocol "mqtt" or "sparkplug"');
  }

  const sinks: ProtocolSink[] = [];
  const endpoints: RunningSimulator['endpoints'] = {};
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(sinks.map((s) => s.stop()));
  };

  try {
    if (byProtocol('mtconnect').length > 0) {
      const sink = mtconnectSink(byProtocol('mtconnect'), options.mtconnectPort ?? 0);
      sinks.push(sink.sink);
      endpoints.mtconnect = (await sink.agent.start()).url;
    }
    if (byProtocol('opcua').length > 0) {
      const sink = opcuaSink(byProtocol('opcua'), options.opcuaPort ?? 0);
      sinks.push(sink.sink);
      endpoints.opcua = (await sink.server.start()).endpointUrl;
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  // Wall time of a simulated instant, fixed once the driver starts.
  let realStart = Date.now();
  const stamp = (at: number): number =>
    options.timestamps === 'sim' ? at : Math.round(realStart + (at - start) / speed);
  const sparkplugNodes: SparkplugPublisher[] = [];
  if (options.mqttUrl && byProtocol('mqtt').length > 0) {
    const departments = new Map(byProtocol('mqtt').map((m) => [m.machineId, m.department]));
    const publisher = new ShopfloorPublisher({ url: options.mqttUrl, departments, source: `sim:${start}` });
    sinks.push({
      protocol: 'mqtt',
      owns: (id) => publisher.owns(id),
      handle: (events) => publisher.publish(events),
      stop: () => publisher.stop(),
    });
  }
  if (options.mqttUrl && byProtocol('sparkplug').length > 0) {
    const groups = new Map<string, string[]>();
    for (const m of byProtocol('sparkplug'))
      groups.set(m.department, [...(groups.get(m.department) ?? []), m.machineId]);
    for (const [department, ids] of groups) {
      const publisher = new SparkplugPublisher({
        url: options.mqttUrl,
        groupId: options.sparkplugGroupId ?? 'Kerf',
        edgeNodeId: `sim-${department}`,
        machines: model.machines.filter((m) => ids.includes(m.spec.machineId)),
        simNow: () => stamp(model.now),
      });
      sparkplugNodes.push(publisher);
      sinks.push({
        protocol: 'sparkplug',
        owns: (id) => publisher.owns(id),
        handle: (events) => publisher.publish(events),
        stop: () => publisher.stop(),
      });
    }
  }
  if (options.mqttUrl && needsMqtt) endpoints.mqtt = options.mqttUrl;

  const counts: Record<SimProtocol, number> = { mtconnect: 0, opcua: 0, mqtt: 0, sparkplug: 0 };
  const owner = new Map<string, ProtocolSink[]>();
  for (const m of machines)
    owner.set(
      m.machineId,
      sinks.filter((s) => s.owns(m.machineId)),
    );
  const dispatch = (raw: readonly SimEvent[]): void => {
    const events = raw.map((e) => ({ ...e, at: stamp(e.at) }));
    for (const sink of sinks) {
      const mine = events.filter((e) => owner.get(e.machineId)?.includes(sink));
      if (mine.length === 0) continue;
      counts[sink.protocol] += mine.length;
      sink.handle(mine);
    }
    options.onEvents?.(events);
  };

  realStart = Date.now();
  dispatch(model.initialEvents());
  const driver = new RealtimeDriver(model, { speed, tickMs: options.tickMs, onEvents: dispatch });
  driver.start();

  let stopped = false;
  return {
    endpoints,
    model,
    sparkplugNodes,
    counts: () => ({ ...counts }),
    async stop() {
      if (stopped) return;
      stopped = true;
      driver.stop();
      await stopAll();
    },
  };
}

/** MTConnect view of a Kerf state, chosen so the connector's DeviceState.derive() reads it back. */
const MTCONNECT_STATE = {
  running: {
    availability: 'AVAILABLE',
    execution: 'ACTIVE',
    controller_mode: 'AUTOMATIC',
    functional_mode: 'PRODUCTION',
  },
  idle: { availability: 'AVAILABLE', execution: 'READY', controller_mode: 'AUTOMATIC', functional_mode: 'PRODUCTION' },
  setup: { availability: 'AVAILABLE', execution: 'READY', controller_mode: 'MANUAL', functional_mode: 'SETUP' },
  alarm: {
    availability: 'AVAILABLE',
    execution: 'INTERRUPTED',
    controller_mode: 'AUTOMATIC',
    functional_mode: 'PRODUCTION',
  },
  offline: { availability: 'UNAVAILABLE' },
} as const;

function mtconnectSink(machines: SimMachine[], port: number): { agent: MTConnectAgent; sink: ProtocolSink } {
  const agent = new MTConnectAgent({
    port,
    devices: machines.map((m) => ({ name: m.machineId, uuid: `kerf-sim-${m.machineId}`, machineId: m.machineId })),
  });
  const ids = new Set(machines.map((m) => m.machineId));
  return {
    agent,
    sink: {
      protocol: 'mtconnect',
      owns: (id) => ids.has(id),
      handle(events) {
        for (const e of events) {
          const device = e.machineId;
          switch (e.type) {
            case 'state': {
              if (e.value === 'stopped') break; // the model never produces it
              for (const [item, value] of Object.entries(MTCONNECT_STATE[e.value]))
                agent.observe(device, item, value, e.at);
              break;
            }
            case 'part_count':
              agent.observe(device, 'part_count', e.value, e.at);
              break;
            case 'cycle_time':
              agent.observe(device, 'cycle_time', e.value, e.at);
              break;
            case 'program':
              agent.observe(device, 'program', e.value, e.at);
              break;
            case 'alarm':
              if (e.value.active)
                agent.raiseCondition(device, e.value.code, e.value.severity, e.value.message, 'system', e.at);
              else agent.clearCondition(device, e.value.code, 'system', e.at);
              break;
          }
        }
      },
      stop: () => agent.stop(),
    },
  };
}

function opcuaSink(machines: SimMachine[], port: number): { server: OpcUaMachineServer; sink: ProtocolSink } {
  const server = new OpcUaMachineServer({
    port,
    machines: machines.map((m) => ({ machineId: m.machineId, name: m.machineId })),
  });
  const ids = new Set(machines.map((m) => m.machineId));
  return {
    server,
    sink: {
      protocol: 'opcua',
      owns: (id) => ids.has(id),
      handle(events) {
        for (const e of events) {
          switch (e.type) {
            case 'state':
              server.setState(e.machineId, e.value);
              break;
            case 'part_count':
              server.setPartCount(e.machineId, e.value);
              break;
            case 'cycle_time':
              server.setCycleTime(e.machineId, e.value);
              break;
            case 'program':
              server.setProgram(e.machineId, e.value);
              break;
            case 'alarm':
              if (e.value.active) server.raiseAlarm(e.machineId, e.value.code, e.value.message, e.value.severity);
              else server.clearAlarm(e.machineId, e.value.code);
              break;
          }
        }
      },
      stop: () => server.dispose(),
    },
  };
}
