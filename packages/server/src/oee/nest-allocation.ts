/**
 * One sheet program (nest) feeds several jobs: its actual run time is shared among them in
 * proportion to their ideal time on it (parts x ideal minutes per part), so each job's
 * performance is judged against its own share and scrap booked to one job changes only that
 * job's quality.
 */
export interface NestShare {
  jobId: string;
  parts: number;
  idealMinutesPerPart: number;
}

export function allocateNestTime(shares: readonly NestShare[], actualMinutes: number): Map<string, number> {
  const ideal = shares.map((s) => s.parts * s.idealMinutesPerPart);
  const sum = ideal.reduce((a, b) => a + b, 0);
  const out = new Map<string, number>();
  shares.forEach((s, i) => {
    out.set(
      s.jobId,
      (out.get(s.jobId) ?? 0) + (sum > 0 ? (actualMinutes * ideal[i]!) / sum : actualMinutes / shares.length),
    );
  });
  return out;
}
