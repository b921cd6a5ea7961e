/** Rectangle packing on shelves: the emulator's stand-in for SigmaNEST's true-shape nesting. */

export interface Rect {
  id: string;
  /** along the sheet length (x) */
  length: number;
  /** along the sheet width (y) */
  width: number;
}

export interface Placement extends Rect {
  x: number;
  y: number;
  rotated: boolean;
}

export interface PackResult {
  placed: Placement[];
  rest: Rect[];
  /** highest y used: the strip above it is a remnant candidate */
  usedWidth: number;
}

/**
 * First-fit decreasing on shelves: parts sorted by their longer side, each turned so it lies
 * flat (long side along the sheet length) when it fits, placed on the first shelf with room,
 * else on a new shelf. `gap` is the kerf + web between parts.
 */
export function packShelves(items: readonly Rect[], sheet: { length: number; width: number }, gap = 0.25): PackResult {
  const sorted = [...items].sort(
    (a, b) => Math.max(b.length, b.width) - Math.max(a.length, a.width) || a.id.localeCompare(b.id),
  );
  const shelves: { y: number; height: number; x: number }[] = [];
  const placed: Placement[] = [];
  const rest: Rect[] = [];
  let top = 0;
  for (const item of sorted) {
    const long = Math.max(item.length, item.width);
    const short = Math.min(item.length, item.width);
    const options: [number, number, boolean][] = [
      [long, short, item.length < item.width],
      [short, long, item.length >= item.width],
    ];
    let done = false;
    for (const [l, w, rotated] of options) {
      if (l > sheet.length || w > sheet.width) continue;
      const shelf = shelves.find((s) => w <= s.height && s.x + l <= sheet.length);
      if (shelf) {
        placed.push({ ...item, x: shelf.x, y: shelf.y, rotated });
        shelf.x += l + gap;
        done = true;
        break;
      }
      if (top + w <= sheet.width) {
        shelves.push({ y: top, height: w, x: l + gap });
        placed.push({ ...item, x: 0, y: top, rotated });
        top += w + gap;
        done = true;
        break;
      }
    }
    if (!done) rest.push(item);
  }
  return { placed, rest, usedWidth: Math.min(top, sheet.width) };
}
