import pg from 'pg';

const PG_ADMIN_URL = process.env.KERF_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A new, empty PostgreSQL database for one benchmark (dropped first if a run left it), or
 * undefined with a line on stderr when no PostgreSQL answers: the benchmark then measures
 * PGlite only.
 */
export async function freshPostgresDatabase(name: string): Promise<string | undefined> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    return url.toString();
  } catch (err) {
    process.stderr.write(`bench: PostgreSQL unavailable (${(err as Error).message}); only PGlite is measured\n`);
    return undefined;
  } finally {
    await admin.end().catch(() => undefined);
  }
}
