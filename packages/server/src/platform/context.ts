import type { ConnectorManager } from '../machines/connectors/connector-manager.js';
import type { Config } from './config.js';
import type { Database } from './db.js';
import type { EventBus } from './events.js';
import type { MachinesRuntime } from '../machines/runtime.js';

/** What every module's routes get: the database, configuration and the event bus. */
export interface AppContext {
  database: Database;
  config: Config;
  events: EventBus;
  /** the MTConnect/OPC UA clients of this process, when started (main.ts) */
  connectors?: ConnectorManager;
  /** a machines runtime started by the caller; buildApp starts (and stops) one otherwise */
  machines?: MachinesRuntime;
}
