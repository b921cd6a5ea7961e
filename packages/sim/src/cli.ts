/**
 * `kerf-sim --machines N --mqtt URL --speed X`: starts the first N demo machines (see
 * model/demo-floor.ts) on their protocols and prints the endpoints. Runs until SIGINT/SIGTERM,
 * or for `--duration` real seconds.
 */
import { parseArgs } from 'node:util';
import { demoMachines, type SimProtocol } from './model/index.js';
import { startSimulator, type RunningSimulator } from './simulator.js';

const USAGE = `usage: kerf-sim [--machines N] [--mqtt URL] [--speed X] [--seed S]
                [--mtconnect-port P] [--opcua-port P] [--only mtconnect,opcua,mqtt,sparkplug]
                [--duration SECONDS] [--sim-timestamps]
  --machines N       first N demo machines (default 8: every department and protocol)
  --mqtt URL         broker for MQTT and Sparkplug machines (default mqtt://127.0.0.1:1883)
  --speed X          simulated seconds per real second (default 1)
  --only LIST        keep only machines on these protocols`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Resolves when the process should stop; default SIGINT/SIGTERM or --duration. */
  untilStop?: Promise<void>;
}

function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name}: must be a positive number, got "${raw}"`);
  return value;
}

function port(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`--${name}: must be a port 0..65535`);
  return value;
}

export async function runCli(argv: string[], io: CliIo = { out: console.log, err: console.error }): Promise<number> {
  let sim: RunningSimulator;
  let durationMs: number | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        machines: { type: 'string' },
        mqtt: { type: 'string' },
        speed: { type: 'string' },
        seed: { type: 'string' },
        'mtconnect-port': { type: 'string' },
        'opcua-port': { type: 'string' },
        only: { type: 'string' },
        duration: { type: 'string' },
        'sim-timestamps': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const count = positiveNumber('machines', values.machines, 8);
    if (!Number.isInteger(count)) throw new Error('--machines: must be a whole number');
    let machines = demoMachines(count);
    if (values.only !== undefined) {
      const allowed = values.only.split(',').map((p) => p.trim());
      const known: SimProtocol[] = ['mtconnect', 'opcua', 'mqtt', 'sparkplug'];
      const bad = allowed.filter((p) => !(known as string[]).includes(p));
      if (bad.length > 0) throw new Error(`--only: unknown protocol ${bad.join(', ')} (use ${known.join(', ')})`);
      machines = machines.filter((m) => allowed.includes(m.protocol));
      if (machines.length === 0) throw new Error('--only: no machine left');
    }
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isInteger(seed)) throw new Error(`--seed: must be an integer, got "${values.seed}"`);
    durationMs = values.duration === undefined ? undefined : positiveNumber('duration', values.duration, 0) * 1000;
    sim = await startSimulator({
      machines,
      mqttUrl: values.mqtt ?? 'mqtt://127.0.0.1:1883',
      speed: positiveNumber('speed', values.speed, 1),
      seed,
      mtconnectPort: port('mtconnect-port', values['mtconnect-port']),
      opcuaPort: port('opcua-port', values['opcua-port']),
      timestamps: values['sim-timestamps'] ? 'sim' : 'wall',
    });
    io.out(`kerf-sim: ${machines.length} machines, seed ${seed}, speed x${values.speed ?? 1}`);
    for (const m of machines)
      io.out(`  ${m.machineId.padEnd(14)} ${m.department.padEnd(9)} ${m.kind.padEnd(12)} ${m.protocol}`);
    if (sim.endpoints.mtconnect) io.out(`MTConnect agent: ${sim.endpoints.mtconnect}/current`);
    if (sim.endpoints.opcua) io.out(`OPC UA server:   ${sim.endpoints.opcua}`);
    if (sim.endpoints.mqtt) {
      io.out(`MQTT:            ${sim.endpoints.mqtt} (shopfloor/+/+/+ at QoS 1, Sparkplug spBv1.0/Kerf/#)`);
    }
  } catch (error) {
    io.err(`kerf-sim: ${error instanceof Error ? error.message : String(error)}`);
    io.err(USAGE);
    return 2;
  }

  const stopSignal =
    io.untilStop ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
      if (durationMs !== undefined) setTimeout(resolve, durationMs);
    });
  await stopSignal;
  const counts = sim.counts();
  await sim.stop();
  io.out(`kerf-sim: stopped; events sent ${JSON.stringify(counts)}`);
  return 0;
}
