import { describe, expect, it } from 'vitest';
import { generateShopProblem } from './shop-instance.js';
import { readKerf, toKerfJson } from '../formats/kerf.js';
import { ruleSchedule } from '../rules.js';
import { validate } from '../validate.js';
import { topologicalOrder } from '../graph.js';

describe('generateShopProblem', () => {
  const p = generateShopProblem({ operations: 1500, resources: 40, seed: 11 });

  it('has the requested size and a realistic structure', () => {
    expect(p.operations).toHaveLength(1500);
    expect(p.resources).toHaveLength(40);
    const types = new Set(p.resources.map((r) => r.id.split('-')[0]));
    expect([...types].sort()).toEqual(['ASSEMBLY', 'BRAKE', 'LASER', 'POLISH', 'PUNCH', 'SHIP', 'WELD']);
    expect('order' in topologicalOrder(p.operations)).toBe(true);
    // DAG joins: some assembly operations wait for more than one branch
    expect(p.operations.some((o) => o.predecessors.length > 1)).toBe(true);
    expect(new Set(p.jobs.map((j) => j.weight))).toEqual(new Set([1, 2, 4, 8]));
    // laser categories are material + gauge
    const laserCats = p.operations
      .filter((o) => p.resources[o.modes[0]!.resource]!.id.startsWith('LASER'))
      .map((o) => p.setupCategories[o.setupCategory]);
    expect(laserCats.every((c) => /^(SS304|SS316|CRS|AL5052|GALV)-\d+GA$/.test(c ?? ''))).toBe(true);
    expect(p.fixed.length).toBeGreaterThan(0);
  });

  it('uses Monday-Friday shift calendars with a night shift across midnight and holidays', () => {
    // shifts start at 06:00, 14:00 or 22:00; their second half may fall on the next day
    const shiftStarts = (r: number): number[] =>
      p.resources[r]!.calendar!.map(([a]) => a).filter((a) => [360, 840, 1320].includes(a % 1440));
    const days = (r: number): Set<number> => new Set(shiftStarts(r).map((a) => Math.floor(a / 1440)));
    for (let r = 0; r < p.resources.length; r++) {
      for (const d of days(r)) expect(d % 7).toBeLessThan(5);
    }
    const laser = p.resources.findIndex((r) => r.id.startsWith('LASER'));
    expect(p.resources[laser]!.calendar!.some(([a, b]) => Math.floor(a / 1440) !== Math.floor((b - 1) / 1440))).toBe(
      true,
    );
    // at least one weekday in the first weeks has no shift at all (a holiday)
    const weekdays = [...Array(35).keys()].filter((d) => d % 7 < 5);
    expect(weekdays.some((d) => !days(laser).has(d))).toBe(true);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(generateShopProblem({ operations: 300, seed: 4 })).toEqual(
      generateShopProblem({ operations: 300, seed: 4 }),
    );
    expect(generateShopProblem({ operations: 300, seed: 5 })).not.toEqual(
      generateShopProblem({ operations: 300, seed: 4 }),
    );
  });

  it('is schedulable by the rules and survives the kerf JSON round trip', () => {
    const q = readKerf(JSON.stringify(toKerfJson(p)));
    const s = ruleSchedule(q, 'ATC');
    const v = validate(p, s);
    expect(v.violations).toEqual([]);
    expect(v.objective.setupMinutes).toBeGreaterThan(0);
  });
});
