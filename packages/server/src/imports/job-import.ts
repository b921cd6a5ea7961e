import type { Actor } from '../auth/actor.js';
import { createJob } from '../jobs/job-service.js';
import type { Db } from '../platform/db.js';
import { CsvIssues } from './csv-issues.js';
import { readCsvTable } from './csv-table.js';
import {
  auditImport,
  inImportTransaction,
  summarize,
  type ImportItem,
  type ImportOptions,
  type ImportResult,
} from './import-run.js';
import { JOB_COLUMNS } from './job-csv-columns.js';
import { resolveJobReferences } from './job-references.js';
import { readJobDrafts } from './job-rows.js';
import { isInputError } from './source-map.js';

/**
 * Creates jobs with parts and routings from CSV, each through createJob (the same rules
 * and audit as POST /api/v1/jobs), all in one transaction. Every problem of every row is
 * collected; any problem rejects the whole file.
 */
export async function importJobs(
  db: Db,
  actor: Actor,
  csv: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const issues = new CsvIssues();
  const table = readCsvTable(csv, JOB_COLUMNS, issues);
  const drafts = readJobDrafts(table.rows, issues);

  return inImportTransaction(db, options, async (tx) => {
    await resolveJobReferences(tx, drafts, issues);
    const results: ImportItem[] = [];
    for (const draft of drafts) {
      // A job with a known-bad row is not attempted: the import fails anyway, and its
      // half-read steps would only add follow-up errors.
      if (!draft.input || draft.lines.some((line) => issues.hasRow(line))) continue;
      try {
        // createJob opens a nested transaction, i.e. a savepoint: a failed job is rolled
        // back alone and the remaining jobs are still checked.
        await createJob(tx, actor, draft.input);
        results.push({ key: draft.jobNumber, row: draft.firstLine, action: 'created' });
      } catch (err) {
        if (!isInputError(err)) throw err;
        draft.source.addError(err, issues);
      }
    }
    if (!issues.empty) throw issues.toError();
    const result = summarize(table.rows.length, results, options.dryRun === true);
    await auditImport(tx, actor, 'jobs', csv, result);
    return result;
  });
}
