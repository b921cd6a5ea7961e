/**
 * Precedence arrows for the job view. vis-timeline draws no links between items, so an SVG
 * laid over its centre panel draws them from the bars' own DOM rectangles after every redraw
 * (scroll, zoom, drag, data change). Two paths hold every line and every head, so thousands of
 * edges cost two DOM nodes, and edges whose bars are not drawn (out of view) are skipped.
 */
import { useEffect, type RefObject } from 'react';
import type { TimelineApi } from './useTimeline';

const SVG = 'http://www.w3.org/2000/svg';

export function usePrecedenceArrows(
  container: RefObject<HTMLDivElement | null>,
  api: RefObject<TimelineApi | null>,
  edges: RefObject<[string, string][]>,
  enabled: boolean,
): void {
  useEffect(() => {
    const el = container.current;
    const t = api.current;
    if (!el || !t || !enabled) return;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'precedence');
    svg.setAttribute('aria-hidden', 'true');
    const lines = document.createElementNS(SVG, 'path');
    lines.setAttribute('class', 'precedence-lines');
    const heads = document.createElementNS(SVG, 'path');
    heads.setAttribute('class', 'precedence-heads');
    svg.append(lines, heads);
    el.appendChild(svg);

    let frame = 0;
    const draw = () => {
      frame = 0;
      const center = el.querySelector('.vis-panel.vis-center');
      if (!center) return;
      const base = el.getBoundingClientRect();
      const clip = center.getBoundingClientRect();
      Object.assign(svg.style, {
        left: `${clip.left - base.left}px`,
        top: `${clip.top - base.top}px`,
        width: `${clip.width}px`,
        height: `${clip.height}px`,
      });
      const rects = new Map<string, DOMRect>();
      for (const node of el.querySelectorAll<HTMLElement>('.vis-item.slot[data-id]')) {
        rects.set(node.dataset.id ?? '', node.getBoundingClientRect());
      }
      let d = '';
      let h = '';
      let drawn = 0;
      for (const [from, to] of edges.current ?? []) {
        const a = rects.get(from);
        const b = rects.get(to);
        if (!a || !b) continue;
        const x1 = a.right - clip.left;
        const y1 = a.top + a.height / 2 - clip.top;
        const x2 = b.left - clip.left;
        const y2 = b.top + b.height / 2 - clip.top;
        const bend = Math.max(12, Math.min(40, Math.abs(x2 - x1) / 2));
        d += `M${x1.toFixed(1)} ${y1.toFixed(1)}C${(x1 + bend).toFixed(1)} ${y1.toFixed(1)} ${(x2 - bend).toFixed(1)} ${y2.toFixed(1)} ${x2.toFixed(1)} ${y2.toFixed(1)}`;
        h += `M${x2.toFixed(1)} ${y2.toFixed(1)}l-6 -3.5v7z`;
        drawn++;
      }
      lines.setAttribute('d', d);
      heads.setAttribute('d', h);
      svg.dataset.edges = String(drawn);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    t.timeline.on('changed', schedule);
    schedule();
    return () => {
      cancelAnimationFrame(frame);
      t.timeline.off('changed', schedule);
      svg.remove();
    };
  }, [container, api, edges, enabled]);
}
