/**
 * Labor minutes per operation when one person works several operations at once: each moment of
 * a person's time is shared equally by the operations they are on at that moment (two at once:
 * half each), so an hour of work is an hour of labor, however many jobs it was booked on. Machine
 * time is not this: it is the operation's own start to finish.
 */
export interface LaborSegment {
  routingId: string;
  employeeId: string;
  start: number;
  /** an open segment ends now */
  end: number;
}

export function laborMinutes(segments: readonly LaborSegment[]): Map<string, number> {
  const out = new Map<string, number>();
  const byEmployee = new Map<string, LaborSegment[]>();
  for (const s of segments) {
    if (s.end <= s.start) continue;
    byEmployee.set(s.employeeId, [...(byEmployee.get(s.employeeId) ?? []), s]);
  }
  for (const list of byEmployee.values()) {
    const cuts = [...new Set(list.flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i]!;
      const b = cuts[i + 1]!;
      const on = list.filter((s) => s.start <= a && s.end >= b);
      for (const s of on) out.set(s.routingId, (out.get(s.routingId) ?? 0) + (b - a) / 60_000 / on.length);
    }
  }
  return out;
}
