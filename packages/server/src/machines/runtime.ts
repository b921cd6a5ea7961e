import { randomBytes } from 'node:crypto';
import type { AppContext } from '../platform/context.js';
import { hostname } from 'node:os';
import { Ingest, type IngestOptions } from './ingest/ingest.js';
import { RejectionLog } from './ingest/rejection-log.js';
import { EmbeddedBroker } from './mqtt/broker.js';
import { EmbeddedIntake } from './mqtt/embedded-intake.js';
import type { Intake } from './mqtt/intake-core.js';
import { MqttIntake } from './mqtt/mqtt-intake.js';
import { startHistoryMaintenance, type HistoryMaintenance } from './history/maintenance.js';
import { MachineRegistry } from './registry.js';
import { StatusCache } from './status-cache.js';

export interface MachinesRuntime {
  registry: MachineRegistry;
  cache: StatusCache;
  ingest: Ingest;
  /** rejected machine data per device (ingest, and the broker's refusals) */
  rejections: RejectionLog;
  broker?: EmbeddedBroker;
  intake?: Intake;
  /** the broker Kerf reads from (embedded or MQTT_URL), when MQTT is on */
  mqttUrl?: string;
  stop: () => Promise<void>;
}

export interface MachinesOptions {
  /** start the broker (or connect to MQTT_URL) and subscribe; default config.mqttEnabled */
  mqtt?: boolean;
  /** run partition maintenance (PostgreSQL); default true */
  maintenance?: boolean;
  ingest?: IngestOptions;
  /** persistent-session client id of the subscriber */
  clientId?: string;
  log?: (msg: string) => void;
}

/**
 * Starts the machines module: registry, status cache (Redis when REDIS_URL is set), the ingest
 * writer, partition maintenance and, when MQTT is on, the embedded broker (or MQTT_URL) and
 * Kerf's subscriber. `stop` closes intake first, then writes what is queued.
 */
export async function startMachines(
  ctx: Pick<AppContext, 'database' | 'config' | 'events'>,
  options: MachinesOptions = {},
): Promise<MachinesRuntime> {
  const log = options.log ?? ((msg: string) => process.stdout.write(`${msg}\n`));
  const { database, config, events } = ctx;
  const registry = new MachineRegistry(database);
  await registry.load();
  const cache = new StatusCache();
  await cache.load(database);
  if (config.redisUrl) await cache.connectRedis(config.redisUrl);
  let lastError = 0;
  const rejections = new RejectionLog(database, { log });
  rejections.start();
  const ingest = new Ingest(database, registry, cache, events, {
    rejections,
    log,
    onError: (err) => {
      // One line per 10 s while the database is away, not one per retry.
      if (Date.now() - lastError < 10_000) return;
      lastError = Date.now();
      log(`kerf: machine ingest is retrying: ${describeError(err)}`);
    },
    ...options.ingest,
  });
  ingest.start();
  const maintenance: HistoryMaintenance | undefined =
    options.maintenance === false ? undefined : await startHistoryMaintenance(database, config, log);

  const runtime: MachinesRuntime = {
    registry,
    cache,
    ingest,
    rejections,
    stop: async () => {
      maintenance?.stop();
      // Intake first (it pauses the devices and drains what the broker acknowledged), then the
      // broker, then the queue.
      await runtime.intake?.stop();
      await runtime.broker?.stop();
      await ingest.stop();
      const c = ingest.counters;
      log(
        `kerf: machine ingest stopped: received ${c.received}, stored ${c.stored}, duplicates ${c.duplicates}, rejected ${c.rejected}, dropped ${c.dropped}`,
      );
      await rejections.stop();
      await cache.close();
    },
  };
  if (options.mqtt ?? config.mqttEnabled) {
    try {
      let url = config.mqttUrl;
      if (url) {
        const intake = new MqttIntake(ingest, {
          url,
          clientId: options.clientId ?? `kerf-ingest-${hostname().replace(/[^A-Za-z0-9_-]/g, '_')}`,
          log,
        });
        await intake.start();
        runtime.intake = intake;
      } else {
        // Nobody logs in with it today (Kerf subscribes in-process); a random password keeps the account closed.
        const internal = { username: 'kerf-ingest', password: randomBytes(18).toString('base64url') };
        const broker = new EmbeddedBroker(database, {
          host: config.mqttHost,
          port: config.mqttPort,
          portExplicit: config.mqttPortExplicit,
          anonymous: config.mqttAnonymous,
          internal,
          log,
          registry,
          rejections,
        });
        // In-process subscriber, in place before the broker listens (and again on each restart).
        const intake = new EmbeddedIntake(ingest, broker, log);
        await intake.start();
        runtime.intake = intake;
        await broker.start();
        runtime.broker = broker;
        url = broker.url;
        log(`kerf: MQTT broker listening on ${config.mqttHost}:${broker.port}`);
      }
      runtime.mqttUrl = url;
    } catch (err) {
      await runtime.stop();
      throw err;
    }
  }
  return runtime;
}

/** drizzle wraps the driver's error: the cause says what the database refused. */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : err.message.split('\n')[0]!;
}
