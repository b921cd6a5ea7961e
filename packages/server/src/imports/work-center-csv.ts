import { WorkCenterCreate } from '../shop/schemas.js';
import { cellOf, readBoolean, readInt, readNumber, readText } from './cells.js';
import type { CsvIssues } from './csv-issues.js';
import type { ColumnSet } from './csv-header.js';
import type { CsvRow } from './csv-table.js';
import { schemaProblems } from './schema-issues.js';
import { SourceMap } from './source-map.js';

/** CSV column -> work center field of the JSON API. */
const FIELD_OF = {
  id: 'id',
  name: 'name',
  department_id: 'departmentId',
  machine_type: 'machineType',
  capacity_minutes_per_shift: 'capacityMinutesPerShift',
  efficiency_factor: 'efficiencyFactor',
  setup_category: 'setupCategory',
  is_bottleneck: 'isBottleneck',
  is_active: 'isActive',
  iot_device_id: 'iotDeviceId',
  sigmanest_machine_id: 'sigmanestMachineId',
} as const;
type Column = keyof typeof FIELD_OF;
const COLUMN_OF = new Map<string, Column>(Object.entries(FIELD_OF).map(([c, f]) => [f, c as Column]));

export const WORK_CENTER_COLUMNS: ColumnSet = {
  required: ['id', 'name', 'department_id', 'machine_type'],
  optional: Object.keys(FIELD_OF).filter((c) => !['id', 'name', 'department_id', 'machine_type'].includes(c)),
};

export interface WorkCenterFields {
  id?: string;
  name?: string;
  departmentId?: string;
  machineType?: string;
  capacityMinutesPerShift?: number;
  efficiencyFactor?: number;
  setupCategory?: string | null;
  isBottleneck?: boolean;
  isActive?: boolean;
  iotDeviceId?: string | null;
  sigmanestMachineId?: string | null;
}

/**
 * What an empty cell means, the column defaults of migration 0001. Needed for updates: an
 * empty cell resets the value, while a column missing from the file leaves it unchanged.
 */
const DEFAULTS: WorkCenterFields = {
  capacityMinutesPerShift: 480,
  efficiencyFactor: 0.85,
  setupCategory: null,
  isBottleneck: false,
  isActive: true,
  iotDeviceId: null,
  sigmanestMachineId: null,
};

export interface WorkCenterDraft {
  line: number;
  id: string;
  fields: WorkCenterFields;
  source: SourceMap;
}

/** Reads one row; problems go to `issues` (the caller skips rows that have any). */
export function readWorkCenterRow(row: CsvRow, columns: ReadonlySet<string>, issues: CsvIssues): WorkCenterDraft {
  const source = new SourceMap(row.line, (path) => COLUMN_OF.get(path) ?? 'id');
  const draft: WorkCenterDraft = { line: row.line, id: row.cell('id'), fields: {}, source };
  if (row.misaligned) return draft;
  const cell = (c: Column) => cellOf(row, c);
  const f: WorkCenterFields = {
    id: readText(cell('id')),
    name: readText(cell('name')),
    departmentId: readText(cell('department_id')),
    machineType: readText(cell('machine_type')),
    capacityMinutesPerShift: readInt(cell('capacity_minutes_per_shift'), issues),
    efficiencyFactor: readNumber(cell('efficiency_factor'), issues),
    setupCategory: readText(cell('setup_category')),
    isBottleneck: readBoolean(cell('is_bottleneck'), issues),
    isActive: readBoolean(cell('is_active'), issues),
    iotDeviceId: readText(cell('iot_device_id')),
    sigmanestMachineId: readText(cell('sigmanest_machine_id')),
  };
  for (const [column, field] of Object.entries(FIELD_OF) as [Column, keyof WorkCenterFields][]) {
    if (!columns.has(column)) continue;
    const value = f[field] ?? DEFAULTS[field];
    if (value !== undefined) Object.assign(draft.fields, { [field]: value });
  }
  source.addProblems(schemaProblems(WorkCenterCreate, draft.fields), issues);
  return draft;
}
