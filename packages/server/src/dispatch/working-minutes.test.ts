import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisShop } from '../analysis/analysis-test-shop.js';
import { testApp, type TestApp } from '../test/harness.js';
import { getQueue } from './queue-service.js';

/**
 * CR and SLACK count the time until due in the center's working minutes, as the planner counts
 * capacity. WELD-01 works 06:00-14:00 Monday to Friday (UTC); now is Friday 4 Dec 13:00.
 * A is due Monday 08:00 with 150 min left: 60 + 120 working minutes until due, slack 30 (wall
 * clock: 4,020 min, slack 3,870). B is due Friday 14:00 with 20 min left: 60 until due, slack 40.
 * On the working clock A is the tighter one; on the wall clock the weekend hides it.
 */
describe('dispatch ranks CR and SLACK in working minutes', () => {
  let t: TestApp;
  const slots: Record<string, string> = {};
  const now = Date.parse('2026-12-04T13:00:00Z');
  const weldOnly = (minutes: number) => ({
    quantity: 1,
    routings: [
      { sequence: 10, operationCode: 'WELD', workCenterType: 'weld', setupMinutes: 0, runMinutesPerUnit: minutes },
    ],
  });

  beforeAll(async () => {
    t = await testApp();
    const shop = analysisShop(t);
    await shop.seed();
    await shop.weekdayShifts('WELD-01');
    const a = await shop.job('J-A', { ...weldOnly(150), dueDate: '2026-12-07T08:00:00Z' });
    const b = await shop.job('J-B', { ...weldOnly(20), dueDate: '2026-12-04T14:00:00Z' });
    // B is booked first, so plan order alone would not put A first
    slots.b = await shop.slot(b.r[10]!, 'WELD-01', '2026-12-04T13:00:00Z', '2026-12-04T13:20:00Z');
    slots.a = await shop.slot(a.r[10]!, 'WELD-01', '2026-12-07T06:00:00Z', '2026-12-07T08:30:00Z');
  });
  afterAll(async () => t.close());

  it('SLACK and CR put the job due after the weekend first, and show working minutes', async () => {
    for (const rule of ['SLACK', 'CR'] as const) {
      const q = await getQueue(t.database.db, 'WELD-01', { rule, now }, 'UTC');
      expect(
        q.items.map((i) => i.jobNumber),
        rule,
      ).toEqual(['J-A', 'J-B']);
    }
    const q = await getQueue(t.database.db, 'WELD-01', { rule: 'SLACK', now }, 'UTC');
    expect(q.items.map((i) => [i.jobNumber, i.slackMinutes, i.criticalRatio])).toEqual([
      ['J-A', 30, 1.2],
      ['J-B', 40, 3],
    ]);
    // EDD is about dates, not capacity: B is due first
    const edd = await getQueue(t.database.db, 'WELD-01', { rule: 'EDD', now }, 'UTC');
    expect(edd.items.map((i) => i.jobNumber)).toEqual(['J-B', 'J-A']);
  });
});
