/** Best objective over time as a small SVG line (no chart library needed for one series). */
import type { ProgressPoint } from '../api/models';

export function Sparkline({
  points,
  width = 320,
  height = 80,
}: {
  points: ProgressPoint[];
  width?: number;
  height?: number;
}) {
  if (points.length < 2) return null;
  const xs = points.map((p) => p.elapsedMs);
  const ys = points.map((p) => p.bestObjective);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => ((x - x0) / (x1 - x0 || 1)) * (width - 8) + 4;
  const sy = (y: number) => height - 4 - ((y - y0) / (y1 - y0 || 1)) * (height - 8);
  const d = points
    .map((p, i) => `${i ? 'L' : 'M'}${sx(p.elapsedMs).toFixed(1)},${sy(p.bestObjective).toFixed(1)}`)
    .join(' ');
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      role="img"
      aria-label={`Best objective from ${y1} down to ${y0}`}
    >
      <path d={d} fill="none" stroke="currentColor" strokeWidth="2" />
    </svg>
  );
}
