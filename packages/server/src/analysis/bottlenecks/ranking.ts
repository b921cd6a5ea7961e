import { formatList, formatMinutes } from '../format.js';

/** Utilisation at or above this is a bottleneck candidate (85 %: the world-class OEE line, handbook). */
export const UTILISATION_THRESHOLD_PCT = 85;
/** Only the top few are suggested: a plant where everything is a bottleneck has none. */
export const MAX_SUGGESTIONS = 3;

export interface RankInput {
  id: string;
  loadMinutes: number;
  capacityMinutes: number;
  utilisationPct: number | null;
  peakDay?: { key: string; utilisationPct: number } | null;
  lateJobNumbers: string[];
}

export interface RankResult {
  rank: number;
  suggestBottleneck: boolean;
  reason: string;
}

/**
 * Ranks work centers by utilisation over the window (highest first; no capacity last), then by
 * how many late jobs they are critical for. Centers at or above the threshold, or on the
 * critical path of a late job, qualify; the first MAX_SUGGESTIONS qualifying ones in rank
 * order get suggestBottleneck. The reason says why in words, for every center.
 */
export function rankCenters(centers: readonly RankInput[]): Map<string, RankResult> {
  const ordered = [...centers].sort(
    (a, b) =>
      (b.utilisationPct ?? -1) - (a.utilisationPct ?? -1) ||
      b.lateJobNumbers.length - a.lateJobNumbers.length ||
      a.id.localeCompare(b.id),
  );
  const out = new Map<string, RankResult>();
  let suggested = 0;
  ordered.forEach((c, i) => {
    const busy = c.utilisationPct !== null && c.utilisationPct >= UTILISATION_THRESHOLD_PCT;
    const critical = c.lateJobNumbers.length > 0;
    const suggest = (busy || critical) && suggested < MAX_SUGGESTIONS;
    if (suggest) suggested++;
    // The peak day only adds information when it stands out from the window's average.
    const peak =
      c.peakDay && c.utilisationPct !== null && c.peakDay.utilisationPct > c.utilisationPct
        ? `, peak ${c.peakDay.utilisationPct} % on ${c.peakDay.key}`
        : '';
    const load =
      c.utilisationPct === null
        ? c.loadMinutes > 0
          ? `${formatMinutes(c.loadMinutes, 'h')} planned with no capacity in the window`
          : 'nothing planned and no capacity in the window'
        : `loaded to ${c.utilisationPct} % (${formatMinutes(c.loadMinutes, 'h')} planned of ${formatMinutes(c.capacityMinutes, 'h')} capacity${peak})`;
    const path = critical
      ? `on the critical path of ${c.lateJobNumbers.length} late job${c.lateJobNumbers.length === 1 ? '' : 's'} (${formatList(c.lateJobNumbers)})`
      : "on no late job's critical path";
    const verdict = suggest
      ? 'suggested bottleneck'
      : busy || critical
        ? `a candidate, but ranked below the top ${MAX_SUGGESTIONS}`
        : 'not a bottleneck';
    out.set(c.id, { rank: i + 1, suggestBottleneck: suggest, reason: `${c.id} is ${load} and ${path}: ${verdict}.` });
  });
  return out;
}
