/**
 * Classic benchmark run for the makespan search: JSSP (ft, la, abz, orb, ta) and Brandimarte
 * FJSP instances from the shared benchmark folder, each solved by solveParallel and checked
 * by the independent validator. Prints a markdown table and appends it to --out.
 *
 * Usage: node dist/bench/solver-bench.js [--time S] [--threads N] [--families la,abz,...]
 *        [--instances a,b] [--out FILE] [--no-stop-at-optimum]
 * When an instance's proven optimum is reached the run stops early (it cannot improve);
 * --no-stop-at-optimum disables that. Open instances always use the full time.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFjsp } from '../formats/fjsp.js';
import { readJssp } from '../formats/jssp.js';
import { solveParallel } from '../parallel/index.js';
import { validate } from '../validate.js';

const range = (prefix: string, from: number, to: number, width = 2): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => prefix + String(from + i).padStart(width, '0'));

const FAMILIES: Record<string, string[]> = {
  ft: ['ft06', 'ft10', 'ft20'],
  la: range('la', 1, 40),
  abz: range('abz', 5, 9, 1),
  orb: range('orb', 1, 10),
  'ta01-10': range('ta', 1, 10),
  'ta11-20': range('ta', 11, 20),
  'ta21-30': range('ta', 21, 30),
  mk: range('mk', 1, 10),
};
const DEFAULT_FAMILIES = ['la', 'abz', 'ta01-10', 'ta11-20', 'ta21-30', 'mk', 'ft'];

interface Args {
  time: number;
  threads: number;
  families: string[];
  instances: string[] | null;
  out: string;
  stopAtOptimum: boolean;
}

function parseArgs(argv: string[]): Args {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const repo = path.resolve(here, '../../../..');
  const args: Args = {
    time: 60,
    threads: 2,
    families: DEFAULT_FAMILIES,
    instances: null,
    out: path.join(repo, 'docs/benchmarks-solver.md'),
    stopAtOptimum: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`missing value after ${a}`);
      return x;
    };
    if (a === '--time') args.time = Number(v());
    else if (a === '--threads') args.threads = Number(v());
    else if (a === '--families') args.families = v().split(',');
    else if (a === '--instances') args.instances = v().split(',');
    else if (a === '--out') args.out = v();
    else if (a === '--no-stop-at-optimum') args.stopAtOptimum = false;
    else throw new Error(`unknown argument ${a}`);
  }
  for (const f of args.families) if (!FAMILIES[f]) throw new Error(`unknown family ${f}`);
  return args;
}

function benchmarksDir(): string {
  const env = process.env.KERF_BENCHMARKS_DIR;
  if (env) return env;
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/bench -> packages/solver/test-data (committed with the package)
  return path.resolve(here, '../../test-data');
}

interface Bks {
  optimum?: number;
  lb?: number;
  ub?: number;
}

interface Row {
  family: string;
  name: string;
  bks: number;
  optimal: boolean;
  ours: number;
  gap: number;
  ttb: number;
  valid: boolean;
}

async function runOne(
  dir: string,
  bksAll: Record<string, Record<string, Bks>>,
  family: string,
  name: string,
  args: Args,
): Promise<Row> {
  const flexible = family === 'mk';
  const file = path.join(dir, flexible ? 'fjsp' : 'jssp', `${name}.txt`);
  const problem = (flexible ? readFjsp : readJssp)(readFileSync(file, 'utf8'));
  const entry = bksAll[flexible ? 'fjsp' : 'jssp']?.[name];
  const bks = entry?.optimum ?? entry?.ub ?? NaN;
  const optimal = entry?.optimum !== undefined;
  const controller = new AbortController();
  const result = await solveParallel(problem, {
    timeLimitMs: args.time * 1000,
    threads: args.threads,
    seed: 12345,
    signal: controller.signal,
    onProgress: (e) => {
      if (args.stopAtOptimum && optimal && e.bestObjective <= bks) controller.abort();
    },
  });
  const check = validate(problem, result.schedule);
  const ours = check.objective.makespan;
  return {
    family,
    name,
    bks,
    optimal,
    ours,
    gap: (100 * (ours - bks)) / bks,
    ttb: result.timeToBestMs / 1000,
    valid: check.valid,
  };
}

function commit(): string {
  try {
    const here = path.dirname(fileURLToPath(import.meta.url));
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: here,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = benchmarksDir();
  if (!existsSync(path.join(dir, 'bks.json')))
    throw new Error(`benchmarks not found at ${dir} (set KERF_BENCHMARKS_DIR)`);
  const bksAll = JSON.parse(readFileSync(path.join(dir, 'bks.json'), 'utf8')) as Record<string, Record<string, Bks>>;
  const lines: string[] = [];
  const print = (l: string): void => {
    lines.push(l);
    console.log(l);
  };
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  print(`### Classic makespan benchmark, ${new Date().toISOString()}, commit ${commit()}`);
  print('');
  print(
    `Machine: ${cpu}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at start` +
      ` (shared machine). Time limit ${args.time} s per instance, ${args.threads} threads` +
      `${args.stopAtOptimum ? ', stopped early when the proven optimum is reached' : ''}.`,
  );
  print('');
  print('| instance | best known | ours | gap % | time to best s | valid |');
  print('|---|---|---|---|---|---|');
  const rows: Row[] = [];
  for (const family of args.families) {
    for (const name of FAMILIES[family]!) {
      if (args.instances && !args.instances.includes(name)) continue;
      const r = await runOne(dir, bksAll, family, name, args);
      rows.push(r);
      print(
        `| ${name} | ${r.bks}${r.optimal ? '' : ' (ub)'} | ${r.ours} | ${r.gap.toFixed(2)} | ${r.ttb.toFixed(1)} | ${r.valid ? 'yes' : 'NO'} |`,
      );
    }
  }
  print('');
  print('| family | instances run | mean gap % | max gap % | at best known | all valid |');
  print('|---|---|---|---|---|---|');
  for (const family of args.families) {
    const fr = rows.filter((r) => r.family === family);
    if (fr.length === 0) continue;
    const mean = fr.reduce((a, r) => a + r.gap, 0) / fr.length;
    const max = Math.max(...fr.map((r) => r.gap));
    const atBest = fr.filter((r) => r.ours <= r.bks).length;
    print(
      `| ${family} | ${fr.length}/${FAMILIES[family]!.length} | ${mean.toFixed(2)} | ${max.toFixed(2)} | ${atBest} | ${fr.every((r) => r.valid) ? 'yes' : 'NO'} |`,
    );
  }
  print('');
  appendFileSync(args.out, lines.join('\n') + '\n');
  if (rows.some((r) => !r.valid)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
