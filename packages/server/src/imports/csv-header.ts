import type { CsvIssues } from './csv-issues.js';

/** The columns a CSV kind accepts, by their documented header names. */
export interface ColumnSet {
  required: readonly string[];
  optional: readonly string[];
}

/** "Job Number", "job-number" and "JOB_NUMBER" all mean job_number. */
export const normalizeHeader = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** Records unnamed, unknown, repeated and missing columns, suggesting what an unknown one may mean. */
export function checkHeader(line: number, header: string[], spec: ColumnSet, issues: CsvIssues): void {
  const known = new Set([...spec.required, ...spec.optional]);
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') {
      issues.add(line, null, `column ${i + 1} has no name`);
    } else if (!known.has(name)) {
      const guess = closest(name, known);
      issues.add(line, name, `unknown column "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
    } else if (seen.has(name)) {
      issues.add(line, name, `column "${name}" appears twice`);
    }
    seen.add(name);
  });
  for (const name of spec.required) {
    if (!seen.has(name)) issues.add(line, name, `required column "${name}" is missing`);
  }
}

/** A known column the planner probably meant: containing the name, abbreviated by it ("qty"), or a near typo. */
function closest(name: string, known: ReadonlySet<string>): string | undefined {
  const candidates = [...known];
  return (
    candidates.find((c) => c.includes(name) || name.includes(c)) ??
    candidates.find((c) => abbreviates(name, c)) ??
    candidates.find((c) => editDistance(c, name) <= 2)
  );
}

/** "dept" abbreviates department_id and "qty" job_quantity: in order, from the start of a word. */
function abbreviates(short: string, column: string): boolean {
  const words = column.split('_');
  return words.some((word, i) => {
    if (word[0] !== short[0]) return false;
    const rest = words.slice(i).join('_');
    let at = 0;
    for (const ch of short) {
      at = rest.indexOf(ch, at) + 1;
      if (at === 0) return false;
    }
    return true;
  });
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, substitution));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
