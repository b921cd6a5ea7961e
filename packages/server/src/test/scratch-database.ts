import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TEST_DATABASE_URL } from './harness.js';

/** Runs one statement on the test server's maintenance connection (CREATE/DROP DATABASE). */
async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A whole PostgreSQL database of its own on the test server, for a test whose code under test
 * opens the database itself (a CLI, a child `main.js`) from DATABASE_URL, where a schema per test
 * file cannot be handed over. `drop` removes it, closing what is still connected.
 */
export async function scratchPostgresDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
