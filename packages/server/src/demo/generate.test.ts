import { describe, expect, it } from 'vitest';
import { findCycle, resolveRoutingDependencies } from '../jobs/routing-rules.js';
import { addDays, parseDay, usHolidays, weekdayOf } from './calendar-dates.js';
import { generateDemoShop } from './generate.js';

const START = '2026-11-23'; // the Monday of Thanksgiving week 2026
const shop = generateDemoShop({ seed: 7, jobs: 150, startDate: START });

describe('demo shop generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const again = generateDemoShop({ seed: 7, jobs: 150, startDate: START });
    expect(JSON.stringify(again)).toBe(JSON.stringify(shop));
    const other = generateDemoShop({ seed: 8, jobs: 150, startDate: START });
    expect(JSON.stringify(other.jobs)).not.toBe(JSON.stringify(shop.jobs));
    expect(JSON.stringify(other.workCenters)).not.toBe(JSON.stringify(shop.workCenters));
  });

  it('has the departments, 20-30 work centers and the requested number of jobs', () => {
    const ids = shop.departments.map((d) => d.id);
    for (const id of ['laser', 'punch', 'weld', 'polish', 'assembly', 'ship']) expect(ids).toContain(id);
    expect(shop.workCenters.length).toBeGreaterThanOrEqual(20);
    expect(shop.workCenters.length).toBeLessThanOrEqual(30);
    for (const c of shop.workCenters) {
      expect(ids).toContain(c.departmentId);
      expect(c.efficiencyFactor).toBeGreaterThanOrEqual(0.75);
      expect(c.efficiencyFactor).toBeLessThanOrEqual(0.95);
    }
    expect(shop.jobs).toHaveLength(150);
    expect(generateDemoShop({ seed: 7, jobs: 37, startDate: START }).jobs).toHaveLength(37);
    expect(new Set(shop.jobs.map((j) => j.jobNumber)).size).toBe(150);
  });

  it('gives every job 1-4 parts in stock materials and a 3-7 step routing on existing center types', () => {
    const types = new Set(shop.workCenters.map((c) => c.machineType));
    const typeOf = new Map(shop.workCenters.map((c) => [c.id, c.machineType]));
    const stock = new Set(shop.materials.map((m) => `${m.code}@${m.thickness}`));
    const customers = new Set(shop.customers.map((c) => c.code));
    for (const job of shop.jobs) {
      expect(customers.has(job.customerCode)).toBe(true);
      expect(job.quantity).toBeGreaterThanOrEqual(1);
      expect(job.quantity).toBeLessThanOrEqual(40);
      expect(job.parts!.length).toBeGreaterThanOrEqual(1);
      expect(job.parts!.length).toBeLessThanOrEqual(4);
      for (const p of job.parts!) {
        expect(stock.has(`${p.materialCode}@${p.thickness}`)).toBe(true);
        expect(p.dxfPath).toBe(`//cad/dxf/${p.partNumber}.dxf`);
      }
      const steps = job.routings!;
      expect(steps.length).toBeGreaterThanOrEqual(3);
      expect(steps.length).toBeLessThanOrEqual(7);
      for (const r of steps) {
        expect(types.has(r.workCenterType)).toBe(true);
        if (r.preferredWorkCenterId) expect(typeOf.get(r.preferredWorkCenterId)).toBe(r.workCenterType);
        if (r.workCenterType === 'laser') expect(r.setupCategory).toMatch(/^(SS304|SS316|CRS|GALV)-\d+GA$/);
      }
      expect(steps[steps.length - 1]!.workCenterType).toBe('ship');
    }
  });

  it('writes routings whose dependencies form a DAG within the job, with joins', () => {
    let joins = 0;
    let forks = 0;
    for (const job of shop.jobs) {
      // the API's own rule check: unique sequences, known steps, no cycle
      const deps = resolveRoutingDependencies(job.routings!);
      expect(findCycle(deps)).toBeUndefined();
      for (const list of deps.values()) if (list.length >= 2) joins++;
      const roots = [...deps.values()].filter((l) => l.length === 0).length;
      if (roots >= 2) forks++;
    }
    expect(joins).toBeGreaterThan(20);
    expect(forks).toBeGreaterThan(10);
  });

  it('has two-shift calendars, night shifts that cross midnight and Saturday work on bottleneck lasers', () => {
    const nights = shop.shifts.filter((s) => s.endTime <= s.startTime);
    expect(nights.length).toBeGreaterThan(0);
    for (const n of nights) expect(shop.workCenters.find((c) => c.id === n.workCenterId)!.machineType).toBe('laser');
    const weld = shop.shifts.filter((s) => s.workCenterId === 'WELD-01');
    expect(weld.map((s) => `${s.dayOfWeek}/${s.shiftNumber}`)).toHaveLength(10);
    const saturday = shop.shifts.filter((s) => s.dayOfWeek === 5);
    expect(saturday.length).toBeGreaterThan(0);
    for (const s of saturday) expect(shop.workCenters.find((c) => c.id === s.workCenterId)!.isBottleneck).toBe(true);
  });

  it('has real US holidays in the horizon and a maintenance day on a laser', () => {
    const holidays = shop.exceptions.filter((e) => e.exceptionType === 'holiday');
    const dates = holidays.map((h) => h.exceptionDate);
    expect(dates).toEqual(expect.arrayContaining(['2026-11-26', '2026-11-27', '2026-12-24', '2026-12-25']));
    for (const h of holidays) expect(h.workCenterId).toBeNull();
    const maintenance = shop.exceptions.filter((e) => e.exceptionType === 'maintenance');
    expect(maintenance).toHaveLength(1);
    expect(maintenance[0]!.workCenterId).toMatch(/^LASER-/);
  });

  it('draws priorities near 10/20/55/15 % and due dates on working days within four weeks', () => {
    const big = generateDemoShop({ seed: 11, jobs: 2000, startDate: START });
    const share = (p: number) => big.jobs.filter((j) => j.priority === p).length / big.jobs.length;
    expect(share(1)).toBeCloseTo(0.1, 1);
    expect(share(2)).toBeCloseTo(0.2, 1);
    expect(share(3)).toBeCloseTo(0.55, 1);
    expect(share(4)).toBeCloseTo(0.15, 1);
    const statuses = big.jobs.map((j) => j.status);
    const mostly = statuses.filter((s) => s === 'planned' || s === 'released').length / statuses.length;
    expect(mostly).toBeGreaterThan(0.8);
    expect(statuses).toContain('in_progress');
    expect(statuses).toContain('on_hold');
    const start = parseDay(START);
    const holidays = new Set(big.exceptions.filter((e) => e.workCenterId === null).map((e) => e.exceptionDate));
    for (const j of big.jobs) {
      const due = new Date(j.dueDate);
      expect(due > start && due < addDays(start, 31)).toBe(true);
      expect(weekdayOf(due)).toBeLessThan(5);
      expect(holidays.has(j.dueDate.slice(0, 10))).toBe(false);
    }
  });
});

describe('US plant holidays', () => {
  it('moves fixed-date holidays off weekends', () => {
    const list = usHolidays(parseDay('2027-01-01'), parseDay('2028-01-01'));
    const byName = Object.fromEntries(list.map((h) => [h.name, h.date]));
    expect(byName['Independence Day']).toBe('2027-07-05'); // July 4 2027 is a Sunday
    expect(byName['Thanksgiving Day']).toBe('2027-11-25');
    expect(byName['Christmas Day']).toBe('2027-12-24'); // Dec 25 2027 is a Saturday
    expect(byName["New Year's Day"]).toBe('2027-12-31'); // Jan 1 2028 is a Saturday
    expect(byName['Memorial Day']).toBe('2027-05-31');
    expect(byName['Labor Day']).toBe('2027-09-06');
  });
});
