/**
 * Working time of the work centers in a window, as the server's shop calendar answers it
 * (GET /api/v1/working-time: shifts in the shop's time zone, breaks and exceptions applied).
 * The browser does not derive it: one calendar decides what the planner shades and plans.
 */
import { useQuery } from '@tanstack/react-query';
import { client, ok } from '../../api/client';
import type { paths } from '../../api/schema';

export type WorkingTime = paths['/api/v1/working-time']['get']['responses'][200]['content']['application/json'];

export interface Interval {
  start: number;
  end: number;
}

/** Working intervals per work center (UTC ms), from the server's answer. */
export function intervalsByWorkCenter(w: WorkingTime): Map<string, Interval[]> {
  return new Map(
    w.workCenters.map((c) => [
      c.workCenterId,
      c.intervals.map((i) => ({ start: Date.parse(i.start), end: Date.parse(i.end) })),
    ]),
  );
}

/** Working time of every work center in [from, to), refreshed like the other shop data. */
export const useWorkingTime = (from: number, to: number) =>
  useQuery({
    queryKey: ['working-time', from, to],
    queryFn: () =>
      ok(
        client.GET('/api/v1/working-time', {
          params: { query: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } },
        }),
      ),
    staleTime: 60_000,
  });

/** The complement of sorted working intervals in [from, to). */
export function nonWorkingTime(working: readonly Interval[], from: number, to: number): Interval[] {
  const gaps: Interval[] = [];
  let cursor = from;
  for (const w of working) {
    if (w.start > cursor) gaps.push({ start: cursor, end: Math.min(w.start, to) });
    cursor = Math.max(cursor, w.end);
  }
  if (cursor < to) gaps.push({ start: cursor, end: to });
  return gaps.filter((g) => g.end > g.start);
}
