const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * MTConnect timestamps are UTC; 1.x agents often drop the `Z` (`2014-06-06T20:15:06.0688`) and
 * adapters send up to 7 fractional digits. Returns ISO 8601 with Z at millisecond precision, or null
 * when the text is not a time at all (the 1.0 sample template literally says "TIME").
 */
export function normalizeTimestamp(text: string | undefined): string | null {
  if (text === undefined) return null;
  const m = ISO_LIKE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '00', frac = '', zone] = m;
  const ms = frac === '' ? '000' : frac.slice(0, 3).padEnd(3, '0');
  let offset = 'Z';
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    offset = zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  }
  const time = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset}`);
  if (Number.isNaN(time)) return null;
  const iso = new Date(time).toISOString();
  // Date.parse accepts overflowing fields (Feb 30 -> Mar 2); reject them instead of shifting silently.
  if (offset === 'Z' && iso.slice(0, 19) !== `${y}-${mo}-${d}T${h}:${mi}:${s}`) return null;
  return iso;
}
