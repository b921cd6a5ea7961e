/**
 * Text PostgreSQL cannot keep as given: a NUL character (refused in text and jsonb, "unsupported
 * Unicode escape sequence") or an unpaired UTF-16 surrogate (silently turned into U+FFFD).
 * JSON and JavaScript carry both, so every door that takes text from outside checks with this
 * one rule: HTTP bodies and CSV cells (platform/http/input-guard.ts) and machine events.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be found
export const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface UnstorableChar {
  kind: 'nul' | 'lone_surrogate';
  /** UTF-16 position in the text */
  index: number;
}

/** The first character of `text` that cannot be stored as given, or null. */
export function findUnstorable(text: string): UnstorableChar | null {
  const m = UNSTORABLE_TEXT.exec(text);
  return m ? { kind: m[0] === '\u0000' ? 'nul' : 'lone_surrogate', index: m.index } : null;
}
