import { describe, expect, it } from 'vitest';
import { isoUtc } from './iso-time.js';

describe('isoUtc', () => {
  it('writes what toISOString writes', () => {
    const samples = [
      0,
      1,
      999,
      86_399_999,
      86_400_000,
      Date.parse('2026-12-01T06:05:04.003Z'),
      Date.parse('2028-02-29T23:59:59.999Z'),
    ];
    for (let i = 0; i < 2000; i++) samples.push(Math.floor(1.7e12 + Math.random() * 1e11));
    for (const ms of samples) expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
  });
});
