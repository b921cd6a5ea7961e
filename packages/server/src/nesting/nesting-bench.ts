/**
 * Sync throughput against the emulator: `npx tsx packages/server/src/nesting/nesting-bench.ts`
 * (KERF_BENCH_JOBS jobs, default 200; KERF_TEST_DB=postgres for PostgreSQL). Prints a table.
 */
import { testDatabase } from '../test/harness.js';
import { testEmulator } from './emulator/test-emulator.js';
import { pollFeedback, simTransSource } from './inbound-sync.js';
import { drainOutbox, simTransTarget } from './outbound-sync.js';
import { count, releaseDemoJobs, testNestingConfig } from './test-support.js';

async function main(): Promise<void> {
  const jobs = Number(process.env.KERF_BENCH_JOBS ?? 200);
  const database = await testDatabase();
  const { emulator, drop } = await testEmulator();
  try {
    const db = database.db;
    let t = performance.now();
    await releaseDemoJobs(db, jobs);
    const releaseMs = performance.now() - t;
    const outbox = await count(db, 'nesting_outbox');
    t = performance.now();
    const out = await drainOutbox(db, simTransTarget(emulator.connection(), 1), testNestingConfig());
    const drainMs = performance.now() - t;
    const transAct = await emulator.count('TransAct');
    t = performance.now();
    const run = await emulator.processTransactions();
    const simMs = performance.now() - t;
    t = performance.now();
    const nest = await emulator.nest();
    const nestMs = performance.now() - t;
    const pip = await emulator.count('STPIPARC');
    t = performance.now();
    const inb = await pollFeedback(db, simTransSource(emulator.connection()));
    const applyMs = performance.now() - t;
    const rows: [string, string, string][] = [
      ['release + outbox write (demo loader)', `${jobs} jobs, ${outbox} outbox rows`, `${releaseMs.toFixed(0)} ms`],
      [
        'drain outbox -> TransAct',
        `${out.sent} rows -> ${transAct} TransAct rows`,
        `${drainMs.toFixed(0)} ms (${((transAct / drainMs) * 1000).toFixed(0)} rows/s)`,
      ],
      ['emulator: SimTrans poll', `${run.completed} complete, ${run.errors} errors`, `${simMs.toFixed(0)} ms`],
      ['emulator: nest + post', `${nest.programs.length} programs, ${pip} part lines`, `${nestMs.toFixed(0)} ms`],
      [
        'poll + apply feedback (1 packet)',
        `${inb.applied} packet, ${nest.programs.length} nests`,
        `${applyMs.toFixed(0)} ms (${(applyMs / Math.max(nest.programs.length, 1)).toFixed(1)} ms/nest)`,
      ],
    ];
    const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), 10));
    process.stdout.write(`nesting sync on ${database.kind}\n`);
    for (const r of rows) process.stdout.write(`| ${r.map((c, i) => c.padEnd(w[i]!)).join(' | ')} |\n`);
  } finally {
    await drop();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
