import { JobCreate, JOB_STATUSES, type JobInputT } from '../jobs/schemas.js';
import {
  cellOf,
  readChoice,
  readDueDate,
  readInt,
  readNumber,
  readSequenceList,
  readText,
  type Cell,
} from './cells.js';
import type { CsvIssues } from './csv-issues.js';
import type { CsvRow } from './csv-table.js';
import {
  JOB_FIELDS,
  jobColumnOf,
  PART_COLUMNS,
  STEP_COLUMNS,
  type JobColumn,
  type PartColumn,
} from './job-csv-columns.js';
import { schemaProblems, type FieldProblem } from './schema-issues.js';
import { SourceMap } from './source-map.js';

/** One job read from its rows. */
export interface JobDraft {
  jobNumber: string;
  firstLine: number;
  lines: number[];
  customerCode?: Cell;
  /** the work-center references of every step row, read even when other cells are bad */
  steps: StepRef[];
  /** set when the rows passed the API's schema; customerId is filled in from customer_code later */
  input?: JobInputT;
  source: SourceMap;
}

export interface StepRef {
  line: number;
  workCenterType: string;
  preferredWorkCenterId: string;
}

type Fields = Record<string, unknown>;

const PRIORITY_NAMES = { rush: '1', high: '2', normal: '3', low: '4' } as const;

// Upper limits of the numeric(p,s) columns of migration 0001, which the API schemas leave open.
const MAX_MINUTES_SETUP = 999_999;
const MAX_MINUTES_RUN = 9_999;
const MAX_THICKNESS = 9_999;
// job_routings.total_minutes, numeric(12,2), is setup + run x quantity computed by the database.
const MAX_STEP_TOTAL_MINUTES = 9_999_999_999;

/** Groups rows by job number (an empty job_number continues the job above) and reads each job. */
export function readJobDrafts(rows: CsvRow[], issues: CsvIssues): JobDraft[] {
  const groups = new Map<string, CsvRow[]>();
  let current: string | undefined;
  for (const row of rows) {
    const number = row.cell('job_number');
    if (number !== '') current = number;
    if (current === undefined) {
      issues.add(
        row.line,
        'job_number',
        "is required on the first row (only the rows after a job's first may leave it empty)",
      );
      continue;
    }
    const group = groups.get(current) ?? [];
    group.push(row);
    groups.set(current, group);
  }
  return [...groups].map(([jobNumber, group]) => readJob(jobNumber, group, issues));
}

/**
 * The value of a job- or part-level column over several rows: the first non-empty cell,
 * with any other, different non-empty cell reported (repeat the value or leave it empty).
 */
function pick(rows: CsvRow[], column: string, issues: CsvIssues): Cell | undefined {
  let first: Cell | undefined;
  for (const row of rows) {
    const cell = cellOf(row, column);
    if (cell.value === '') continue;
    if (!first) first = cell;
    else if (cell.value !== first.value) {
      issues.add(
        row.line,
        column,
        `"${cell.value}" differs from "${first.value}" on row ${first.line}; repeat the same value or leave the cell empty`,
      );
    }
  }
  return first;
}

/** Drops undefined fields so the schema sees an absent field, as in a JSON request. */
function compact(value: Fields): Fields {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

function readJob(jobNumber: string, rows: CsvRow[], issues: CsvIssues): JobDraft {
  const firstLine = rows[0]!.line;
  const source = new SourceMap(firstLine, jobColumnOf);
  const usable = rows.filter((r) => !r.misaligned);
  const job = (column: JobColumn): Cell | undefined => {
    const cell = pick(usable, column, issues);
    if (cell) source.set(JOB_FIELDS[column], cell.line);
    return cell;
  };
  const priority = readChoice(job('priority'), issues, ['1', '2', '3', '4'], PRIORITY_NAMES);
  const customerCode = job('customer_code');
  const fields = compact({
    jobNumber,
    product: readText(job('product')),
    quantity: readInt(job('job_quantity'), issues),
    dueDate: readDueDate(job('due_date'), issues),
    priority: priority === undefined ? undefined : Number(priority),
    status: readChoice(job('status'), issues, JOB_STATUSES),
    notes: readText(job('job_notes')),
    parts: readParts(usable, source, issues),
    routings: readSteps(usable, source, issues),
  });
  const steps = usable.filter(isStepRow).map((r) => ({
    line: r.line,
    workCenterType: r.cell('work_center_type'),
    preferredWorkCenterId: r.cell('preferred_work_center_id'),
  }));
  const draft: JobDraft = { jobNumber, firstLine, lines: rows.map((r) => r.line), steps, source };
  if (customerCode) draft.customerCode = customerCode;
  // With a misaligned row the job is incomplete, and "is required" would only add noise.
  if (usable.length < rows.length) return draft;
  const problems = [...schemaProblems(JobCreate, fields), ...stepTotalProblems(fields)];
  source.addProblems(problems, issues);
  // The schema JobInputT describes has just accepted these fields.
  if (problems.length === 0 && !draft.lines.some((l) => issues.hasRow(l))) draft.input = fields as JobInputT;
  return draft;
}

/** A step so long that the database could not store its total (a typo in a quantity, usually). */
function stepTotalProblems(job: Fields): FieldProblem[] {
  const routings = Array.isArray(job.routings) ? (job.routings as Fields[]) : [];
  return routings.flatMap((step, i) => {
    const quantity = Number(step.quantity ?? job.quantity);
    const total = Number(step.setupMinutes ?? 0) + Number(step.runMinutesPerUnit) * quantity;
    return total > MAX_STEP_TOTAL_MINUTES
      ? [
          {
            path: `routings[${i}].runMinutesPerUnit`,
            message: `setup + run x quantity is ${total} minutes, more than a step can take (${MAX_STEP_TOTAL_MINUTES})`,
          },
        ]
      : [];
  });
}

/** Parts are per job: a row names one (or none); the same part_number + revision on several rows is one part. */
function readParts(rows: CsvRow[], source: SourceMap, issues: CsvIssues): Fields[] {
  const byKey = new Map<string, CsvRow[]>();
  for (const row of rows) {
    const number = row.cell('part_number');
    if (number === '') {
      const stray = PART_COLUMNS.find((c) => c !== 'part_number' && row.cell(c) !== '');
      if (stray) issues.add(row.line, 'part_number', `is required when ${stray} is filled`);
      continue;
    }
    const key = `${number}\u0000${row.cell('revision') || 'A'}`;
    const partRows = byKey.get(key) ?? [];
    partRows.push(row);
    byKey.set(key, partRows);
  }
  return [...byKey.values()].map((partRows, i) => {
    source.set(`parts[${i}]`, partRows[0]!.line);
    const part = (column: PartColumn, field: string): Cell | undefined => {
      const cell = pick(partRows, column, issues);
      if (cell) source.set(`parts[${i}].${field}`, cell.line);
      return cell;
    };
    return compact({
      partNumber: readText(part('part_number', 'partNumber')),
      revision: readText(part('revision', 'revision')),
      quantity: readInt(part('part_quantity', 'quantity'), issues),
      materialCode: readText(part('material_code', 'materialCode')),
      thickness: readNumber(part('thickness', 'thickness'), issues, MAX_THICKNESS),
      dxfPath: readText(part('dxf_path', 'dxfPath')),
      grainDirection: readChoice(part('grain_direction', 'grainDirection'), issues, ['X', 'Y', 'NONE'] as const),
    });
  });
}

/** Every row with any step column filled is one routing step, in file order. */
const isStepRow = (row: CsvRow): boolean => STEP_COLUMNS.some((c) => row.cell(c) !== '');

function readSteps(rows: CsvRow[], source: SourceMap, issues: CsvIssues): Fields[] {
  return rows.filter(isStepRow).map((row, i) => {
    source.set(`routings[${i}]`, row.line);
    const cell = (column: string) => cellOf(row, column);
    return compact({
      sequence: readInt(cell('sequence'), issues),
      operationCode: readText(cell('operation_code')),
      workCenterType: readText(cell('work_center_type')),
      preferredWorkCenterId: readText(cell('preferred_work_center_id')),
      setupMinutes: readNumber(cell('setup_minutes'), issues, MAX_MINUTES_SETUP),
      runMinutesPerUnit: readNumber(cell('run_minutes_per_unit'), issues, MAX_MINUTES_RUN),
      quantity: readInt(cell('step_quantity'), issues),
      setupCategory: readText(cell('setup_category')),
      dependsOn: readSequenceList(cell('depends_on'), issues),
      notes: readText(cell('notes')),
    });
  });
}
