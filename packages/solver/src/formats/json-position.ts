/**
 * Finds where a JSON text first goes wrong, so parse errors can name line and column
 * (Node 20's JSON.parse messages do not always carry a position). A small recursive
 * descent over the grammar; only called after JSON.parse has already failed.
 */
export function jsonErrorOffset(text: string): { offset: number; reason: string } {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  class Stop extends Error {}
  const fail = (reason: string): never => {
    throw Object.assign(new Stop(reason), { at: i });
  };
  const expectChar = (ch: string): void => {
    if (i >= text.length) fail(`unexpected end of input, expected '${ch}'`);
    if (text[i] !== ch) fail(`expected '${ch}' but found '${text[i]}'`);
    i++;
  };
  const str = (): void => {
    expectChar('"');
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail('control character in string');
      i++;
    }
    expectChar('"');
  };
  const value = (): void => {
    ws();
    if (i >= text.length) fail('unexpected end of input');
    const c = text[i]!;
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        str();
        ws();
        expectChar(':');
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        return expectChar('}');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        return expectChar(']');
      }
    }
    if (c === '"') return str();
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|^true|^false|^null/.exec(text.slice(i, i + 64));
    if (!m) fail(`unexpected character '${c}'`);
    i += m![0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected '${text[i]}' after the document`);
    return { offset: i, reason: 'invalid JSON' };
  } catch (e) {
    if (e instanceof Stop) return { offset: (e as Stop & { at: number }).at, reason: e.message };
    throw e;
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
