import type { MachineEvent } from '@kerf/connectors';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { machines } from '../tables.js';

/** What the manager needs of a protocol client: start it, stop it; it reports through the handlers. */
export interface MachineClient {
  start(): void | Promise<void>;
  stop(): Promise<void>;
}

export interface ClientHandlers {
  /** resolves when the ingest has taken them (a client that awaits it slows down instead of piling up) */
  events(events: MachineEvent[]): Promise<void>;
  error(err: Error): void;
  connected(up: boolean): void;
}

export interface ManagedMachine {
  id: string;
  code: string;
  protocol: string;
  connection: Record<string, unknown>;
}

export type ClientFactory = (machine: ManagedMachine, handlers: ClientHandlers) => MachineClient;

export interface ConnectorStatus {
  machineId: string;
  code: string;
  protocol: string;
  connected: boolean;
  startedAt: string;
  lastEventAt: string | null;
  events: number;
  lastError: string | null;
  lastErrorAt: string | null;
  /** how often the client was replaced after a connection change */
  restarts: number;
}

export interface ConnectorManager {
  /** reconciles running clients with the enabled machines now (also runs every refreshMs) */
  refresh(): Promise<void>;
  status(): ConnectorStatus[];
  stop(): Promise<void>;
}

export interface ConnectorManagerOptions {
  db: Db;
  /** the ingest pipeline's entry point */
  submit: (events: MachineEvent[]) => Promise<unknown>;
  /** a client factory per protocol; machines of other protocols (MQTT) are not the manager's */
  factories: Partial<Record<string, ClientFactory>>;
  /** how often the registry is re-read for new, changed and disabled machines; 0: only on refresh() */
  refreshMs?: number;
  log?: (msg: string) => void;
}

/** Key order must not count as a change: the same settings saved again keep the client running. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

interface Running {
  machine: ManagedMachine;
  fingerprint: string;
  /** absent when the factory refused the settings */
  client?: MachineClient;
  starting?: Promise<void>;
  status: ConnectorStatus;
  /** the handlers of a replaced client must stop counting into the new status */
  alive: boolean;
}

/**
 * Runs one protocol client per enabled MTConnect/OPC UA machine and feeds its events into the
 * ingest pipeline. A client whose machine's connection settings change is replaced; a disabled
 * or deleted machine's client is stopped. Client failures are kept in the status, never thrown.
 */
export function createConnectorManager(options: ConnectorManagerOptions): ConnectorManager {
  const log = options.log ?? (() => undefined);
  const running = new Map<string, Running>();
  const protocols = Object.keys(options.factories);
  let stopped = false;
  let refreshing: Promise<void> = Promise.resolve();

  const startClient = (machine: ManagedMachine, restarts: number): void => {
    const factory = options.factories[machine.protocol];
    if (!factory) return;
    const status: ConnectorStatus = {
      machineId: machine.id,
      code: machine.code,
      protocol: machine.protocol,
      connected: false,
      startedAt: new Date().toISOString(),
      lastEventAt: null,
      events: 0,
      lastError: null,
      lastErrorAt: null,
      restarts,
    };
    const entry: Running = { machine, fingerprint: stableJson(machine.connection), status, alive: true };
    const fail = (err: Error) => {
      if (!entry.alive) return;
      status.lastError = err.message;
      status.lastErrorAt = new Date().toISOString();
    };
    const handlers: ClientHandlers = {
      events: async (events) => {
        if (!entry.alive || events.length === 0) return;
        status.events += events.length;
        status.lastEventAt = new Date().toISOString();
        status.connected = true;
        try {
          await options.submit(events);
        } catch (err) {
          fail(err instanceof Error ? err : new Error(String(err)));
        }
      },
      error: fail,
      connected: (up) => {
        if (entry.alive) status.connected = up;
      },
    };
    const failed = (err: unknown) => {
      // A bad connection setting must not stop the others; the status says what is wrong.
      fail(err instanceof Error ? err : new Error(String(err)));
      log(`connector ${machine.code} (${machine.protocol}) failed to start: ${status.lastError}`);
    };
    running.set(machine.id, entry);
    let client: MachineClient;
    try {
      client = factory(machine, handlers);
    } catch (err) {
      return failed(err);
    }
    entry.client = client;
    // Not awaited: a client keeps retrying an unreachable peer inside start(), and one such
    // machine must not hold up the others.
    entry.starting = Promise.resolve()
      .then(() => client.start())
      .then(() => {
        if (entry.alive) log(`connector ${machine.code} (${machine.protocol}) started`);
      }, failed);
  };

  const stopClient = async (entry: Running): Promise<void> => {
    entry.alive = false;
    running.delete(entry.machine.id);
    await entry.client?.stop().catch((err: unknown) => {
      log(`connector ${entry.machine.code}: stop failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  };

  const reconcile = async (): Promise<void> => {
    if (stopped) return;
    const rows =
      protocols.length === 0
        ? []
        : await options.db
            .select({
              id: machines.id,
              code: machines.code,
              protocol: machines.protocol,
              connection: machines.connection,
            })
            .from(machines)
            .where(and(eq(machines.enabled, true), inArray(machines.protocol, protocols)));
    const wanted = new Map(rows.map((r) => [r.id, r]));
    for (const entry of [...running.values()]) {
      const want = wanted.get(entry.machine.id);
      if (!want || want.protocol !== entry.machine.protocol) await stopClient(entry);
    }
    for (const machine of wanted.values()) {
      if (stopped) return;
      const entry = running.get(machine.id);
      if (!entry) startClient(machine, 0);
      else if (entry.fingerprint !== stableJson(machine.connection)) {
        log(`connector ${machine.code}: connection changed, restarting`);
        const restarts = entry.status.restarts + 1;
        await stopClient(entry);
        startClient(machine, restarts);
      }
    }
  };

  // One reconciliation at a time: a timer firing during a slow start must not start a second client.
  const refresh = (): Promise<void> => {
    refreshing = refreshing.then(reconcile, reconcile);
    return refreshing;
  };

  const refreshMs = options.refreshMs ?? 10_000;
  const timer =
    refreshMs > 0
      ? setInterval(() => {
          refresh().catch((err: unknown) =>
            log(`connectors: cannot read the machine registry: ${err instanceof Error ? err.message : String(err)}`),
          );
        }, refreshMs)
      : undefined;
  timer?.unref();

  return {
    refresh,
    status: () =>
      [...running.values()]
        .map((r) => ({ ...r.status }))
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await refreshing.catch(() => undefined);
      await Promise.all([...running.values()].map(stopClient));
    },
  };
}
