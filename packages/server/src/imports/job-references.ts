import { customerIdsByCode, existingJobNumbers, workCenterTypes } from '../jobs/queries.js';
import type { Db } from '../platform/db.js';
import type { CsvIssues } from './csv-issues.js';
import type { JobDraft } from './job-rows.js';

/**
 * Checks what refers to the database, for every row at once: createJob checks work center
 * types too, but stops at the first bad step of a job, and a planner fixing a file wants
 * them all. Also fills in customerId from customer_code.
 */
export async function resolveJobReferences(tx: Db, drafts: JobDraft[], issues: CsvIssues): Promise<void> {
  await resolveCustomers(tx, drafts, issues);
  await checkJobNumbersAreNew(tx, drafts, issues);
  await checkWorkCenters(tx, drafts, issues);
}

/**
 * Unknown codes are errors rather than new customers: a typo would otherwise create a
 * second customer nobody notices, with no name or contact.
 */
async function resolveCustomers(tx: Db, drafts: JobDraft[], issues: CsvIssues): Promise<void> {
  const codes = [...new Set(drafts.map((d) => d.customerCode?.value).filter((c): c is string => !!c))];
  if (codes.length === 0) return;
  const idOf = await customerIdsByCode(tx, codes);
  for (const d of drafts) {
    const cell = d.customerCode;
    if (!cell) continue;
    const id = idOf.get(cell.value);
    if (id === undefined)
      issues.add(cell.line, cell.column, `customer "${cell.value}" does not exist; create it first`);
    else if (d.input) d.input.customerId = id;
  }
}

/** The import only creates jobs: replacing a job's routing would drop its scheduled slots. */
async function checkJobNumbersAreNew(tx: Db, drafts: JobDraft[], issues: CsvIssues): Promise<void> {
  const numbers = drafts.map((d) => d.jobNumber);
  if (numbers.length === 0) return;
  const taken = await existingJobNumbers(tx, numbers);
  for (const d of drafts) {
    if (taken.has(d.jobNumber)) {
      issues.add(d.firstLine, 'job_number', `job ${d.jobNumber} already exists; the import only creates new jobs`);
    }
  }
}

async function checkWorkCenters(tx: Db, drafts: JobDraft[], issues: CsvIssues): Promise<void> {
  const steps = drafts.flatMap((d) => d.steps);
  const preferred = [...new Set(steps.map((s) => s.preferredWorkCenterId).filter((id) => id !== ''))];
  const { byId, types } = await workCenterTypes(tx, preferred);
  for (const { line, workCenterType, preferredWorkCenterId: wanted } of steps) {
    if (workCenterType !== '' && !types.has(workCenterType)) {
      issues.add(line, 'work_center_type', `no work center has type "${workCenterType}"`);
    }
    if (wanted === '') continue;
    const type = byId.get(wanted);
    if (type === undefined) issues.add(line, 'preferred_work_center_id', `work center ${wanted} does not exist`);
    else if (workCenterType !== '' && type !== workCenterType) {
      issues.add(line, 'preferred_work_center_id', `work center ${wanted} is a ${type}, not a ${workCenterType}`);
    }
  }
}
