import { textProblem } from '../platform/http/input-guard.js';
import { checkHeader, normalizeHeader, type ColumnSet } from './csv-header.js';
import type { CsvIssues } from './csv-issues.js';
import { MAX_DATA_ROWS, readCsvRecords } from './csv-text.js';

/** One data row: trimmed cells by header name. */
export interface CsvRow {
  /** 1-based line in the file (the header is line 1) */
  line: number;
  /** trimmed cell text; '' when empty or when the column is not in the file */
  cell(column: string): string;
  /** the cells do not line up with the header; its values must not be trusted */
  misaligned: boolean;
}

export interface CsvTable {
  /** the columns the file has */
  columns: ReadonlySet<string>;
  rows: CsvRow[];
}

/**
 * Reads the file into rows keyed by column, checking the header against the column set.
 * Header problems throw at once (no row can be read without a header); a row whose cell
 * count does not match is recorded in `issues` and flagged misaligned.
 */
export function readCsvTable(text: string, spec: ColumnSet, issues: CsvIssues): CsvTable {
  const records = readCsvRecords(text);
  const [head, ...body] = records;
  if (!head) throw new Error('readCsvRecords returned no header record'); // it throws on an empty file
  const header = head.cells.map(normalizeHeader);
  issues.setColumnOrder(header);
  checkHeader(head.line, header, spec, issues);
  if (!issues.empty) throw issues.toError();

  const data = body.filter((r) => r.cells.some((c) => c.trim() !== '')); // ",,,," rows from spreadsheets
  if (data.length === 0) {
    issues.add(head.line, null, 'the file has a header but no data rows');
    throw issues.toError();
  }
  if (data.length > MAX_DATA_ROWS) {
    issues.add(data[MAX_DATA_ROWS]!.line, null, `at most ${MAX_DATA_ROWS} data rows per file; split the file`);
    throw issues.toError();
  }
  const index = new Map(header.map((name, i) => [name, i]));
  const rows = data.map((record): CsvRow => {
    const misaligned = checkCellCount(record.line, record.cells, header, issues) || hasBadText(record, header, issues);
    return {
      line: record.line,
      misaligned,
      cell: (column) => {
        const i = index.get(column);
        return i === undefined ? '' : (record.cells[i] ?? '').trim();
      },
    };
  });
  return { columns: new Set(header), rows };
}

/**
 * A cell with a NUL (or another character no text column can hold) is reported with its row
 * and column; the row is then not used, so the value never reaches the database.
 */
function hasBadText(record: { line: number; cells: string[] }, header: string[], issues: CsvIssues): boolean {
  let bad = false;
  record.cells.forEach((cell, i) => {
    const problem = textProblem(cell);
    if (problem) {
      issues.add(record.line, header[i] ?? null, problem);
      bad = true;
    }
  });
  return bad;
}

/** Returns true when the row's cells cannot be matched to the header. */
function checkCellCount(line: number, cells: string[], header: string[], issues: CsvIssues): boolean {
  if (cells.length < header.length) {
    issues.add(
      line,
      header[cells.length] ?? null,
      `the row has ${cells.length} cells but the header has ${header.length} columns (a delimiter missing, or a stray quote?)`,
    );
    return true;
  }
  // Trailing empty cells are what spreadsheets write for blank columns right of the table.
  if (cells.slice(header.length).some((c) => c.trim() !== '')) {
    issues.add(
      line,
      null,
      `the row has ${cells.length} cells but the header has ${header.length} columns (a delimiter too many?)`,
    );
    return true;
  }
  return false;
}
