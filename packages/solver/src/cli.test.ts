import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toKerfJson } from './formats/kerf.js';
import { generateShopProblem } from './gen/shop-instance.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, 'cli.ts');
const dir = mkdtempSync(join(tmpdir(), 'kerf-cli-'));
const file = join(dir, 'shop.json');
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
    const out = JSON.parse(r.stdout) as { objective: Record<string, number>; lowerBound: number; valid: boolean; operations: Array<Record<string, unknown>> };
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

  it('exits 2 with one line on a bad flag, a missing file and a bad document', () => {
    const bad = run([file, '--time', '1', '--frobnicate']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/unknown flag --frobnicate/);
    expect(run([file, '--time', 'soon']).stderr).toMatch(/--time must be a number/);
    const missing = run([join(dir, 'nope.json'), '--time', '1']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json: ENOENT/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ resources: [{ id: 'A' }], jobs: [{ id: 'J', operations: [{ id: 'o', modes: [{ resource: 'B', duration: 5 }] }] }] }));
    const b = run([broken, '--time', '1']);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/jobs\[0\]\.operations\[0\]\.modes\[0\]\.resource: unknown resource "B"/);
  });
});
