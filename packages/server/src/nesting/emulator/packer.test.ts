import { describe, expect, it } from 'vitest';
import { packShelves, type Placement } from './packer.js';

const overlaps = (a: Placement, b: Placement) => {
  const [al, aw] = a.rotated ? [a.width, a.length] : [a.length, a.width];
  const [bl, bw] = b.rotated ? [b.width, b.length] : [b.length, b.width];
  return a.x < b.x + bl && b.x < a.x + al && a.y < b.y + bw && b.y < a.y + aw;
};

describe('packShelves', () => {
  it('places parts inside the sheet without overlaps and returns what does not fit', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({
      id: `p${i}`,
      length: 10 + (i % 7) * 3,
      width: 5 + (i % 5) * 2,
    }));
    const { placed, rest } = packShelves(items, { length: 120, width: 48 });
    expect(placed.length + rest.length).toBe(40);
    expect(placed.length).toBeGreaterThan(10);
    for (const p of placed) {
      const [l, w] = p.rotated ? [p.width, p.length] : [p.length, p.width];
      expect(p.x + l).toBeLessThanOrEqual(120);
      expect(p.y + w).toBeLessThanOrEqual(48);
    }
    for (let i = 0; i < placed.length; i++)
      for (let j = i + 1; j < placed.length; j++) expect(overlaps(placed[i]!, placed[j]!)).toBe(false);
  });

  it('turns a part that only fits rotated and rejects one larger than the sheet', () => {
    const { placed, rest } = packShelves(
      [
        { id: 'tall', length: 10, width: 100 },
        { id: 'huge', length: 200, width: 200 },
      ],
      { length: 120, width: 48 },
    );
    expect(placed.map((p) => [p.id, p.rotated])).toEqual([['tall', true]]);
    expect(rest.map((r) => r.id)).toEqual(['huge']);
  });
});
