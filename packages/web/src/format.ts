/** Dates are shown in UTC for now (shift calendars are computed in UTC). */
export function fmt(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.slice(0, 16).replace('T', ' ');
}
export function fmtDay(iso: string): string {
  return iso.slice(0, 10);
}
export function hours(minutes: number): string {
  return `${(minutes / 60).toFixed(1)} h`;
}
/** Monday 00:00 UTC of the week containing `d`. */
export function mondayOf(d: Date): Date {
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  m.setUTCDate(m.getUTCDate() - ((m.getUTCDay() + 6) % 7));
  return m;
}
export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86_400_000);
}
