import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoShopIfEmpty } from '../demo/load-demo.js';
import { bearer, testApp, TEST_DB, type TestApp } from '../test/harness.js';
import type { BottleneckReport } from './bottlenecks/bottleneck-service.js';
import type { ConflictReport } from './conflicts/conflict-service.js';

// The demo shop (150 jobs, ten days of its forward schedule): both reports answer
// quickly, and the rules the demo schedule keeps by construction (right type, no overlap,
// predecessors first) show no conflict. Times are printed, not asserted: they depend on the machine.
describe('analysis on the demo shop', () => {
  let t: TestApp;
  const START = '2026-11-23';
  const timed = async <T>(url: string): Promise<{ body: T; ms: number }> => {
    const t0 = performance.now();
    const res = await t.app.inject({ method: 'GET', url, headers: bearer(t.tokens.production_manager) });
    const ms = Math.round(performance.now() - t0);
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.json() as T, ms };
  };

  beforeAll(async () => {
    t = await testApp();
    // Ten days of slots: about the size of the schedule the issue names (~700 slots).
    await loadDemoShopIfEmpty(t.database.db, { seed: 5, jobs: 150, startDate: START }, () => undefined, {
      slotDays: 10,
    });
  });
  afterAll(async () => t?.close());

  it('reports conflicts with explanations, none of the kinds the demo schedule rules out', async () => {
    await timed('/api/v1/conflicts'); // warm-up: first queries plan and JIT
    const { body, ms } = await timed<ConflictReport>('/api/v1/conflicts');
    const slots = (await t.database.query<{ n: string }>(`SELECT count(*) AS n FROM schedule_slots`))[0]!.n;
    console.log(`conflicts on ${TEST_DB}: ${ms} ms over ${slots} slots; ${JSON.stringify(body.counts)}`);
    expect(body.counts).toMatchObject({ overlap: 0, wrong_type: 0, precedence: 0, work_center_down: 0 });
    for (const c of body.items) expect(c.explanation.length).toBeGreaterThan(20);
    if (process.env.KERF_ANALYSIS_SAMPLE) console.log(JSON.stringify(body.items.slice(0, 2), null, 2));
  });

  it('ranks the work centers over the first two weeks', async () => {
    const url = `/api/v1/bottlenecks?from=${START}T00:00:00Z&to=2026-12-07T00:00:00Z`;
    await timed(url);
    const { body, ms } = await timed<BottleneckReport>(url);
    console.log(
      `bottlenecks on ${TEST_DB}: ${ms} ms; top: ${body.workCenters
        .slice(0, 3)
        .map((c) => c.reason)
        .join(' | ')}`,
    );
    expect(body.workCenters.length).toBeGreaterThan(10);
    if (process.env.KERF_ANALYSIS_SAMPLE)
      console.log(
        JSON.stringify(
          { ...body, workCenters: body.workCenters.slice(0, 1), departments: body.departments.slice(0, 1) },
          null,
          2,
        ),
      );
    expect(body.workCenters.filter((c) => c.suggestBottleneck).length).toBeLessThanOrEqual(3);
    expect(body.departments.every((d) => d.days.length === 14 && d.weeks.length === 2)).toBe(true);
  });
});
