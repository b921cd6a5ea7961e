import type { Actor } from '../auth/actor.js';
import type { Db } from '../platform/db.js';
import { workCenterService } from '../shop/services.js';
import { existingDepartmentIds, workCenterVersions } from '../shop/queries.js';
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
import { isInputError } from './source-map.js';
import { readWorkCenterRow, WORK_CENTER_COLUMNS, type WorkCenterDraft } from './work-center-csv.js';

/**
 * Upserts work centers from CSV: existing ids are updated, new ones created, each through
 * the same service (and audit) as the API, all in one transaction. Any problem in any
 * row rejects the whole file with every problem listed.
 */
export async function importWorkCenters(
  db: Db,
  actor: Actor,
  csv: string,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const issues = new CsvIssues();
  const table = readCsvTable(csv, WORK_CENTER_COLUMNS, issues);
  const drafts = table.rows.map((row) => readWorkCenterRow(row, table.columns, issues));
  flagRepeatedIds(drafts, issues);

  return inImportTransaction(db, options, async (tx) => {
    await checkDepartments(tx, drafts, issues);
    const versions = await currentVersions(tx, drafts);
    const results: ImportItem[] = [];
    for (const draft of drafts) {
      // Rows already known bad are not written; the import fails anyway, and their
      // half-read values would only add confusing follow-up errors.
      if (issues.hasRow(draft.line)) continue;
      try {
        const version = versions.get(draft.id);
        if (version === undefined) {
          await workCenterService.create(tx, actor, { ...draft.fields });
          results.push({ key: draft.id, row: draft.line, action: 'created' });
        } else {
          const { id: _id, ...changes } = draft.fields;
          await workCenterService.update(tx, actor, draft.id, version, changes);
          results.push({ key: draft.id, row: draft.line, action: 'updated' });
        }
      } catch (err) {
        // Each service call runs in its own savepoint, so the transaction survives a failed row.
        if (!isInputError(err)) throw err;
        draft.source.addError(err, issues);
      }
    }
    if (!issues.empty) throw issues.toError();
    const result = summarize(table.rows.length, results, options.dryRun === true);
    await auditImport(tx, actor, 'work_centers', csv, result);
    return result;
  });
}

function flagRepeatedIds(drafts: WorkCenterDraft[], issues: CsvIssues): void {
  const firstLine = new Map<string, number>();
  for (const d of drafts) {
    if (d.id === '') continue;
    const seen = firstLine.get(d.id);
    if (seen !== undefined) issues.add(d.line, 'id', `work center "${d.id}" is already on row ${seen}`);
    else firstLine.set(d.id, d.line);
  }
}

async function checkDepartments(tx: Db, drafts: WorkCenterDraft[], issues: CsvIssues): Promise<void> {
  const wanted = [...new Set(drafts.map((d) => d.fields.departmentId).filter((id): id is string => !!id))];
  if (wanted.length === 0) return;
  const known = await existingDepartmentIds(tx, wanted);
  for (const d of drafts) {
    const dep = d.fields.departmentId;
    if (dep && !known.has(dep)) issues.add(d.line, 'department_id', `department "${dep}" does not exist`);
  }
}

async function currentVersions(tx: Db, drafts: WorkCenterDraft[]): Promise<Map<string, number>> {
  const ids = [...new Set(drafts.map((d) => d.id).filter((id) => id !== ''))];
  return workCenterVersions(tx, ids);
}
