/**
 * Times and durations as a planner reads them, in the shop's time zone: "Tue 25 Nov 08:00",
 * "Tue 25 Nov 08:00-09:10", "2 h 10 min". Explanations are for people on the floor, who
 * think in wall-clock time, never in UTC.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: '2-digit',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(ms: number, timeZone: string): { day: string; time: string } {
  const p = formatter(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => p.find((x) => x.type === type)?.value ?? '';
  return { day: `${get('weekday')} ${get('day')} ${get('month')}`, time: `${get('hour')}:${get('minute')}` };
}

/** "Tue 25 Nov 08:00" */
export function formatInstant(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${p.day} ${p.time}`;
}

/** "Tue 25 Nov 08:00-09:10", or "Tue 25 Nov 14:00 - Wed 26 Nov 07:00" across days. */
export function formatRange(fromMs: number, toMs: number, timeZone: string): string {
  const a = parts(fromMs, timeZone);
  const b = parts(toMs, timeZone);
  return a.day === b.day ? `${a.day} ${a.time}-${b.time}` : `${a.day} ${a.time} - ${b.day} ${b.time}`;
}

/**
 * "40 min", "2 h 10 min", "3 d 4 h" (whole minutes, rounded). Amounts of work say hours
 * (largest 'h': "40 h", not "1 d 16 h", which would read as calendar time).
 */
export function formatMinutes(minutes: number, largest: 'd' | 'h' = 'd'): string {
  let m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  const d = largest === 'd' ? Math.floor(m / 1440) : 0;
  m -= d * 1440;
  const h = Math.floor(m / 60);
  m -= h * 60;
  return [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ');
}

/** "J-1042 and J-1051", "J-1, J-2 and 3 more": lists stay readable when many jobs share a conflict. */
export function formatList(items: readonly string[], max = 5): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length > max) return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
