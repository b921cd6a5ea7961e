/**
 * The floor app's pure parts (no browser): the wedge-scanner detector and the local view of an
 * operation with queued transactions.
 */
import { describe, expect, it } from 'vitest';
import { actions, withPending } from '../src/floor/op-state';
import { cleanScan, WedgeDetector } from '../src/floor/wedge';

const type = (d: WedgeDetector, text: string, start: number, gapMs: number, end = 'Enter') => {
  let t = start;
  let out: string | null = null;
  for (const ch of text) out = d.key(ch, (t += gapMs)) ?? out;
  return d.key(end, t + gapMs) ?? out;
};

describe('wedge scanner detection', () => {
  it('takes a fast burst ending in Enter or Tab as a scan', () => {
    const d = new WedgeDetector({ maxGapMs: 35, minLength: 6, prefix: '' });
    expect(type(d, 'OP-0123456789ABCDEF-1-XY', 0, 8)).toBe('OP-0123456789ABCDEF-1-XY');
    expect(type(d, 'WC-LASER-01-Q7', 1_000, 10, 'Tab')).toBe('WC-LASER-01-Q7');
  });

  it('leaves a person typing alone, even when they end with Enter', () => {
    const d = new WedgeDetector({ maxGapMs: 35, minLength: 6, prefix: '' });
    expect(type(d, 'hello world', 0, 120)).toBeNull();
    // a fast typist's short burst is shorter than any code
    expect(type(d, 'ok', 5_000, 20)).toBeNull();
  });

  it('starts afresh after a pause: a slow prefix typed by hand does not spoil the scan after it', () => {
    const d = new WedgeDetector({ maxGapMs: 35, minLength: 6, prefix: '' });
    d.key('x', 0);
    d.key('y', 200);
    expect(type(d, 'JOB-W1001-AB', 1_000, 6)).toBe('JOB-W1001-AB');
  });

  it('strips control characters and a configured prefix', () => {
    expect(cleanScan('\u0002]C0OP-AB-1-CD\r\n', ']C0')).toBe('OP-AB-1-CD');
    const d = new WedgeDetector({ maxGapMs: 35, minLength: 6, prefix: ']C0' });
    expect(type(d, ']C0EMP-B100-ZZ', 0, 5)).toBe('EMP-B100-ZZ');
  });
});

describe('an operation with queued transactions', () => {
  const start = { status: 'not_started' as const, good: 0, scrap: 0 };

  it('follows start, pause, resume, counts and finish as deltas', () => {
    const s = withPending(start, [
      { type: 'start' },
      { type: 'count', good: 3 },
      { type: 'pause' },
      { type: 'resume' },
      { type: 'count', good: 2, scrap: 1 },
      { type: 'finish', good: 4 },
    ]);
    expect(s).toEqual({ status: 'finished', good: 9, scrap: 1 });
  });

  it('ignores what the server would refuse: counting before a start, anything after a finish', () => {
    expect(withPending(start, [{ type: 'count', good: 5 }])).toEqual(start);
    expect(
      withPending({ status: 'running', good: 8, scrap: 0 }, [
        { type: 'finish', good: 2 },
        { type: 'count', good: 10 },
      ]),
    ).toEqual({ status: 'finished', good: 10, scrap: 0 });
  });

  it('offers join to someone not on a running operation, nothing once finished', () => {
    expect(actions('running', false)).toContain('join');
    expect(actions('running', true)).toContain('pause');
    expect(actions('finished', true)).toEqual([]);
  });
});
