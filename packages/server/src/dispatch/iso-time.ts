/**
 * ISO-8601 UTC text of epoch milliseconds, as Date.prototype.toISOString writes it, for the
 * queue response: a 1,000-operation queue formats three instants per item and toISOString
 * costs microseconds each, more than the ranking itself. Days are cached (a queue spans a few
 * weeks); the time of day is plain arithmetic.
 */
const days = new Map<number, string>();
const DAY = 86_400_000;
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

export function isoUtc(ms: number): string {
  const day = Math.floor(ms / DAY);
  let prefix = days.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    if (days.size > 10_000) days.clear();
    days.set(day, prefix);
  }
  const t = ms - day * DAY;
  const milli = t % 1000;
  const sec = Math.floor(t / 1000);
  const millis = milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : String(milli);
  return `${prefix}${two(Math.floor(sec / 3600))}:${two(Math.floor(sec / 60) % 60)}:${two(sec % 60)}.${millis}Z`;
}
