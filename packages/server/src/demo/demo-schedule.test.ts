import { describe, expect, it } from 'vitest';
import { centerIntervals, forwardSchedule, type ScheduleInput, type ScheduleJob } from './demo-schedule.js';
import { generateDemoShop } from './generate.js';
import { isWorking } from './interval-fit.js';

const START = '2026-11-23'; // Thanksgiving (Thu 26) and the day after are plant holidays

function inputFor(timeZone: string, days: number): ScheduleInput {
  const shop = generateDemoShop({ seed: 3, jobs: 150, startDate: START });
  const jobs: ScheduleJob[] = shop.jobs
    .filter((j) => j.status === 'released' || j.status === 'in_progress')
    .map((j) => ({
      jobNumber: j.jobNumber,
      priority: j.priority ?? 3,
      dueDate: j.dueDate,
      steps: j.routings!.map((r) => ({
        routingId: `${j.jobNumber}/${r.sequence}`,
        sequence: r.sequence,
        workCenterType: r.workCenterType,
        preferredWorkCenterId: r.preferredWorkCenterId ?? null,
        setupMinutes: r.setupMinutes ?? 0,
        runMinutesPerUnit: r.runMinutesPerUnit,
        quantity: r.quantity ?? j.quantity,
        dependsOn: r.dependsOn ?? [],
      })),
    }));
  return {
    startDate: START,
    days,
    centers: shop.workCenters,
    shifts: shop.shifts,
    exceptions: shop.exceptions,
    jobs,
    timeZone,
  };
}

describe('demo forward schedule', () => {
  for (const timeZone of ['UTC', 'America/Chicago']) {
    it(`books steps without overlaps, after their predecessors, inside shift hours (${timeZone})`, () => {
      const input = inputFor(timeZone, 8);
      const slots = forwardSchedule(input);
      expect(slots.length).toBeGreaterThan(50);
      const intervals = centerIntervals(input);
      const typeOf = new Map(input.centers.map((c) => [c.id, c.machineType]));
      const steps = new Map(
        input.jobs.flatMap((j) => j.steps.map((s) => [s.routingId, { job: j.jobNumber, ...s }] as const)),
      );
      const slotOf = new Map(slots.map((s) => [s.routingId, s]));
      expect(slotOf.size).toBe(slots.length);
      for (const slot of slots) {
        const step = steps.get(slot.routingId)!;
        expect(typeOf.get(slot.workCenterId)).toBe(step.workCenterType);
        if (step.preferredWorkCenterId) expect(slot.workCenterId).toBe(step.preferredWorkCenterId);
        expect(slot.end.getTime()).toBeGreaterThan(slot.start.getTime());
        expect(isWorking(intervals.get(slot.workCenterId)!, slot.start.getTime())).toBe(true);
        for (const dep of step.dependsOn) {
          const before = slotOf.get(`${step.job}/${dep}`);
          expect(before, `${slot.routingId} booked before its predecessor ${dep}`).toBeDefined();
          expect(before!.end.getTime()).toBeLessThanOrEqual(slot.start.getTime());
        }
      }
      const byCenter = new Map<string, typeof slots>();
      for (const s of slots) byCenter.set(s.workCenterId, [...(byCenter.get(s.workCenterId) ?? []), s]);
      for (const list of byCenter.values()) {
        const sorted = [...list].sort((a, b) => a.start.getTime() - b.start.getTime());
        for (let i = 1; i < sorted.length; i++)
          expect(sorted[i]!.start.getTime()).toBeGreaterThanOrEqual(sorted[i - 1]!.end.getTime());
      }
    });
  }

  it('starts nothing on the Thanksgiving holidays and nothing after the booking window', () => {
    const slots = forwardSchedule(inputFor('UTC', 8));
    const days = new Set(slots.map((s) => s.start.toISOString().slice(0, 10)));
    expect(days.has('2026-11-26')).toBe(false);
    expect(days.has('2026-11-27')).toBe(false);
    // The bottleneck lasers work through the night; shipping works days only.
    const intervals = centerIntervals(inputFor('UTC', 8));
    expect(isWorking(intervals.get('LASER-01')!, Date.parse('2026-11-24T02:00:00Z'))).toBe(true);
    expect(isWorking(intervals.get('SHIP-01')!, Date.parse('2026-11-24T16:00:00Z'))).toBe(false);
    for (const s of slots) expect(s.start < new Date('2026-12-01T00:00:00Z')).toBe(true);
  });

  it('is deterministic', () => {
    const a = forwardSchedule(inputFor('UTC', 3));
    const b = forwardSchedule(inputFor('UTC', 3));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
