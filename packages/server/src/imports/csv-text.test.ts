import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.js';
import { readDueDate, readInt, readNumber, readSequenceList, type Cell } from './cells.js';
import { CsvIssues } from './csv-issues.js';
import { detectDelimiter, readCsvRecords } from './csv-text.js';

const errorOf = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
};

describe('reading CSV records', () => {
  it('numbers records by the line they start on, across quoted newlines and blank lines', () => {
    const records = readCsvRecords('\uFEFFa,b\r\n1,"two\r\nlines"\r\n\r\n3,4\r\n5,"6"');
    expect(records.map((r) => [r.line, r.cells])).toEqual([
      [1, ['a', 'b']],
      [2, ['1', 'two\nlines']],
      [5, ['3', '4']],
      [6, ['5', '6']],
    ]);
  });

  it('keeps a quote inside an unquoted cell (12" bracket)', () => {
    expect(readCsvRecords('a,b\n1,12" bracket\n')[1]!.cells).toEqual(['1', '12" bracket']);
  });

  it('picks the delimiter the header uses', () => {
    expect(detectDelimiter('a;b;"c,d"')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('single')).toBe(',');
    expect(readCsvRecords('a;b\n1;"2;3"\n')[1]!.cells).toEqual(['1', '2;3']);
  });

  it('reports an unclosed quote on the row where it opens', () => {
    const err = errorOf(() => readCsvRecords('a,b\n1,2\n\n3,"never closed\n4,5\n'));
    expect(err.code).toBe('invalid_csv');
    expect(err.details).toMatchObject({ errors: [{ row: 4, column: null }] });
  });

  it('rejects an empty file', () => {
    expect(errorOf(() => readCsvRecords(' \n\n')).message).toMatch(/empty/);
  });
});

describe('reading cells', () => {
  const cell = (value: string): Cell => ({ line: 7, column: 'c', value });

  it('reads numbers strictly and says why not', () => {
    const issues = new CsvIssues();
    expect(readInt(cell('12'), issues)).toBe(12);
    expect(readInt(cell(''), issues)).toBeUndefined();
    expect(readNumber(cell('.5'), issues)).toBe(0.5);
    expect(readNumber(cell('0,85'), issues)).toBeUndefined();
    expect(readInt(cell('1.5'), issues)).toBeUndefined();
    expect(readInt(cell('99999999999'), issues)).toBeUndefined();
    expect(issues.sorted().map((i) => i.message)).toEqual([
      '"0,85" is not a number (use a dot as the decimal separator)',
      '"1.5" is not a whole number',
      '99999999999 is too large (at most 2147483647)',
    ]);
  });

  it('reads due dates: a bare date is the end of that day, UTC unless a zone is given', () => {
    const issues = new CsvIssues();
    expect(readDueDate(cell('2025-07-01'), issues)).toBe('2025-07-01T23:59:59.000Z');
    expect(readDueDate(cell('2025-07-01 14:30'), issues)).toBe('2025-07-01T14:30:00.000Z');
    expect(readDueDate(cell('2025-07-01T14:30:00+02:00'), issues)).toBe('2025-07-01T12:30:00.000Z');
    expect(readDueDate(cell('2025-02-29'), issues)).toBeUndefined();
    expect(readDueDate(cell('7/1/2025'), issues)).toBeUndefined();
    expect(issues.rowCount).toBe(1);
    expect(issues.sorted()).toHaveLength(2);
  });

  it('reads depends_on: a list, "-" for none, empty for the previous step', () => {
    const issues = new CsvIssues();
    expect(readSequenceList(cell('10;20'), issues)).toEqual([10, 20]);
    expect(readSequenceList(cell('10, 20'), issues)).toEqual([10, 20]);
    expect(readSequenceList(cell('-'), issues)).toEqual([]);
    expect(readSequenceList(cell(''), issues)).toBeUndefined();
    expect(readSequenceList(cell('10;x'), issues)).toBeUndefined();
    expect(issues.sorted()).toEqual([
      { row: 7, column: 'c', message: expect.stringMatching(/not a list of step sequences/) },
    ]);
  });
});
