import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCharacters, hasValidCheck } from './check-character.js';
import { encodeCode, parseCode, type KerfCode } from './codes.js';

const ALPHANUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
const chars = fc.array(fc.constantFrom(...ALPHANUM), { minLength: 2, maxLength: 40 }).map((a) => a.join(''));

describe('check characters (ISO 7064 MOD 1271-36)', () => {
  it('makes the weighted sum 1 modulo 1271', () => {
    fc.assert(
      fc.property(chars, (s) => {
        const all = s + checkCharacters(s);
        let sum = 0;
        for (const ch of all) sum = (sum * 36 + ALPHANUM.indexOf(ch)) % 1271;
        expect(sum).toBe(1);
      }),
    );
  });

  it('catches every single wrong character', () => {
    fc.assert(
      fc.property(chars, fc.nat(), fc.constantFrom(...ALPHANUM), (s, at, ch) => {
        const i = at % s.length;
        fc.pre(s[i] !== ch);
        const good = s + checkCharacters(s);
        const bad = good.slice(0, i) + ch + good.slice(i + 1);
        expect(hasValidCheck(bad)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('catches every swap of two different neighbours, the check character included', () => {
    fc.assert(
      fc.property(chars, fc.nat(), (s, at) => {
        const good = s + checkCharacters(s);
        const i = at % (good.length - 1);
        fc.pre(good[i] !== good[i + 1]);
        const bad = good.slice(0, i) + good[i + 1] + good[i] + good.slice(i + 2);
        expect(hasValidCheck(bad)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('Kerf codes', () => {
  const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
  const codes: KerfCode[] = [
    { type: 'operation', routingId: uuid, revision: 3 },
    { type: 'job', jobNumber: 'J26-01632' },
    { type: 'workCenter', workCenterId: 'LASER-01' },
    { type: 'badge', badge: '004711' },
    { type: 'lot', lot: 'H-2291-A' },
  ];

  it.each(codes)('round-trips %o', (code) => {
    const text = encodeCode(code);
    expect(text).toMatch(/^[0-9A-Z-]+$/);
    expect(parseCode(text)).toEqual({ ok: true, code, text });
  });

  it('reads what a wedge scanner types: Caps Lock, a CR/LF or Tab suffix, a control prefix', () => {
    const text = encodeCode(codes[0]!);
    expect(parseCode(`\u0002${text.toLowerCase()}\r\n`)).toEqual({ ok: true, code: codes[0], text });
    expect(parseCode(`${text}\t`)).toMatchObject({ ok: true });
  });

  it('refuses a code with one wrong character instead of guessing', () => {
    const text = encodeCode({ type: 'job', jobNumber: 'J26-01632' });
    const bad = text.replace('01632', '01633');
    const parsed = parseCode(bad);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(/wrong check characters/);
  });

  it('names what cannot be encoded', () => {
    expect(() => encodeCode({ type: 'job', jobNumber: 'J26/001' })).toThrow(/job number "J26\/001"/);
    expect(() => encodeCode({ type: 'operation', routingId: 'x', revision: 1 })).toThrow(/not a UUID/);
    expect(parseCode('hello').ok).toBe(false);
  });
});
