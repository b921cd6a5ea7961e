import type { Config } from './config.js';
import type { Database } from './db.js';
import type { EventBus } from './events.js';
import type { ReadCache } from './read-cache.js';

/**
 * What every module gets from the composition root (src/app/): the database, configuration,
 * the event bus and the read cache. A module that needs another module's service gets it as a
 * further, typed argument of its registration, never through this bag.
 */
export interface AppContext {
  database: Database;
  config: Config;
  events: EventBus;
  /** list pages cached until a table they read changes (one per database) */
  reads: ReadCache;
}
