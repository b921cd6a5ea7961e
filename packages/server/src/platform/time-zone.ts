/**
 * Wall-clock time in the shop's time zone to UTC instants and back, with only Intl (no
 * dependency). Shifts are written in local time ("06:00"), so a plan across a daylight-saving
 * change must place them at the right UTC instant.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function assertTimeZone(timeZone: string): void {
  try {
    formatter(timeZone);
  } catch {
    throw new Error(`unknown time zone "${timeZone}" (use an IANA name such as America/Chicago)`);
  }
}

const HOUR = 3_600_000;
const OFFSET_CACHE_LIMIT = 200_000;
/** zone -> UTC hour -> the offset throughout that hour (hours with a change are not kept) */
const hourOffsets = new Map<string, Map<number, number>>();

/**
 * Offset of the zone from UTC at `utcMs`, in milliseconds (local = utc + offset). Asking Intl
 * costs microseconds and a calendar walk asks it several times per shift and day, so offsets
 * are kept per UTC hour: an hour whose first and last second have the same offset has it
 * throughout (zones change at most once in an hour), and an hour with a change is always
 * asked afresh.
 */
export function zoneOffsetMs(utcMs: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  let hours = hourOffsets.get(timeZone);
  if (!hours) {
    hours = new Map();
    hourOffsets.set(timeZone, hours);
  }
  const hour = Math.floor(utcMs / HOUR);
  const known = hours.get(hour);
  if (known !== undefined) return known;
  const first = intlOffsetMs(hour * HOUR, timeZone);
  const last = intlOffsetMs(hour * HOUR + HOUR - 1000, timeZone);
  if (first !== last) return intlOffsetMs(utcMs, timeZone);
  if (hours.size >= OFFSET_CACHE_LIMIT) hours.clear();
  hours.set(hour, first);
  return first;
}

function intlOffsetMs(utcMs: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The UTC instant of a local wall-clock time. In the spring-forward gap the wall time does not
 * exist and the result is the instant one offset later (06:00 stays 06:00; 02:30 becomes 03:30);
 * in the fall-back overlap the earlier instant is chosen.
 */
export function localToUtc(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * 60_000;
  const first = wall - zoneOffsetMs(wall, timeZone);
  const second = wall - zoneOffsetMs(first, timeZone);
  if (first === second) return first;
  // Ambiguous or missing: prefer the earlier candidate that maps back to the same wall time.
  const candidates = [first, second].sort((a, b) => a - b);
  for (const c of candidates) if (c + zoneOffsetMs(c, timeZone) === wall) return c;
  return Math.max(first, second);
}

/** Local calendar date (y, m, d) and weekday (0 = Monday) of a UTC instant. */
export function localDate(
  utcMs: number,
  timeZone: string,
): { year: number; month: number; day: number; weekday: number } {
  const local = new Date(utcMs + zoneOffsetMs(utcMs, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    weekday: (local.getUTCDay() + 6) % 7,
  };
}

export const isoDate = (y: number, m: number, d: number): string =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
