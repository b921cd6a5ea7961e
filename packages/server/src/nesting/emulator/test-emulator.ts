import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { TEST_DATABASE_URL, TEST_DB } from '../../test/harness.js';
import { pgliteSimTransDb, pgSimTransDb } from '../simtrans-db.js';
import { SimTransEmulator, type EmulatorOptions } from './emulator.js';

/**
 * An emulator on the test database kind: its own PGlite, or a fresh schema of the test
 * PostgreSQL (KERF_TEST_DB=postgres), dropped by `drop()`.
 */
export async function testEmulator(
  options: EmulatorOptions = {},
): Promise<{ emulator: SimTransEmulator; drop: () => Promise<void> }> {
  if (TEST_DB === 'postgres') {
    const schema = `simtrans_t_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const db = pgSimTransDb(TEST_DATABASE_URL, schema);
    const emulator = await SimTransEmulator.create(db, options);
    return {
      emulator,
      drop: async () => {
        await db.close();
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      },
    };
  }
  const client = await PGlite.create();
  await client.exec("SET TIME ZONE 'UTC'");
  const db = pgliteSimTransDb(client);
  const emulator = await SimTransEmulator.create(db, options);
  return { emulator, drop: () => db.close() };
}
