/**
 * Reader for the Brandimarte/Hurink flexible job-shop layout: line 1 `n m f` (f is only a
 * label), then one line per job: `k`, and per operation `c` followed by c `machine duration`
 * pairs with 1-based machines. All m declared machines are kept as resources even when some
 * are never used (mk06, mk10), so resource indices match the file.
 */
import type { Mode, Operation, Problem } from '../model.js';
import { integerLines } from './tokens.js';

const FORMAT = 'fjsp';

export function readFjsp(text: string): Problem {
  // The header's third field may be fractional (e.g. "1.5"), so parse it separately.
  const rawLines = text.split(/\r\n|\r|\n/);
  const headerIndex = rawLines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (headerIndex < 0) throw new Error(`${FORMAT}: empty input`);
  const headerTokens = rawLines[headerIndex]!.trim().split(/\s+/);
  const headerLine = headerIndex + 1;
  if (headerTokens.length < 2 || headerTokens.length > 3) {
    throw new Error(`${FORMAT}: line ${headerLine}: header must be "n m [f]"`);
  }
  const n = Number(headerTokens[0]);
  const m = Number(headerTokens[1]);
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m < 1) {
    throw new Error(`${FORMAT}: line ${headerLine}: n and m must be positive integers`);
  }
  if (headerTokens[2] !== undefined && !Number.isFinite(Number(headerTokens[2]))) {
    throw new Error(`${FORMAT}: line ${headerLine}: flexibility label must be a number`);
  }
  const blanked = rawLines.map((l, i) => (i <= headerIndex ? '' : l)).join('\n');
  const lines = blanked.trim() === '' ? [] : integerLines(blanked, FORMAT);
  if (lines.length !== n) {
    throw new Error(`${FORMAT}: line ${headerLine}: header declares ${n} jobs but ${lines.length} job lines follow`);
  }

  const operations: Operation[] = [];
  const jobs: Problem['jobs'] = [];
  for (let j = 0; j < n; j++) {
    const { line, values } = lines[j]!;
    let at = 0;
    const next = (what: string): number => {
      if (at >= values.length) throw new Error(`${FORMAT}: line ${line}: job ${j} ends early, missing ${what}`);
      return values[at++]!;
    };
    const k = next('operation count');
    if (k < 1) throw new Error(`${FORMAT}: line ${line}: job ${j} must have at least one operation`);
    const ops: number[] = [];
    for (let o = 0; o < k; o++) {
      const c = next(`machine count of operation ${o}`);
      if (c < 1) throw new Error(`${FORMAT}: line ${line}: operation ${o} of job ${j} has no eligible machine`);
      const modes: Mode[] = [];
      for (let e = 0; e < c; e++) {
        const machine = next(`machine of operation ${o}`);
        const duration = next(`duration of operation ${o}`);
        if (machine < 1 || machine > m) {
          throw new Error(`${FORMAT}: line ${line}: machine ${machine} out of range 1..${m}`);
        }
        if (duration < 0) throw new Error(`${FORMAT}: line ${line}: negative duration ${duration}`);
        if (modes.some((md) => md.resource === machine - 1)) {
          throw new Error(`${FORMAT}: line ${line}: machine ${machine} listed twice for operation ${o}`);
        }
        modes.push({ resource: machine - 1, duration });
      }
      const index = operations.length;
      operations.push({
        id: `J${j}/${o}`,
        job: j,
        modes,
        setupCategory: -1,
        predecessors: o === 0 ? [] : [index - 1],
      });
      ops.push(index);
    }
    if (at !== values.length) {
      throw new Error(`${FORMAT}: line ${line}: ${values.length - at} extra numbers after job ${j}`);
    }
    jobs.push({ id: `J${j}`, release: 0, due: 0, weight: 1, operations: ops });
  }
  return {
    objective: 'makespan',
    resources: Array.from({ length: m }, (_, i) => ({ id: `M${i}`, calendar: null, initialSetup: -1 })),
    jobs,
    operations,
    setupCategories: [],
    setupTimes: { default: 0, matrix: null },
    fixed: [],
  };
}
