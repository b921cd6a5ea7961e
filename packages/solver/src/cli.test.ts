import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toKerfJson } from './formats/kerf.js';
import { generateShopProblem } from './gen/shop-instance.js';
import { runCli } from './cli-main.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, 'cli.ts');
const dir = mkdtempSync(join(tmpdir(), 'kerf-cli-'));
const file = join(dir, 'shop.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(file, JSON.stringify(toKerfJson(generateShopProblem({ operations: 60, resources: 10, seed: 5 }))));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kerf-solve CLI', () => {
  it('prints one JSON object for a kerf file and exits 0', () => {
    const r = run([file, '--format', 'kerf', '--time', '0.5', '--seed', '3', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      objective: Record<string, number>;
      lowerBound: number;
      valid: boolean;
      operations: Array<Record<string, unknown>>;
    };
    expect(out.valid).toBe(true);
    expect(out.operations).toHaveLength(60);
    expect(Object.keys(out.operations[0]!).sort()).toEqual(['end', 'job', 'machine', 'op', 'setupStart', 'start']);
    // lowerBound bounds the makespan: positive, and no plan can beat it
    expect(out.lowerBound).toBeGreaterThan(0);
    expect(out.objective.makespan).toBeGreaterThanOrEqual(out.lowerBound);
    const lastEnd = Math.max(...out.operations.map((o) => o.end as number));
    expect(out.objective.makespan).toBe(lastEnd);
  });

  it('returns the rule schedule with --rule and --time 0', () => {
    const a = run([file, '--time', '0', '--rule', 'SPT', '--json']);
    const b = run([file, '--time', '0', '--rule', 'EDD', '--json']);
    expect(a.status).toBe(0);
    expect(JSON.parse(a.stdout).operations).not.toEqual(JSON.parse(b.stdout).operations);
  });

  it('exits 2 with one line on a bad flag', () => {
    const bad = run([file, '--time', '1', '--frobnicate']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/unknown flag --frobnicate/);
    expect(bad.stdout).toBe('');
  });
});

describe('runCli in-process', () => {
  async function call(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runCli(args, { out: (s) => (out += s), err: (s) => (err += s), tty: false });
    return { code, out, err };
  }

  it('exits 2 on bad values, a missing file and a bad document, naming what to fix', async () => {
    expect(await call([file, '--time', 'soon'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--time must be a number/),
    });
    expect(await call([file, '--time', '1', '--rule', 'LIFO'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--rule must be one of EDD, SPT/),
    });
    expect(await call([file, '--time', '1', '--format', 'xml'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--format must be jssp, fjsp or kerf/),
    });
    const missing = await call([join(dir, 'nope.json'), '--time', '1']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read .*nope\.json: ENOENT/);
    const broken = join(dir, 'broken.json');
    writeFileSync(
      broken,
      JSON.stringify({
        resources: [{ id: 'A' }],
        jobs: [{ id: 'J', operations: [{ id: 'o', modes: [{ resource: 'B', duration: 5 }] }] }],
      }),
    );
    const b = await call([broken, '--time', '1']);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/jobs\[0\]\.operations\[0\]\.modes\[0\]\.resource: unknown resource "B"/);
    const short = join(dir, 'short.json');
    writeFileSync(
      short,
      JSON.stringify({
        resources: [{ id: 'A', calendar: [[0, 10]] }],
        jobs: [{ id: 'J', operations: [{ id: 'o', modes: [{ resource: 'A', duration: 20 }] }] }],
      }),
    );
    expect(await call([short, '--time', '0'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/o cannot be placed on A: its calendar has no working time left/),
    });
    const jssp = join(dir, 'bad.txt');
    writeFileSync(jssp, '2 2\n0 5 1 3\n');
    expect(await call([jssp, '--format', 'jssp', '--time', '0'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/line 1/),
    });
  });

  it('prints a summary and a progress line without --json', async () => {
    const r = await call([file, '--time', '0.3', '--seed', '2']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/objective weighted_tardiness: \d+/);
    expect(r.out).toMatch(/validator: valid/);
    expect(r.err).toMatch(/\rbest \d+ after/);
  });

  it('writes the classic JSON shape for job-shop files', async () => {
    const ft = join(dir, 'tiny.txt');
    writeFileSync(ft, '2 2\n0 3 1 2\n1 4 0 1\n');
    const r = await call([ft, '--format', 'jssp', '--time', '0', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as {
      makespan: number;
      lowerBound: number;
      operations: Array<Record<string, number>>;
    };
    // machine 1 carries 2 + 4 minutes: the bound is 6, and 6 is achievable
    expect(out.lowerBound).toBe(6);
    expect(out.makespan).toBeGreaterThanOrEqual(6);
    expect(out.operations).toHaveLength(4);
    expect(out.operations.find((o) => o.job === 1 && o.op === 0)).toMatchObject({ machine: 1 });
  });
});
