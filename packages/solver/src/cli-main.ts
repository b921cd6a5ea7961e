/**
 * kerf-solve: solve a problem file and print the schedule.
 *
 *   kerf-solve FILE --format jssp|fjsp|kerf --time SECONDS [--threads N] [--seed S]
 *              [--rule EDD|SPT|FIFO|CR|SLACK|ATC] [--iterations N] [--json]
 *
 * Exit codes: 0 solved (valid plan), 1 the plan failed validation (a bug: please report),
 * 2 usage or input error, with one line on stderr saying what to fix.
 * Kept apart from cli.ts (the entry) so tests and other tools can call it in-process.
 */
import { readFileSync } from 'node:fs';
import { readFjsp } from './formats/fjsp.js';
import { readJssp } from './formats/jssp.js';
import { readKerf, writeKerfResult } from './formats/kerf.js';
import type { Problem } from './model.js';
import { isRuleName, RuleName, RULES } from './rules.js';
import { solve, SolveResult } from './solve.js';

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** true when stderr is a terminal (the progress line then updates at most 10 times a second) */
  tty: boolean;
}

export class UsageError extends Error {}

export interface CliArgs {
  file: string;
  format: 'jssp' | 'fjsp' | 'kerf';
  timeSeconds: number;
  threads: number;
  seed: number;
  rule?: RuleName;
  iterations?: number;
  json: boolean;
}

const USAGE =
  'usage: kerf-solve FILE --format jssp|fjsp|kerf --time SECONDS [--threads N] [--seed S] [--rule EDD|SPT|FIFO|CR|SLACK|ATC] [--iterations N] [--json]';

function numberFlag(name: string, v: string | undefined, min: number, integer: boolean): number {
  if (v === undefined) throw new UsageError(`${name} needs a value`);
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < min || (integer && !Number.isInteger(x))) {
    throw new UsageError(`${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got "${v}"`);
  }
  return x;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  let file: string | undefined;
  let format: string | undefined;
  let time: number | undefined;
  const args: Partial<CliArgs> = { threads: 1, seed: 1, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--format':
        format = value();
        break;
      case '--time':
        time = numberFlag('--time', value(), 0, false);
        break;
      case '--threads':
        args.threads = numberFlag('--threads', value(), 1, true);
        break;
      case '--seed':
        args.seed = numberFlag('--seed', value(), 0, true);
        break;
      case '--iterations':
        args.iterations = numberFlag('--iterations', value(), 0, true);
        break;
      case '--rule': {
        const r = (value() ?? '').toUpperCase();
        if (!isRuleName(r)) throw new UsageError(`--rule must be one of ${RULES.join(', ')}`);
        args.rule = r;
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '--help':
      case '-h':
        throw new UsageError(USAGE);
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown flag ${a}; ${USAGE}`);
        if (file !== undefined) throw new UsageError(`only one FILE expected, got "${file}" and "${a}"`);
        file = a;
    }
  }
  if (file === undefined) throw new UsageError(`missing FILE; ${USAGE}`);
  if (format === undefined) format = file.endsWith('.json') ? 'kerf' : undefined;
  if (format !== 'jssp' && format !== 'fjsp' && format !== 'kerf')
    throw new UsageError('--format must be jssp, fjsp or kerf');
  if (time === undefined) throw new UsageError('--time SECONDS is required (0 = constructive schedule only)');
  return { ...args, file, format, timeSeconds: time } as CliArgs;
}

function readProblem(args: CliArgs): Problem {
  let text: string;
  try {
    text = readFileSync(args.file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${args.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    if (args.format === 'jssp') return readJssp(text);
    if (args.format === 'fjsp') return readFjsp(text);
    return readKerf(text);
  } catch (e) {
    throw new UsageError(`${args.file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function classicJson(problem: Problem, r: SolveResult, seconds: number): Record<string, unknown> {
  const indexInJob = new Int32Array(problem.operations.length);
  for (const job of problem.jobs) job.operations.forEach((o, k) => (indexInJob[o] = k));
  return {
    makespan: r.values.makespan,
    lowerBound: r.lowerBound,
    seconds,
    valid: r.valid,
    operations: r.schedule.operations.map((s) => ({
      job: problem.operations[s.operation]!.job,
      op: indexInJob[s.operation],
      machine: s.resource,
      start: s.start,
      end: s.end,
    })),
  };
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: CliArgs;
  let problem: Problem;
  try {
    args = parseArgs(argv);
    problem = readProblem(args);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`kerf-solve: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const t0 = performance.now();
  let progressShown = false;
  let lastShown = -Infinity;
  const result = await solve(problem, {
    timeLimitMs: args.timeSeconds * 1000,
    seed: args.seed,
    threads: args.threads,
    ...(args.rule ? { rule: args.rule } : {}),
    ...(args.iterations !== undefined ? { maxIterations: args.iterations } : {}),
    onProgress: args.json
      ? undefined
      : (e) => {
          const now = performance.now();
          if (io.tty && now - lastShown < 100) return;
          lastShown = now;
          io.err(`\rbest ${e.bestObjective} after ${(e.elapsedMs / 1000).toFixed(1)} s (${e.iterations} it)   `);
          progressShown = true;
        },
  });
  const seconds = Math.round(performance.now() - t0) / 1000;
  if (!result.valid && result.violations.every((v) => v.kind === 'horizon')) {
    // not a solver failure: the calendars in the file end before the work can
    io.err(`kerf-solve: ${args.file}: ${result.violations[0]?.message ?? 'calendar too short'}\n`);
    return 2;
  }
  if (args.json) {
    // kerf: lowerBound is the makespan bound (comparable with objective.makespan, as in the
    // format's example); the weighted-tardiness bound is added as an extra field
    const out =
      args.format === 'kerf'
        ? {
            ...writeKerfResult(problem, result.schedule, {
              objective: result.values,
              lowerBound: result.makespanLowerBound,
              seconds,
              valid: result.valid,
            }),
            tardinessLowerBound: result.tardinessLowerBound,
          }
        : classicJson(problem, result, seconds);
    io.out(`${JSON.stringify(out)}\n`);
  } else {
    if (progressShown) io.err('\n');
    const v = result.values;
    const gap = result.gap === null ? 'n/a' : `${(result.gap * 100).toFixed(2)} %`;
    io.out(
      [
        `objective ${problem.objective}: ${result.objective} (lower bound ${result.lowerBound}, gap ${gap})`,
        `makespan ${v.makespan}, weighted tardiness ${v.weightedTardiness}, setup minutes ${v.setupMinutes}`,
        `engine ${result.engine}${result.startRule ? ` from ${result.startRule}` : ''}, ${result.iterations} iterations, ${seconds} s, best at ${(result.timeToBestMs / 1000).toFixed(2)} s`,
        `validator: ${result.valid ? 'valid' : `INVALID (${result.violations.length} violations, first: ${result.violations[0]?.message ?? ''})`}`,
      ].join('\n') + '\n',
    );
  }
  if (!result.valid) {
    io.err(`kerf-solve: the plan failed validation: ${result.violations[0]?.message ?? ''}\n`);
    return 1;
  }
  return 0;
}
