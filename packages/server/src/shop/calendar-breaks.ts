import { invalid } from '../platform/errors.js';
import { breakSpanMinutes, shiftSpanMinutes } from './calendar-walk.js';

/**
 * Breaks must lie inside their shift and not overlap one another, or working time would count
 * a break twice or take minutes from outside the shift. Refused as 400 naming `breaks[i]`.
 */
export function checkBreaks(
  startTime: string,
  endTime: string,
  breaks: ReadonlyArray<{ start: string; end: string }>,
): void {
  const [shiftStart, shiftEnd] = shiftSpanMinutes(startTime, endTime);
  const spans = breaks.map((b, i) => {
    if (b.start.slice(0, 5) === b.end.slice(0, 5)) throw invalid(`breaks[${i}]`, 'a break cannot be empty');
    const [a, z] = breakSpanMinutes(shiftStart, b.start, b.end);
    if (a < shiftStart || z > shiftEnd)
      throw invalid(`breaks[${i}]`, `${b.start}-${b.end} is not inside the shift ${startTime}-${endTime}`);
    return { i, a, z };
  });
  spans.sort((p, q) => p.a - q.a);
  for (let k = 1; k < spans.length; k++) {
    if (spans[k]!.a < spans[k - 1]!.z) throw invalid(`breaks[${spans[k]!.i}]`, `overlaps breaks[${spans[k - 1]!.i}]`);
  }
}
