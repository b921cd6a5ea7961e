import { AppError } from '../platform/errors.js';

/** One problem in an uploaded CSV, located the way a planner finds it in a spreadsheet. */
export interface CsvIssue {
  /** 1-based line number in the file; the header is line 1 */
  row: number;
  /** the column's header name; null when the row as a whole is wrong (e.g. extra cells) */
  column: string | null;
  message: string;
}

/**
 * A file of 20 000 bad rows should not produce a 5 MB error body; past this many the list
 * stops growing while the count of bad rows stays exact.
 */
export const MAX_REPORTED_ISSUES = 1000;

/** Collects every problem of one import so the planner can fix the whole file in one go. */
export class CsvIssues {
  private readonly list: CsvIssue[] = [];
  private readonly keys = new Set<string>();
  private readonly badRows = new Set<number>();
  private readonly badCells = new Set<string>();
  private dropped = 0;
  private columnOrder = new Map<string, number>();

  /** Problems of one row are listed left to right, as the planner reads the row. */
  setColumnOrder(header: readonly string[]): void {
    this.columnOrder = new Map(header.map((c, i) => [c, i]));
  }

  add(row: number, column: string | null, message: string): void {
    const key = `${row}\u0000${column ?? ''}\u0000${message}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.badRows.add(row);
    this.badCells.add(`${row}\u0000${column ?? ''}`);
    if (this.list.length < MAX_REPORTED_ISSUES) this.list.push({ row, column, message });
    else this.dropped++;
  }

  hasRow(row: number): boolean {
    return this.badRows.has(row);
  }

  hasCell(row: number, column: string | null): boolean {
    return this.badCells.has(`${row}\u0000${column ?? ''}`);
  }

  /** number of distinct rows with at least one problem */
  get rowCount(): number {
    return this.badRows.size;
  }

  get empty(): boolean {
    return this.badRows.size === 0;
  }

  /** by row, then by column as they stand in the file (whole-row problems last) */
  sorted(): CsvIssue[] {
    const at = (c: string | null) =>
      c === null ? Number.MAX_SAFE_INTEGER : (this.columnOrder.get(c) ?? Number.MAX_SAFE_INTEGER - 1);
    return [...this.list].sort((a, b) => a.row - b.row || at(a.column) - at(b.column));
  }

  /** The 400 that says what to fix and that nothing was written. */
  toError(): AppError {
    const n = this.rowCount;
    const issues = this.sorted();
    const message =
      n === 1 && issues[0]?.row === 1
        ? `the header row has errors (${issues.map((i) => i.message).join('; ')}); nothing was imported`
        : `${n} ${n === 1 ? 'row has' : 'rows have'} errors; nothing was imported`;
    return new AppError('validation', 'invalid_csv', message, undefined, {
      errors: issues,
      rowsWithErrors: n,
      truncated: this.dropped > 0,
    });
  }
}
