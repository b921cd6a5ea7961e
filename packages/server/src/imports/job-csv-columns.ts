import type { ColumnSet } from './csv-header.js';

/**
 * The jobs CSV: one row per routing step. Job columns and part columns may be repeated
 * or left empty on the rows after a job's first (see docs/csv-import.md).
 * Each map is CSV column -> field of the JSON API (POST /api/v1/jobs).
 */
export const JOB_FIELDS = {
  job_number: 'jobNumber',
  customer_code: 'customerId',
  product: 'product',
  job_quantity: 'quantity',
  due_date: 'dueDate',
  priority: 'priority',
  status: 'status',
  job_notes: 'notes',
} as const;

export const PART_FIELDS = {
  part_number: 'partNumber',
  revision: 'revision',
  part_quantity: 'quantity',
  material_code: 'materialCode',
  thickness: 'thickness',
  dxf_path: 'dxfPath',
  grain_direction: 'grainDirection',
} as const;

export const STEP_FIELDS = {
  sequence: 'sequence',
  operation_code: 'operationCode',
  work_center_type: 'workCenterType',
  preferred_work_center_id: 'preferredWorkCenterId',
  setup_minutes: 'setupMinutes',
  run_minutes_per_unit: 'runMinutesPerUnit',
  step_quantity: 'quantity',
  setup_category: 'setupCategory',
  depends_on: 'dependsOn',
  notes: 'notes',
} as const;

export type JobColumn = keyof typeof JOB_FIELDS;
export type PartColumn = keyof typeof PART_FIELDS;
export type StepColumn = keyof typeof STEP_FIELDS;

const REQUIRED = [
  'job_number',
  'product',
  'job_quantity',
  'due_date',
  'sequence',
  'operation_code',
  'work_center_type',
  'run_minutes_per_unit',
];

/** Required columns must be in the header (their cells may still be empty on continuation rows). */
export const JOB_COLUMNS: ColumnSet = {
  required: REQUIRED,
  optional: [...Object.keys(JOB_FIELDS), ...Object.keys(PART_FIELDS), ...Object.keys(STEP_FIELDS)].filter(
    (c) => !REQUIRED.includes(c),
  ),
};

export const PART_COLUMNS = Object.keys(PART_FIELDS) as PartColumn[];
export const STEP_COLUMNS = Object.keys(STEP_FIELDS) as StepColumn[];

const reverse = (fields: Record<string, string>): Map<string, string> =>
  new Map(Object.entries(fields).map(([c, f]) => [f, c]));
const JOB_COLUMN_OF = reverse(JOB_FIELDS);
const PART_COLUMN_OF = reverse(PART_FIELDS);
// The service speaks of a step's resolved "dependencies" too; both come from depends_on.
const STEP_COLUMN_OF = new Map([...reverse(STEP_FIELDS), ['dependencies', 'depends_on']]);

/** The CSV column a JSON path of a job input came from, e.g. "routings[2].dependsOn" -> "depends_on". */
export function jobColumnOf(path: string): string {
  const item = /^(routings|parts)\[\d+\](?:\.(\w+))?/.exec(path);
  if (item?.[1] === 'routings') return STEP_COLUMN_OF.get(item[2] ?? '') ?? 'sequence';
  if (item?.[1] === 'parts') return PART_COLUMN_OF.get(item[2] ?? '') ?? 'part_number';
  if (path === 'routings') return 'sequence';
  if (path === 'parts') return 'part_number';
  return JOB_COLUMN_OF.get(path) ?? 'job_number';
}
