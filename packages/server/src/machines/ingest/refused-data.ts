interface SqlStateError {
  code: string;
  message?: string;
}

function sqlState(err: unknown): SqlStateError | undefined {
  // drizzle wraps the driver's error; PGlite and pg both put the SQLSTATE on it as `code`.
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const candidate = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate as SqlStateError;
    e = candidate.cause;
  }
  return undefined;
}

/**
 * True when the database refused the rows themselves (SQLSTATE class 22 data exception, 23
 * integrity constraint): the same rows fail again on every retry, so the batch is split to find
 * them. Everything else (connection lost, shutdown, serialization, no SQLSTATE) may pass on a
 * retry and is retried whole.
 */
export function isRefusedData(err: unknown): boolean {
  const code = sqlState(err)?.code;
  return code !== undefined && (code.startsWith('22') || code.startsWith('23'));
}

/** The database's own words for a refused row, without the SQL text drizzle prepends. */
export function refusalMessage(err: unknown): string {
  const pg = sqlState(err);
  if (pg?.message) return `${pg.message} (SQLSTATE ${pg.code})`;
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}
