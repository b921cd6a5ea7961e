import type { Config } from './config.js';
import type { Database } from './db.js';

/** What every module's routes get: the database and configuration. */
export interface AppContext {
  database: Database;
  config: Config;
}
