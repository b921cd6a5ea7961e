import { ensureAdmin } from '../auth/service.js';
import type { Config } from '../platform/config.js';
import { openDatabase, type Database } from '../platform/db.js';
import { migrate } from '../platform/migrate.js';

export interface Booted {
  database: Database;
  applied: string[];
  admin: { created: boolean; password?: string };
}

/** Opens the configured database, migrates it and makes sure an admin exists. */
export async function boot(config: Config, schema?: string): Promise<Booted> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema });
  try {
    const applied = await migrate(database);
    const admin = await ensureAdmin(database.db, config.adminPassword);
    return { database, applied, admin };
  } catch (err) {
    await database.close();
    throw err;
  }
}
