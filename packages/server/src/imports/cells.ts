import type { CsvIssues } from './csv-issues.js';
import type { CsvRow } from './csv-table.js';

/**
 * Turning cell text into typed values. Each reader returns undefined for an empty cell,
 * and records an issue (and returns undefined) for text of the wrong kind. Ranges,
 * lengths and patterns are not checked here: the API's own schemas do that afterwards
 * (schema-issues.ts), so a CSV value is valid exactly when the same JSON value would be.
 */

/** A cell with where it came from. */
export interface Cell {
  line: number;
  column: string;
  value: string;
}

export const cellOf = (row: CsvRow, column: string): Cell => ({ line: row.line, column, value: row.cell(column) });

const INT = /^[+-]?\d+(\.0*)?$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function readText(cell: Cell | undefined): string | undefined {
  return cell && cell.value !== '' ? cell.value : undefined;
}

/** The largest INTEGER PostgreSQL stores; the API schemas leave quantities open above. */
const MAX_INT4 = 2_147_483_647;

export function readInt(cell: Cell | undefined, issues: CsvIssues): number | undefined {
  if (!cell || cell.value === '') return undefined;
  if (!INT.test(cell.value)) {
    issues.add(cell.line, cell.column, `"${cell.value}" is not a whole number`);
    return undefined;
  }
  const n = Number.parseInt(cell.value, 10);
  if (n > MAX_INT4) {
    issues.add(cell.line, cell.column, `${cell.value} is too large (at most ${MAX_INT4})`);
    return undefined;
  }
  return n;
}

/** `max` guards the database column's precision, which the API schemas do not state. */
export function readNumber(cell: Cell | undefined, issues: CsvIssues, max?: number): number | undefined {
  if (!cell || cell.value === '') return undefined;
  if (!NUMBER.test(cell.value)) {
    const hint = /^\d+,\d+$/.test(cell.value) ? ' (use a dot as the decimal separator)' : '';
    issues.add(cell.line, cell.column, `"${cell.value}" is not a number${hint}`);
    return undefined;
  }
  const n = Number(cell.value);
  if (max !== undefined && n > max) {
    issues.add(cell.line, cell.column, `${cell.value} is too large (at most ${max})`);
    return undefined;
  }
  return n;
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

export function readBoolean(cell: Cell | undefined, issues: CsvIssues): boolean | undefined {
  if (!cell || cell.value === '') return undefined;
  const v = cell.value.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  issues.add(cell.line, cell.column, `"${cell.value}" is not true or false (use true/false, yes/no or 1/0)`);
  return undefined;
}

/** Matches case-insensitively (spaces count as underscores) and returns the canonical value. */
export function readChoice<T extends string>(
  cell: Cell | undefined,
  issues: CsvIssues,
  values: readonly T[],
  aliases: Record<string, T> = {},
): T | undefined {
  if (!cell || cell.value === '') return undefined;
  const v = cell.value.toLowerCase().replace(/\s+/g, '_');
  const found = values.find((x) => x.toLowerCase() === v) ?? aliases[v];
  if (found === undefined) issues.add(cell.line, cell.column, `"${cell.value}" is not one of ${values.join(', ')}`);
  return found;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Rejects 2025-02-30, which Date would roll over into March. */
function isCalendarDay(ymd: string): boolean {
  const t = Date.parse(`${ymd}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === ymd;
}

/**
 * An ISO date-time for the API. A bare date means the end of that day in UTC (a job due
 * 2025-07-01 is on time if it finishes on that day); a time without a zone is UTC.
 */
export function readDueDate(cell: Cell | undefined, issues: CsvIssues): string | undefined {
  if (!cell || cell.value === '') return undefined;
  const m = DATE_TIME.exec(cell.value);
  const [, day, time, zone] = m ?? [];
  if (day !== undefined && isCalendarDay(day)) {
    const t = Date.parse(`${day}T${time ?? '23:59:59'}${zone?.toUpperCase() ?? 'Z'}`);
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  issues.add(
    cell.line,
    cell.column,
    `"${cell.value}" is not a date (use YYYY-MM-DD, or YYYY-MM-DD HH:MM with an optional zone)`,
  );
  return undefined;
}

/** "10;20" -> [10, 20]; "-" -> [] (no predecessor); empty -> undefined (the previous step). */
export function readSequenceList(cell: Cell | undefined, issues: CsvIssues): number[] | undefined {
  if (!cell || cell.value === '') return undefined;
  if (cell.value === '-') return [];
  const parts = cell.value.split(/[;,|\s]+/).filter((p) => p !== '');
  const bad = parts.filter((p) => !/^\d+$/.test(p));
  if (bad.length > 0) {
    issues.add(
      cell.line,
      cell.column,
      `"${cell.value}" is not a list of step sequences (e.g. "10;20", or "-" for none)`,
    );
    return undefined;
  }
  return parts.map((p) => Number.parseInt(p, 10));
}
