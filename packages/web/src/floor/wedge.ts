/**
 * Keyboard-wedge scanners (USB or Bluetooth) type a code as a burst of keystrokes and end it
 * with Enter, Tab or CR, some with a prefix. A person types far slower than a scanner (about
 * 50 ms or more between keys), so a burst counts as a scan only when every gap is short; what a
 * person types into a field is left alone. Control characters some scanners leak are dropped.
 */
export interface WedgeOptions {
  /** the longest gap between two keystrokes of one scan (ms) */
  maxGapMs: number;
  /** the fewest characters a scan has (our codes are 8+) */
  minLength: number;
  /** characters a scanner is configured to send first (stripped), e.g. "]C0" */
  prefix: string;
}

export const DEFAULT_WEDGE: WedgeOptions = { maxGapMs: 35, minLength: 6, prefix: '' };

const TERMINATORS = new Set(['Enter', 'Tab']);

/** Strips control characters and the configured prefix. */
export function cleanScan(text: string, prefix = ''): string {
  // eslint-disable-next-line no-control-regex
  let out = text.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (prefix && out.startsWith(prefix)) out = out.slice(prefix.length);
  return out;
}

/**
 * Feeds keystrokes (key and time) and answers a scan when a fast burst ends with a terminator.
 * Pure: the DOM listener below and the unit tests drive it with their own clock.
 */
export class WedgeDetector {
  private buffer = '';
  private last = -Infinity;
  private fast = true;

  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE) {}

  /** Answers the scanned text when this key completes a scan, else null. */
  key(key: string, at: number): string | null {
    const gap = at - this.last;
    this.last = at;
    if (TERMINATORS.has(key)) {
      const text = this.buffer;
      const wasFast = this.fast;
      this.reset();
      if (gap > this.options.maxGapMs) return null;
      const clean = cleanScan(text, this.options.prefix);
      return wasFast && clean.length >= this.options.minLength ? clean : null;
    }
    if (key.length !== 1) return null; // Shift, arrows...: not part of a code
    if (gap > this.options.maxGapMs) {
      // a pause: whatever came before was typed by a person; this key may start a scan
      this.buffer = '';
      this.fast = true;
    }
    this.buffer += key;
    return null;
  }

  /** True while a burst is under way (the listener then keeps keys out of input fields). */
  inBurst(at: number): boolean {
    return this.buffer.length >= 2 && at - this.last <= this.options.maxGapMs;
  }

  private reset(): void {
    this.buffer = '';
    this.fast = true;
  }
}

/** Puts a field's value back so React sees it (its value tracker ignores a plain assignment). */
function restore(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  const proto = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Listens on the whole document (every screen), so a scan works whatever has focus. A scan
 * typed into a text field is taken out of it again, so codes never land in a search box.
 */
export function listenForScans(onScan: (text: string) => void, options: WedgeOptions = DEFAULT_WEDGE): () => void {
  const detector = new WedgeDetector(options);
  let typedInto: { el: HTMLInputElement | HTMLTextAreaElement; before: string } | null = null;
  const onKey = (e: KeyboardEvent) => {
    const now = performance.now();
    const target = e.target;
    const field = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ? target : null;
    const burst = detector.inBurst(now);
    if (field && !burst && e.key.length === 1) typedInto = { el: field, before: field.value };
    // Inside a burst the keys stay out of the field; the first two may have landed (undone below).
    if (burst && e.key.length === 1) e.preventDefault();
    const scan = detector.key(e.key, now);
    if (scan) {
      e.preventDefault();
      if (typedInto && typedInto.el === field) restore(field, typedInto.before);
      typedInto = null;
      onScan(scan);
    } else if (TERMINATORS.has(e.key)) typedInto = null;
  };
  document.addEventListener('keydown', onKey, true);
  return () => document.removeEventListener('keydown', onKey, true);
}
