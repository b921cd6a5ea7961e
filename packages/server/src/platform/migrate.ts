import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './db.js';

/** Resolves to packages/server/migrations from both src/ (tests) and dist/ (runtime). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export interface Migration {
  id: string;
  script: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ id: f.replace(/\.sql$/, ''), script: readFileSync(dir + f, 'utf8') }));
}

// Arbitrary constant so that replicas starting together migrate one at a time.
const MIGRATION_LOCK = 4242_0001;

/**
 * Applies pending migrations in order, each in its own transaction together with its row
 * in kerf_migrations, so a failed migration leaves nothing behind. Returns the ids applied.
 */
export async function migrate(database: Database, migrations = listMigrations()): Promise<string[]> {
  await database.exec(
    'CREATE TABLE IF NOT EXISTS kerf_migrations (id VARCHAR(200) PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
  );
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await database.query<{ id: string }>('SELECT id FROM kerf_migrations WHERE id = $1', [m.id]);
    if (done.length > 0) continue;
    const escapedId = m.id.replace(/'/g, "''");
    const ran = await database
      .exec(
        `BEGIN;
       SELECT pg_advisory_xact_lock(${MIGRATION_LOCK});
       DO $$ BEGIN
         IF EXISTS (SELECT 1 FROM kerf_migrations WHERE id = '${escapedId}') THEN
           RAISE EXCEPTION 'kerf_migration_already_applied';
         END IF;
       END $$;
       ${m.script}
       ;INSERT INTO kerf_migrations (id) VALUES ('${escapedId}');
       COMMIT;`,
      )
      .then(
        () => true,
        (err: unknown) => {
          // Another replica applied it while we waited for the lock.
          if (err instanceof Error && err.message.includes('kerf_migration_already_applied')) return false;
          throw new Error(`migration ${m.id} failed: ${err instanceof Error ? err.message : String(err)}`);
        },
      );
    if (ran) applied.push(m.id);
  }
  return applied;
}

/** True when every migration on disk is recorded as applied (readiness check). */
export async function migrationsApplied(database: Database, migrations = listMigrations()): Promise<boolean> {
  const rows = await database.query<{ id: string }>('SELECT id FROM kerf_migrations');
  const have = new Set(rows.map((r) => r.id));
  return migrations.every((m) => have.has(m.id));
}
