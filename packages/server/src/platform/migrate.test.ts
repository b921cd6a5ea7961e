import { describe, expect, it } from 'vitest';
import { testDatabase } from '../test/harness.js';
import { listMigrations, migrate, migrationsApplied } from './migrate.js';

describe('migrations', () => {
  it('are recorded, idempotent, and a failing one leaves nothing behind', async () => {
    const database = await testDatabase();
    try {
      expect(await migrationsApplied(database)).toBe(true);
      expect(await migrate(database)).toEqual([]);
      const broken = [
        ...listMigrations(),
        { id: '9999_broken', script: 'CREATE TABLE half_done (id int); SELECT no_such_function();' },
      ];
      await expect(migrate(database, broken)).rejects.toThrow(/9999_broken/);
      const leftovers = await database.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'half_done'",
      );
      expect(leftovers[0]!.n).toBe(0);
      expect(await migrationsApplied(database, broken)).toBe(false);
      const ids = await database.query<{ id: string }>('SELECT id FROM kerf_migrations ORDER BY id');
      expect(ids.map((r) => r.id)).toEqual(listMigrations().map((m) => m.id));
    } finally {
      await database.drop();
    }
  });

  it('runs the generated total_minutes column on both databases', async () => {
    const database = await testDatabase();
    try {
      await database.exec(`
        INSERT INTO jobs (id, job_number, product, quantity, due_date) VALUES ('11111111-1111-4111-8111-111111111111', 'J-9', 'Sink', 3, now());
        INSERT INTO job_routings (job_id, sequence, operation_code, work_center_type, setup_minutes, run_minutes_per_unit, quantity)
        VALUES ('11111111-1111-4111-8111-111111111111', 1, 'CUT', 'laser', 12.5, 2.25, 3);`);
      const rows = await database.query<{ total_minutes: string }>('SELECT total_minutes FROM job_routings');
      expect(Number(rows[0]!.total_minutes)).toBe(19.25);
    } finally {
      await database.drop();
    }
  });
});
