/**
 * Times are shown in the shop's time zone (the server's KERF_TIMEZONE, read once after login
 * from GET /shop-settings), not the browser's: a planner working from home in another zone
 * must see the same shift times as the floor. Daylight saving is handled through Intl.
 */

let zone = 'UTC';
let parts: Intl.DateTimeFormat = formatter('UTC');

// Offsets change only on quarter hours of UTC, so one lookup per quarter hour serves every
// instant in it: thousands of bars and calendar days cost a Map read each.
const QUARTER = 15 * 60_000;
let offsets = new Map<number, number>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

/** Sets the shop time zone; an unknown zone falls back to UTC rather than breaking every page. */
export function setShopZone(timeZone: string): void {
  try {
    parts = formatter(timeZone);
    zone = timeZone;
  } catch {
    parts = formatter('UTC');
    zone = 'UTC';
  }
  offsets = new Map();
}

export function shopZone(): string {
  return zone;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Monday */
  weekday: number;
}

/** Minutes the shop's clock is ahead of UTC at an instant, read from Intl (slow: cached below). */
function intlOffset(ms: number): number {
  const p: Record<string, string> = {};
  for (const x of parts.formatToParts(new Date(ms))) p[x.type] = x.value;
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return Math.round((asUtc - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

/** Minutes the shop's clock is ahead of UTC at an instant. */
export function offsetMinutes(ms: number): number {
  const q = Math.floor(ms / QUARTER);
  let o = offsets.get(q);
  if (o === undefined) {
    if (offsets.size > 100_000) offsets = new Map();
    o = zone === 'UTC' ? 0 : intlOffset(q * QUARTER);
    offsets.set(q, o);
  }
  return o;
}

/** The shop-local wall-clock parts of an instant. */
export function localParts(ms: number): LocalParts {
  const d = new Date(ms + offsetMinutes(ms) * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: (d.getUTCDay() + 6) % 7,
  };
}

/**
 * The instant of a shop-local wall-clock time (month 1-12; day and minutes may overflow). A time
 * skipped by a spring-forward change lands just after it; a repeated autumn hour takes the first.
 */
export function localToUtc(year: number, month: number, day: number, minutes = 0): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const o1 = offsetMinutes(wall);
  const t = wall - o1 * 60_000;
  const o2 = offsetMinutes(t);
  if (o2 === o1) return t;
  const t2 = wall - o2 * 60_000;
  return offsetMinutes(t2) === o2 ? t2 : Math.max(t, t2);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD HH:MM in the shop zone. */
export function fmt(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  const l = localParts(ms);
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`;
}

/** YYYY-MM-DD in the shop zone. */
export function fmtDay(iso: string | number): string {
  const l = localParts(typeof iso === 'number' ? iso : Date.parse(iso));
  return `${l.year}-${pad(l.month)}-${pad(l.day)}`;
}

export function hours(minutes: number): string {
  return `${(minutes / 60).toFixed(1)} h`;
}

/** Shop-local midnight starting the day of `d`. */
export function startOfDay(d: Date): Date {
  const l = localParts(d.getTime());
  return new Date(localToUtc(l.year, l.month, l.day));
}

/** Monday 00:00 shop time of the week containing `d`. */
export function mondayOf(d: Date): Date {
  const l = localParts(d.getTime());
  return new Date(localToUtc(l.year, l.month, l.day - l.weekday));
}

/** The same shop-local wall-clock time `days` later (a day is 23 or 25 hours across a DST change). */
export function addDays(d: Date, days: number): Date {
  const l = localParts(d.getTime());
  return new Date(localToUtc(l.year, l.month, l.day + days, l.hour * 60 + l.minute));
}

/** A `datetime-local` input's value (shop wall-clock) as an ISO instant, or null when empty/invalid. */
export function fromLocalInput(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  return new Date(localToUtc(y, mo, d, h * 60 + mi)).toISOString();
}

/** An instant as a `datetime-local` input value in shop time. */
export function toLocalInput(ms: number): string {
  const l = localParts(ms);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}`;
}
