import { AppError } from '../platform/errors.js';
import type { CsvIssues } from './csv-issues.js';
import type { FieldProblem } from './schema-issues.js';

/**
 * Remembers which CSV line each field of an API input came from, so a problem reported
 * against a JSON path (by the schema or by a service, e.g. "routings[2].dependsOn") can be
 * pointed back at the row and column the planner has to fix.
 */
export class SourceMap {
  private readonly lines = new Map<string, number>();

  constructor(
    /** the line problems without a more precise place are reported on */
    readonly firstLine: number,
    /** the CSV column of a JSON path, e.g. "routings[2].quantity" -> "step_quantity" */
    private readonly columnOf: (path: string) => string,
  ) {}

  /** Records where a field (or, without a field, an array item) came from; the first wins. */
  set(path: string, line: number): void {
    if (!this.lines.has(path)) this.lines.set(path, line);
  }

  locate(path: string | undefined): { row: number; column: string } {
    if (!path) return { row: this.firstLine, column: this.columnOf('') };
    const item = /^(\w+\[\d+\])/.exec(path)?.[1];
    const row = this.lines.get(path) ?? (item ? this.lines.get(item) : undefined) ?? this.firstLine;
    return { row, column: this.columnOf(path) };
  }

  /**
   * A cell that could not be read is absent from the input, and the schema then calls it
   * missing; the cell's own problem already says what is wrong with it.
   */
  addProblems(problems: FieldProblem[], issues: CsvIssues): void {
    for (const p of problems) {
      const { row, column } = this.locate(p.path);
      if (!issues.hasCell(row, column)) issues.add(row, column, p.message);
    }
  }

  /** A service's validation error, with the "field: " prefix dropped since the column says it. */
  addError(err: AppError, issues: CsvIssues): void {
    const { row, column } = this.locate(err.field);
    const prefix = err.field ? `${err.field}: ` : '';
    issues.add(row, column, err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message);
  }
}

/** Errors a service reports about the input; anything else is a fault and aborts the import. */
export const isInputError = (err: unknown): err is AppError =>
  err instanceof AppError && ['validation', 'conflict', 'forbidden', 'not_found'].includes(err.kind);
