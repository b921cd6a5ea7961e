/**
 * Shared line tokenizer for the classic benchmark readers (OR-Library JSSP, Brandimarte FJSP).
 * Both layouts are whitespace-separated integers; we keep the 1-based source line of every
 * token so errors can point at the offending line.
 */

export interface NumberLine {
  /** 1-based line number in the source text */
  line: number;
  values: number[];
}

/** Splits text into non-blank, non-comment lines of integers; throws with the line number on bad tokens. */
export function integerLines(text: string, format: string): NumberLine[] {
  const out: NumberLine[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const values: number[] = [];
    for (const token of raw.split(/\s+/)) {
      if (!/^-?\d+$/.test(token)) {
        throw new Error(`${format}: line ${i + 1}: expected an integer, found "${token}"`);
      }
      values.push(Number(token));
    }
    out.push({ line: i + 1, values });
  }
  if (out.length === 0) throw new Error(`${format}: empty input`);
  return out;
}
