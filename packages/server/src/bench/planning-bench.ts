import { appendFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { RULES } from '@kerf/solver';
import type { Actor } from '../auth/actor.js';
import { PERMISSIONS } from '../auth/permissions.js';
import { mondayOf } from '../demo/calendar-dates.js';
import { generateDemoShop } from '../demo/generate.js';
import { loadDemoShop } from '../demo/load-demo.js';
import { rankQueue } from '../dispatch/queue-ranking.js';
import { buildQueue, loadQueueData } from '../dispatch/queue-service.js';
import { syntheticQueue, type RankingCase } from '../dispatch/synthetic-queue.js';
import { PlanRunService } from '../planning/plan-run-service.js';
import { publishPlan } from '../planning/publish-service.js';
import { openDatabase } from '../platform/db.js';
import { EventBus } from '../platform/events.js';
import { migrate } from '../platform/migrate.js';
import { promiseDate } from '../promise/promise-service.js';
import type { PromiseInput } from '../promise/schemas.js';

/**
 * `npm run bench:planning`: the demo shop at 150 and 1,500 jobs in an in-memory PGlite, each
 * planned by the same service the API uses (PlanRunService, a short time limit), published, then
 * asked for a promise date (median of 5) and its busiest queue; and the dispatch ranking of a
 * synthetic 1,000-operation queue per rule (the part with the p99 < 5 ms target). Prints a
 * table and appends it to docs/benchmarks-planning.md.
 * Env: KERF_BENCH_JOBS (default "150,1500"), KERF_BENCH_PLAN_SECONDS (default 10),
 * KERF_BENCH_HORIZON_DAYS (default 90).
 */

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const SIZES = (process.env.KERF_BENCH_JOBS ?? '150,1500').split(',').map(Number);
const PLAN_SECONDS = Number(process.env.KERF_BENCH_PLAN_SECONDS ?? 10);
// The plan run's calendars reach 4 x horizon days; 1,500 demo jobs need more than the
// default 28-day horizon's 112 days of shifts to fit at all.
const HORIZON_DAYS = Number(process.env.KERF_BENCH_HORIZON_DAYS ?? 90);
const QUEUE_SIZE = 1000;
const TIME_ZONE = 'UTC';
const ACTOR: Actor = { type: 'system', id: 'bench', name: 'kerf planning bench', permissions: new Set(PERMISSIONS) };

// A kitchen work table: cut, form, weld, polish, assemble, ship.
const PROSPECT: PromiseInput = {
  quantity: 10,
  priority: 2,
  routings: [
    {
      sequence: 10,
      operationCode: 'CUT',
      workCenterType: 'laser',
      setupMinutes: 20,
      runMinutesPerUnit: 6,
      setupCategory: 'SS304-16GA',
    },
    { sequence: 20, operationCode: 'FORM', workCenterType: 'brake', setupMinutes: 15, runMinutesPerUnit: 4 },
    { sequence: 30, operationCode: 'WELD', workCenterType: 'weld', setupMinutes: 10, runMinutesPerUnit: 25 },
    { sequence: 40, operationCode: 'POLISH', workCenterType: 'polish', setupMinutes: 5, runMinutesPerUnit: 12 },
    { sequence: 50, operationCode: 'ASSY', workCenterType: 'assembly', runMinutesPerUnit: 15 },
    { sequence: 60, operationCode: 'SHIP', workCenterType: 'ship', runMinutesPerUnit: 3 },
  ],
};

interface ShopRow {
  jobs: number;
  loadSeconds: number;
  operations: number;
  planSeconds: number;
  status: string;
  valid: boolean | null;
  weightedTardiness: number | null;
  lateJobs: number | null;
  ctpMedianMs: number;
  ctpMaxMs: number;
  ctpDate: string;
  busiest: string;
  busiestQueue: number;
  queueReadMs: number;
  /** the queue service without its database read, on the busiest real queue (ATC) */
  queueBuildP50: number;
  queueBuildP99: number;
  queueBuildCpuP99: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await f();
  return [out, performance.now() - t];
}

async function shopRun(jobs: number): Promise<ShopRow> {
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrate(database);
    const db = database.db;
    const shop = generateDemoShop({ seed: 1, jobs, startDate: mondayOf(new Date()) });
    const [, loadMs] = await timed(() => loadDemoShop(db, shop, () => undefined, { timeZone: TIME_ZONE }));
    process.stderr.write(`bench: ${jobs} jobs loaded in ${(loadMs / 1000).toFixed(1)} s; planning ${PLAN_SECONDS} s\n`);
    const events = new EventBus();
    const planRuns = new PlanRunService({ db, events, timeZone: TIME_ZONE, worker: true });
    const [run, planMs] = await timed(async () => {
      const started = await planRuns.start(ACTOR, {
        objective: 'weighted_tardiness',
        timeLimitSeconds: PLAN_SECONDS,
        horizonDays: HORIZON_DAYS,
        frozenMinutes: 240,
      });
      await planRuns.waitFor(started.id);
      return planRuns.get(started.id);
    });
    if (run.planId && run.valid) await publishPlan(db, events, ACTOR, run.planId, 1);

    const ctp: number[] = [];
    let ctpDate = '';
    for (let i = 0; i < 5; i++) {
      const [answer, ms] = await timed(() => promiseDate({ db, timeZone: TIME_ZONE, now: Date.now() }, PROSPECT));
      ctp.push(ms);
      ctpDate = answer.earliestCompletion;
    }
    const busiest = (
      await database.query<{ id: string; n: number }>(
        `SELECT work_center_id AS id, count(*)::int AS n FROM schedule_slots WHERE status IN ('scheduled','queued','delayed','in_progress')
         GROUP BY work_center_id ORDER BY n DESC LIMIT 1`,
      )
    )[0];
    const readMs: number[] = [];
    const build: number[] = [];
    const buildCpu: number[] = [];
    if (busiest) {
      let data = await loadQueueData(db, busiest.id, 'UTC');
      for (let i = 0; i < 5; i++) {
        const [d, ms] = await timed(() => loadQueueData(db, busiest.id, 'UTC'));
        data = d;
        readMs.push(ms);
      }
      for (let i = 0; i < 400; i++) {
        const c0 = process.cpuUsage();
        const t = performance.now();
        buildQueue(data, { rule: 'ATC', now: Date.now() });
        const wall = performance.now() - t;
        const used = process.cpuUsage(c0);
        if (i >= 100) {
          build.push(wall);
          buildCpu.push((used.user + used.system) / 1000);
        }
      }
      buildCpu.sort((a, b) => a - b);
      build.sort((a, b) => a - b);
    }
    const stats = run.stats as { operations?: number } | null;
    return {
      jobs,
      loadSeconds: loadMs / 1000,
      operations: stats?.operations ?? run.objectiveValues?.operations ?? 0,
      planSeconds: planMs / 1000,
      status: run.status === 'failed' ? `failed: ${run.error ?? '?'}` : run.status,
      valid: run.valid,
      weightedTardiness: run.objectiveValues?.weightedTardiness ?? null,
      lateJobs: run.objectiveValues?.lateJobs ?? null,
      ctpMedianMs: median(ctp),
      ctpMaxMs: Math.max(...ctp),
      ctpDate,
      busiest: busiest?.id ?? '-',
      busiestQueue: busiest?.n ?? 0,
      queueReadMs: readMs.length ? median(readMs) : 0,
      queueBuildP50: build.length ? quantile(build, 0.5) : 0,
      queueBuildP99: build.length ? quantile(build, 0.99) : 0,
      queueBuildCpuP99: buildCpu.length ? quantile(buildCpu, 0.99) : 0,
    };
  } finally {
    await database.close();
  }
}

interface RankingRow {
  case: RankingCase;
  p50: number;
  p99: number;
  cpuP50: number;
  cpuP99: number;
}

/**
 * p50 / p99 of one ranking of a 1,000-operation queue, per rule and for the plan order: wall
 * time, and process CPU time, which leaves out waiting for a core on a shared machine (the
 * load average is printed with the table).
 */
function rankingTimes(): RankingRow[] {
  const nowMinutes = Math.floor(Date.now() / 60_000);
  const queue = syntheticQueue(QUEUE_SIZE, nowMinutes);
  const cases: RankingCase[] = ['plan', ...RULES];
  return cases.map((c) => {
    const options = c === 'plan' ? { tieBreak: 'EDD' as const, nowMinutes } : { rule: c, tieBreak: c, nowMinutes };
    for (let i = 0; i < 300; i++) rankQueue(queue, options);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const c0 = process.cpuUsage();
      const t = performance.now();
      rankQueue(queue, options);
      wall.push(performance.now() - t);
      const used = process.cpuUsage(c0);
      cpu.push((used.user + used.system) / 1000);
    }
    wall.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    return {
      case: c,
      p50: quantile(wall, 0.5),
      p99: quantile(wall, 0.99),
      cpuP50: quantile(cpu, 0.5),
      cpuP99: quantile(cpu, 0.99),
    };
  });
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);

function table(shops: ShopRow[], ranking: RankingRow[]): string {
  const lines = [
    `| jobs | demo load s | operations | plan run s (limit ${PLAN_SECONDS} s, horizon ${HORIZON_DAYS} d) | status | valid | weighted tardiness | late jobs | CTP median ms (max, of 5) | CTP date | busiest queue | queue DB read median ms | queue service p50 / p99 ms (ATC; CPU p99) |`,
    '|---:|---:|---:|---:|---|---|---:|---:|---:|---|---|---:|---:|',
    ...shops.map(
      (r) =>
        `| ${r.jobs} | ${f1(r.loadSeconds)} | ${r.operations} | ${f1(r.planSeconds)} | ${r.status} | ${r.valid} | ${r.weightedTardiness ?? '-'} | ${r.lateJobs ?? '-'} | ` +
        `${f1(r.ctpMedianMs)} (${f1(r.ctpMaxMs)}) | ${r.ctpDate} | ${r.busiest} (${r.busiestQueue} ops) | ${f1(r.queueReadMs)} | ${f2(r.queueBuildP50)} / ${f2(r.queueBuildP99)} (${f2(r.queueBuildCpuP99)}) |`,
    ),
    '',
    `Dispatch ranking, synthetic queue of ${QUEUE_SIZE} operations (rankQueue, 2,000 runs after warm-up; target p99 < 5 ms):`,
    '',
    '| order | wall p50 ms | wall p99 ms | CPU p50 ms | CPU p99 ms |',
    '|---|---:|---:|---:|---:|',
    ...ranking.map(
      (r) =>
        `| ${r.case === 'plan' ? 'plan (EDD tie-break)' : r.case} | ${f3(r.p50)} | ${f3(r.p99)} | ${f3(r.cpuP50)} | ${f3(r.cpuP99)} |`,
    ),
  ];
  return lines.join('\n');
}

// The ranking runs first, on a small heap, so the shops' garbage does not bill it for a GC.
const loadBefore = loadavg()[0]!;
const ranking = rankingTimes();
const shops: ShopRow[] = [];
for (const jobs of SIZES) shops.push(await shopRun(jobs));
const out = table(shops, ranking);
process.stdout.write(`${out}\n`);
const header =
  `\n## Planning (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, ` +
  `Node ${process.version}, PGlite in memory, demo seed 1, load average ${loadBefore.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end)\n\n` +
  'Plan-run time is from the request to the stored draft (snapshot, build, search, validate, store). CTP is the service ' +
  'call on the published plan, database read included. On the busiest real queue, the database read and the rest of the ' +
  'queue service (readiness, ranking, response) are timed apart.\n\n';
appendFileSync(`${REPO}docs/benchmarks-planning.md`, `${header}${out}\n`);
process.stderr.write(`bench: appended to docs/benchmarks-planning.md (${f2(performance.now() / 1000)} s)\n`);
