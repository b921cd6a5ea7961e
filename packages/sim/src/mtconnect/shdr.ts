/**
 * SHDR, the adapter -> agent line protocol: `timestamp|key|value|key|value…`; a condition takes five
 * fields (`key|LEVEL|nativeCode|nativeSeverity|qualifier|message`); assets are
 * `@ASSET@|id|type|--multiline--TAG` … `--multiline--TAG`; `*key: value` lines are adapter metadata.
 */

export type ShdrLevel = 'NORMAL' | 'WARNING' | 'FAULT' | 'UNAVAILABLE';

export type ShdrItem =
  | { kind: 'value'; key: string; value: string }
  | {
      kind: 'condition';
      key: string;
      level: ShdrLevel;
      nativeCode: string;
      nativeSeverity: string;
      qualifier: string;
      message: string;
    };

export type ShdrRecord =
  | { kind: 'data'; line: number; timestamp: string | undefined; items: ShdrItem[] }
  | { kind: 'asset'; line: number; timestamp: string | undefined; id: string; type: string; body: string }
  | { kind: 'remove-asset'; line: number; timestamp: string | undefined; id: string }
  | { kind: 'remove-all-assets'; line: number; timestamp: string | undefined; type: string }
  | { kind: 'meta'; line: number; key: string; value: string };

const LEVELS = new Set(['NORMAL', 'WARNING', 'FAULT', 'UNAVAILABLE']);

export class ShdrError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`SHDR line ${line}: ${message}`);
  }
}

/**
 * Parses an SHDR log. `isCondition(key)` tells which keys take the five condition fields (only the
 * device model knows). Throws ShdrError naming the line for a broken asset block or condition level.
 */
export function parseShdr(text: string, isCondition: (key: string) => boolean): ShdrRecord[] {
  const lines = text.split(/\r?\n/);
  const out: ShdrRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    if (raw.trim() === '') continue;
    if (raw.startsWith('*')) {
      const colon = raw.indexOf(':');
      out.push({
        kind: 'meta',
        line: lineNo,
        key: raw.slice(1, colon < 0 ? undefined : colon).trim(),
        value: colon < 0 ? '' : raw.slice(colon + 1).trim(),
      });
      continue;
    }
    const fields = raw.split('|');
    const timestamp = fields[0]!.trim() === '' ? undefined : fields[0]!.trim();
    const first = fields[1];
    if (first === '@ASSET@') {
      const [, , id = '', type = '', body = ''] = fields;
      const tag = /^--multiline--(\S+)$/.exec(body);
      let xml = body;
      if (tag) {
        const end = `--multiline--${tag[1]!}`;
        const block: string[] = [];
        let j = i + 1;
        while (j < lines.length && lines[j] !== end) block.push(lines[j++]!);
        if (j >= lines.length) throw new ShdrError(lineNo, `asset ${id}: no closing ${end}`);
        xml = block.join('\n');
        i = j;
      }
      out.push({ kind: 'asset', line: lineNo, timestamp, id, type, body: xml });
      continue;
    }
    if (first === '@REMOVE_ASSET@') {
      out.push({ kind: 'remove-asset', line: lineNo, timestamp, id: fields[2] ?? '' });
      continue;
    }
    if (first === '@REMOVE_ALL_ASSETS@') {
      out.push({ kind: 'remove-all-assets', line: lineNo, timestamp, type: fields[2] ?? '' });
      continue;
    }
    const items: ShdrItem[] = [];
    let f = 1;
    while (f < fields.length) {
      const key = fields[f]!;
      if (isCondition(key)) {
        const level = (fields[f + 1] ?? '').trim().toUpperCase();
        if (!LEVELS.has(level)) {
          throw new ShdrError(
            lineNo,
            `condition "${key}": level "${level}" is not NORMAL, WARNING, FAULT or UNAVAILABLE`,
          );
        }
        items.push({
          kind: 'condition',
          key,
          level: level as ShdrLevel,
          nativeCode: fields[f + 2] ?? '',
          nativeSeverity: fields[f + 3] ?? '',
          qualifier: fields[f + 4] ?? '',
          message: fields[f + 5] ?? '',
        });
        f += 6;
      } else {
        items.push({ kind: 'value', key, value: fields[f + 1] ?? '' });
        f += 2;
      }
    }
    out.push({ kind: 'data', line: lineNo, timestamp, items });
  }
  return out;
}
