import { createHash, randomUUID } from 'node:crypto';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../auth/audit.js';
import type { Db } from '../platform/db.js';

export interface ImportOptions {
  /** validate everything, including the database rules, then roll back */
  dryRun?: boolean;
}

export interface ImportItem {
  /** work center id or job number */
  key: string;
  /** first line of the file the item was read from */
  row: number;
  action: 'created' | 'updated';
}

export interface ImportResult {
  dryRun: boolean;
  /** data rows read (the header and blank rows not counted) */
  rows: number;
  imported: { created: number; updated: number };
  results: ImportItem[];
}

// Thrown to leave the transaction of a dry run the one way drizzle rolls back: by an error.
const DRY_RUN_ROLLBACK = new Error('dry run: roll back');

/**
 * Runs a whole import in one transaction. A dry run does every write, so the database's
 * and the services' rules are checked exactly as for a real import, and then rolls back.
 */
export async function inImportTransaction(
  db: Db,
  options: ImportOptions,
  work: (tx: Db) => Promise<ImportResult>,
): Promise<ImportResult> {
  let result: ImportResult | undefined;
  try {
    await db.transaction(async (tx) => {
      result = await work(tx);
      if (options.dryRun) throw DRY_RUN_ROLLBACK;
    });
  } catch (err) {
    if (err !== DRY_RUN_ROLLBACK) throw err;
  }
  if (!result) throw new Error('import finished without a result');
  return result;
}

export function summarize(rows: number, results: ImportItem[], dryRun: boolean): ImportResult {
  const created = results.filter((r) => r.action === 'created').length;
  return { dryRun, rows, imported: { created, updated: results.length - created }, results };
}

/** One audit row for the file as a whole, next to the per-entity rows the services write. */
export async function auditImport(
  tx: Db,
  actor: Actor,
  kind: 'work_centers' | 'jobs',
  csv: string,
  result: ImportResult,
): Promise<void> {
  await recordAudit(tx, actor, 'import', 'csv_import', randomUUID(), null, {
    kind,
    sha256: createHash('sha256').update(csv).digest('hex'),
    bytes: Buffer.byteLength(csv),
    rows: result.rows,
    created: result.imported.created,
    updated: result.imported.updated,
    keys: result.results.map((r) => r.key),
  });
}
