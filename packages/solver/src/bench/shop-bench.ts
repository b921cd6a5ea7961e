/**
 * Shop benchmark (npm run bench:shop -w packages/solver, after the build): generated
 * sheet-metal shops of 2,000 and 20,000 operations, every dispatch rule against the search,
 * plus the latency of ranking a live queue with dispatch(). Prints markdown tables and,
 * with --write FILE, appends them as a dated section.
 *
 *   node dist/bench/shop-bench.js [--quick] [--seed S] [--write ../../docs/benchmarks-shop.md]
 *
 * Targets (handbook TARGETS.md): first valid plan < 1 s at 2,000 ops; weighted tardiness
 * >= 30 % below the best rule after 30 s; 20,000 ops valid < 10 s and < 1 GiB; dispatch
 * p99 < 5 ms for a 1,000-operation queue.
 */
import { execSync } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { compile } from '../compiled.js';
import { evaluate } from '../evaluate.js';
import { generateShopProblem } from '../gen/shop-instance.js';
import { Rng } from '../random.js';
import { dispatch, QueueItem, RULES, ruleSchedule } from '../rules.js';
import { solve } from '../solve.js';
import { validate } from '../validate.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const seed = Number(flag('--seed') ?? 1);
const writeTo = flag('--write');

const lines: string[] = [];
const say = (s = ''): void => {
  lines.push(s);
  process.stdout.write(s + '\n');
};
const mib = (bytes: number): string => `${Math.round(bytes / 1048576)} MiB`;
/** process-wide resident set high-water mark (the kernel's maxrss, in bytes) */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

interface Size {
  operations: number;
  resources: number;
  searchSeconds: number;
}

async function shopTable(size: Size): Promise<void> {
  const t0 = performance.now();
  const problem = generateShopProblem({ operations: size.operations, resources: size.resources, seed });
  const genMs = performance.now() - t0;
  say(`### ${size.operations.toLocaleString('en')} operations, ${size.resources} work centres (seed ${seed})`);
  say();
  say(
    `${problem.jobs.length} jobs, ${problem.setupCategories.length} setup categories, ${problem.fixed.length} frozen operations; generated in ${genMs.toFixed(0)} ms.`,
  );
  say();
  say(
    '| plan | weighted tardiness | vs best rule | makespan (min) | setup minutes | first valid plan | time | valid |',
  );
  say('|---|---:|---:|---:|---:|---:|---:|---|');
  const c = compile(problem);
  let bestRule = Infinity;
  const rows: string[][] = [];
  for (const rule of RULES) {
    const t = performance.now();
    const s = ruleSchedule(c, rule);
    const ms = performance.now() - t;
    const v = validate(problem, s);
    bestRule = Math.min(bestRule, v.objective.weightedTardiness);
    rows.push([
      rule,
      String(v.objective.weightedTardiness),
      '',
      String(v.objective.makespan),
      String(v.objective.setupMinutes),
      `${ms.toFixed(0)} ms`,
      `${ms.toFixed(0)} ms`,
      v.valid ? 'yes' : 'NO',
    ]);
  }
  for (const r of rows) {
    const wt = Number(r[1]);
    r[2] = bestRule > 0 ? `${(((wt - bestRule) / bestRule) * 100).toFixed(1)} %` : '-';
    say(`| ${r.join(' | ')} |`);
  }
  const t = performance.now();
  const res = await solve(problem, { timeLimitMs: size.searchSeconds * 1000, seed });
  const ms = performance.now() - t;
  const v = validate(problem, res.schedule);
  const wt = v.objective.weightedTardiness;
  const vs = bestRule > 0 ? `${(((wt - bestRule) / bestRule) * 100).toFixed(1)} %` : '-';
  say(
    `| search ${size.searchSeconds} s (${res.engine}, from ${res.startRule ?? '-'}, ${res.iterations} it) | ${wt} | ${vs} | ${v.objective.makespan} | ${v.objective.setupMinutes} | ${res.timeToFirstMs.toFixed(0)} ms | ${(ms / 1000).toFixed(1)} s | ${v.valid ? 'yes' : 'NO'} |`,
  );
  say();
  say(
    `Peak RSS so far ${mib(peakRss())}; tardiness lower bound ${res.lowerBound}; best found at ${(res.timeToBestMs / 1000).toFixed(1)} s.`,
  );
  say();
  // keep the evaluation honest: the reported values must match a fresh evaluation
  const again = evaluate(problem, res.schedule);
  if (again.weightedTardiness !== wt) throw new Error('objective mismatch between validate and evaluate');
}

function dispatchTable(): void {
  const rng = new Rng(seed);
  const queue: QueueItem[] = Array.from({ length: 1000 }, (_, i) => {
    const p = rng.int(5, 240);
    return {
      id: `op-${i}`,
      due: rng.int(0, 40320),
      processingTime: p,
      remainingWork: p + rng.int(0, 2000),
      weight: rng.pick([1, 2, 4, 8]),
      arrival: rng.int(0, 10000),
    };
  });
  say('### dispatch(): ranking a 1,000-operation queue, 1,000 repetitions per rule');
  say();
  say('| rule | p50 | p99 | max |');
  say('|---|---:|---:|---:|');
  for (const rule of RULES) {
    const times: number[] = [];
    for (let k = 0; k < 200; k++) dispatch(queue, rule, k); // warm-up (JIT)
    for (let k = 0; k < 1000; k++) {
      const now = (k * 37) % 20000;
      const t = performance.now();
      dispatch(queue, rule, now);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const q = (f: number): string =>
      `${times[Math.min(times.length - 1, Math.floor(f * times.length))]!.toFixed(3)} ms`;
    say(`| ${rule} | ${q(0.5)} | ${q(0.99)} | ${times[times.length - 1]!.toFixed(3)} ms |`);
  }
  say();
}

async function main(): Promise<void> {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout: the section simply has no commit
  }
  say(
    `## Shop benchmark ${new Date().toISOString().slice(0, 10)} (commit ${commit}, Node ${process.version}${quick ? ', quick budgets' : ''})`,
  );
  say();
  say(
    `Machine: ${cpus().length} cores, load average at start ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} (other work on a shared machine inflates times and latency tails).`,
  );
  say();
  const sizes: Size[] = [
    { operations: 2000, resources: 40, searchSeconds: quick ? 5 : 30 },
    { operations: 20000, resources: 200, searchSeconds: quick ? 5 : 15 },
  ];
  // the latency table first, before large problems leave garbage for the collector
  dispatchTable();
  for (const size of sizes) await shopTable(size);
  say(`Process peak RSS ${mib(peakRss())}.`);
  say();
  if (writeTo) {
    if (!existsSync(writeTo))
      writeFileSync(
        writeTo,
        '# Shop scheduling benchmarks\n\nGenerated by `npm run bench:shop`; newest sections last.\n\n',
      );
    appendFileSync(writeTo, lines.join('\n') + '\n');
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`shop-bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
