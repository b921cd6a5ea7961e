import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, TEST_DB, type TestApp } from '../test/harness.js';
import { generateDemoShop } from './generate.js';
import { loadDemoShop, loadDemoShopIfEmpty, shopCounts, type DemoSummary } from './load-demo.js';

const START = '2026-11-23';
let t: TestApp;
let summary: DemoSummary;
const lines: string[] = [];

beforeAll(async () => {
  t = await testApp();
  const loaded = await loadDemoShopIfEmpty(t.database.db, { seed: 5, jobs: 150, startDate: START }, (l) =>
    lines.push(l),
  );
  if (!loaded) throw new Error('the demo did not load into an empty database');
  summary = loaded;
  // Measured, not asserted: the number goes into the report and depends on the machine.
  console.log(`demo load on ${TEST_DB}: ${summary.milliseconds} ms, ${summary.slots} slots`);
});
afterAll(async () => t?.close());

async function total(path: string): Promise<number> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/${path}${path.includes('?') ? '&' : '?'}limit=1`,
    headers: bearer(t.tokens.operator),
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { total: number }).total;
}

const one = async <T>(text: string): Promise<T> => (await t.database.query<T>(text))[0]!;

describe('loading the demo shop', () => {
  it('shows the generated counts through the API', async () => {
    const shop = generateDemoShop({ seed: 5, jobs: 150, startDate: START });
    expect(await total('departments')).toBe(shop.departments.length);
    expect(await total('work-centers')).toBe(shop.workCenters.length);
    expect(await total('shift-calendars')).toBe(shop.shifts.length);
    expect(await total('calendar-exceptions')).toBe(shop.exceptions.length);
    expect(await total('customers')).toBe(shop.customers.length);
    expect(await total('materials')).toBe(shop.materials.length);
    expect(await total('jobs')).toBe(150);
    expect(await total('jobs?status=released')).toBe(shop.jobs.filter((j) => j.status === 'released').length);
    expect(await total('schedule-slots')).toBe(summary.slots);
    expect(summary.slots).toBeGreaterThan(20);
    const routings = await one<{ n: string }>('SELECT count(*) AS n FROM job_routings');
    expect(Number(routings.n)).toBe(summary.routings);
    expect(lines.filter((l) => /\d+\/150 jobs/.test(l))).toHaveLength(6);
  });

  it('keeps the routing DAG: a job detail lists its joins as sequences', async () => {
    const shop = generateDemoShop({ seed: 5, jobs: 150, startDate: START });
    const withJoin = shop.jobs.find((j) => j.routings!.some((r) => (r.dependsOn ?? []).length >= 2))!;
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/jobs?q=${withJoin.jobNumber}`,
      headers: bearer(t.tokens.operator),
    });
    const id = (list.json() as { items: Array<{ id: string }> }).items[0]!.id;
    const job = (
      await t.app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: bearer(t.tokens.operator) })
    ).json() as {
      routings: Array<{ sequence: number; dependsOn: number[] }>;
    };
    expect(job.routings.map((r) => [r.sequence, r.dependsOn])).toEqual(
      withJoin.routings!.map((r) => [r.sequence, r.dependsOn]),
    );
  });

  it('books no overlapping slots on a work center', async () => {
    const row = await one<{ n: string }>(`
      SELECT count(*) AS n FROM schedule_slots a JOIN schedule_slots b
        ON a.work_center_id = b.work_center_id AND a.id < b.id
       AND a.planned_start < b.planned_end AND b.planned_start < a.planned_end`);
    expect(Number(row.n)).toBe(0);
  });

  it('books every slot after all its predecessors, on a center of the right type, for released or started jobs', async () => {
    const late = await one<{ n: string }>(`
      SELECT count(*) AS n
        FROM schedule_slots s
        JOIN job_routings r ON r.id = s.routing_id
        CROSS JOIN LATERAL jsonb_array_elements_text(r.dependencies) AS d(dep)
        LEFT JOIN schedule_slots p ON p.routing_id = d.dep::uuid
       WHERE p.id IS NULL OR p.planned_end > s.planned_start`);
    expect(Number(late.n)).toBe(0);
    const wrong = await one<{ n: string }>(`
      SELECT count(*) AS n FROM schedule_slots s
        JOIN job_routings r ON r.id = s.routing_id
        JOIN work_centers w ON w.id = s.work_center_id
        JOIN jobs j ON j.id = r.job_id
       WHERE w.machine_type <> r.work_center_type OR j.status NOT IN ('released', 'in_progress')`);
    expect(Number(wrong.n)).toBe(0);
    const holiday = await one<{ n: string }>(`
      SELECT count(*) AS n FROM schedule_slots s JOIN calendar_exceptions e
        ON e.work_center_id IS NULL AND e.exception_date = (s.planned_start AT TIME ZONE 'UTC')::date`);
    expect(Number(holiday.n)).toBe(0);
  });

  it('writes one audit row for the demo and leaves a non-empty shop alone', async () => {
    const audit = await one<{ n: string }>("SELECT count(*) AS n FROM audit_log WHERE entity = 'demo_shop'");
    expect(Number(audit.n)).toBe(1);
    const again = await loadDemoShopIfEmpty(t.database.db, { seed: 6, jobs: 10, startDate: START }, () => undefined);
    expect(again).toBeUndefined();
    expect(await shopCounts(t.database.db)).toEqual({ workCenters: summary.workCenters, jobs: 150 });
  });

  it('produces records the API accepts as they are', async () => {
    const shop = generateDemoShop({ seed: 5, jobs: 150, startDate: START });
    const h = bearer(t.tokens.admin);
    const center = { ...shop.workCenters[0]!, id: 'LASER-09' };
    const wc = await t.app.inject({ method: 'POST', url: '/api/v1/work-centers', headers: h, payload: center });
    expect(wc.statusCode, wc.body).toBe(201);
    const customers = (
      await t.app.inject({ method: 'GET', url: '/api/v1/customers?limit=100', headers: h })
    ).json() as {
      items: Array<{ id: string; code: string }>;
    };
    for (const { customerCode, ...job } of shop.jobs.slice(0, 5)) {
      const customerId = customers.items.find((c) => c.code === customerCode)!.id;
      const payload = { ...job, jobNumber: `${job.jobNumber}-API`, customerId };
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: h, payload });
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  it('loads all or nothing: a clash part-way leaves no trace', async () => {
    const shop = generateDemoShop({ seed: 9, jobs: 3, startDate: START });
    // Fresh department ids go in first; the work centers then clash with the loaded ones.
    shop.departments = shop.departments.map((d) => ({ ...d, id: `${d.id}-2` }));
    shop.workCenters = shop.workCenters.map((c) => ({ ...c, departmentId: `${c.departmentId}-2` }));
    await expect(loadDemoShop(t.database.db, shop, () => undefined)).rejects.toThrow();
    expect(await total('departments')).toBe(7);
  });
});
