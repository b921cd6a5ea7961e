import { bearer, type TestApp } from '../test/harness.js';
import { sampleJob, seedMiniShop } from '../test/fixtures.js';

/**
 * Test support for the analysis module: the mini shop, shifts, jobs and slots through the API,
 * and slots through SQL for the situations the API refuses (overlaps, wrong types).
 * Week used throughout: Mon 2026-11-30 .. Sun 2026-12-06 (tests run in UTC).
 */
export function analysisShop(t: TestApp) {
  const post = async (
    url: string,
    payload: object,
    role: 'admin' | 'supervisor' = 'admin',
  ): Promise<Record<string, unknown>> => {
    const res = await t.app.inject({ method: 'POST', url, headers: bearer(t.tokens[role]), payload });
    if (res.statusCode !== 201) throw new Error(`${url} -> ${res.statusCode} ${res.body}`);
    return res.json() as Record<string, unknown>;
  };
  return {
    post,
    seed: () => seedMiniShop(t.app, t.tokens.admin),
    /** one shift Monday to Friday, 06:00-14:00 unless told otherwise */
    weekdayShifts: async (
      workCenterId: string,
      startTime = '06:00',
      endTime = '14:00',
      breaks: Array<{ start: string; end: string }> = [],
    ) => {
      for (let day = 0; day < 5; day++) {
        await post('/api/v1/shift-calendars', {
          name: 'Day',
          workCenterId,
          dayOfWeek: day,
          shiftNumber: 1,
          startTime,
          endTime,
          breaks,
        });
      }
    },
    stock: (code: string, thickness: number, quantity: number) =>
      post('/api/v1/materials', {
        code,
        thickness,
        sheetWidth: 60,
        sheetLength: 120,
        quantity,
        location: `RACK-${code}-${quantity}`,
      }),
    /** the sample job (CUT 10, CUT-LEGS 20, FORM 30 after 10, WELD 40 after 20 and 30); returns routing ids by sequence */
    job: async (
      jobNumber: string,
      overrides: Record<string, unknown> = {},
    ): Promise<{ id: string; r: Record<number, string> }> => {
      const job = (await post('/api/v1/jobs', { ...sampleJob(jobNumber), ...overrides })) as {
        id: string;
        routings: Array<{ id: string; sequence: number }>;
      };
      return { id: job.id, r: Object.fromEntries(job.routings.map((x) => [x.sequence, x.id])) };
    },
    slot: async (routingId: string, workCenterId: string, plannedStart: string, plannedEnd: string): Promise<string> =>
      (await post('/api/v1/schedule-slots', { routingId, workCenterId, plannedStart, plannedEnd }, 'supervisor'))
        .id as string,
    /** bypasses the API's overlap and type checks, as an import or a direct edit could */
    sqlSlot: async (
      routingId: string,
      workCenterId: string,
      plannedStart: string,
      plannedEnd: string,
    ): Promise<string> => {
      const rows = await t.database.query<{ id: string }>(
        'INSERT INTO schedule_slots (routing_id, work_center_id, planned_start, planned_end) VALUES ($1, $2, $3, $4) RETURNING id',
        [routingId, workCenterId, plannedStart, plannedEnd],
      );
      return rows[0]!.id;
    },
    get: async <T>(url: string, role: 'operator' | 'supervisor' | 'admin' = 'supervisor'): Promise<T> => {
      const res = await t.app.inject({ method: 'GET', url, headers: bearer(t.tokens[role]) });
      if (res.statusCode !== 200) throw new Error(`${url} -> ${res.statusCode} ${res.body}`);
      return res.json() as T;
    },
  };
}
