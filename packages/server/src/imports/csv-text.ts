import { CsvError, parse } from 'csv-parse/sync';
import { AppError } from '../platform/errors.js';

/** One record of the file with the line it starts on (a quoted cell may span lines). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/** Past this the import would hold one transaction for minutes; split the file instead. */
export const MAX_DATA_ROWS = 20_000;

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * Spreadsheets in many European locales save "CSV" with semicolons, and some tools export
 * tabs. The header row decides: the candidate that occurs most often outside quotes wins.
 */
export function detectDelimiter(headerLine: string): string {
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = unquoted.split(d).length - 1;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

const fatal = (row: number, message: string): AppError =>
  new AppError('validation', 'invalid_csv', `row ${row}: ${message}; nothing was imported`, undefined, {
    errors: [{ row, column: null, message }],
    rowsWithErrors: 1,
    truncated: false,
  });

/**
 * Splits the text into records. Quotes inside an unquoted cell are kept literally
 * (12" bracket is common in sheet-metal part names); only a quoted cell that is never
 * closed is fatal, since everything after it would be read as one cell.
 */
export function readCsvRecords(text: string): CsvRecord[] {
  // Excel writes a byte-order mark and CRLF; mixed endings would shift line numbers.
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = normalized.split('\n');
  const headerLine = lines.find((l) => l.trim() !== '');
  if (headerLine === undefined) throw fatal(1, 'the file is empty; the first row must name the columns');
  let lastEnd = 0;
  try {
    // With info and raw, csv-parse returns { record, info, raw } per record; its types do not say so.
    const parsed = parse(normalized, {
      delimiter: detectDelimiter(headerLine),
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      raw: true,
      on_record: (record, context) => {
        lastEnd = context.lines;
        return record;
      },
    }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
    return parsed.map(({ record, info, raw }) => {
      // info.lines is where the record ends; count back over newlines inside quoted cells.
      // raw starts with the skipped empty lines before the record, which are not part of it.
      const own = raw.replace(/^\n+/, '');
      const inner = (own.match(/\n/g)?.length ?? 0) - (own.endsWith('\n') ? 1 : 0);
      return { line: info.lines - inner, cells: record };
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      // The unclosed quote opened on the first non-empty line after the last good record.
      let start = lastEnd + 1;
      while (start <= lines.length && (lines[start - 1] ?? '').trim() === '') start++;
      throw fatal(start, 'a quoted cell starting on this row is never closed (a " is missing)');
    }
    throw fatal(typeof err.lines === 'number' && err.lines > 0 ? err.lines : lastEnd + 1, err.message);
  }
}
