/**
 * Keyboard moves inside the timeline (vis-timeline has none): with the chart focused, N / P
 * select the next / previous bar in view, arrow keys shift the selected bar by a step in time
 * (Left/Right; with Shift an hour) or to the neighbouring work center (Up/Down, resource view),
 * Enter asks the server's dry run, Enter again commits, Escape cancels and puts the bar back.
 * The same move flow as a drag is used, so the panel and the server's verdict are identical.
 */
import { useEffect, useRef, type RefObject } from 'react';
import type { DataItem, TimelineItem } from 'vis-timeline';
import type { Slot } from '../../api/models';
import { fmt } from '../../format';
import { isActualId } from './actuals';
import type { MoveState } from './MovePanel';
import type { PlannerView } from './useMoveFlow';
import type { DragHandlers, TimelineApi } from './useTimeline';

const STEP_MS = 15 * 60_000;
const HOUR_MS = 60 * 60_000;

interface Flow {
  handlers: RefObject<DragHandlers>;
  confirm: () => void;
  cancel: () => void;
  close: () => void;
}

interface Options {
  container: RefObject<HTMLDivElement | null>;
  api: RefObject<TimelineApi | null>;
  slots: RefObject<Map<string, Slot>>;
  view: RefObject<PlannerView>;
  move: MoveState | null;
  flow: Flow;
  announce: (text: string) => void;
}

const ms = (d: DataItem['start'] | undefined) => new Date(d as string | number | Date).getTime();

export function useKeyboardMoves({ container, api, slots, view, move, flow, announce }: Options): void {
  const moveRef = useRef(move);
  moveRef.current = move;
  const announceRef = useRef(announce);
  announceRef.current = announce;
  // The bar being moved by keys: where it was, so Escape (or a refusal) can put it back.
  const held = useRef<{ id: string; original: DataItem; sent: boolean } | null>(null);

  useEffect(() => {
    const el = container.current;
    if (!el) return;

    const restore = () => {
      const h = held.current;
      const t = api.current;
      if (h && t) t.items.update(h.original);
      held.current = null;
    };

    const bars = (t: TimelineApi) => {
      const w = t.timeline.getWindow();
      const from = w.start.getTime();
      const to = w.end.getTime();
      return t.items
        .get({
          filter: (i) => i.type !== 'background' && !isActualId(i.id ?? '') && ms(i.end) > from && ms(i.start) < to,
        })
        .sort((a, b) => ms(a.start) - ms(b.start) || String(a.group).localeCompare(String(b.group)));
    };

    const describe = (id: string) => {
      const s = slots.current?.get(id);
      return s ? `${s.jobNumber} ${s.operationCode} on ${s.workCenterId}, ${fmt(s.plannedStart)}` : id;
    };

    const select = (t: TimelineApi, dir: 1 | -1) => {
      const list = bars(t);
      if (list.length === 0) return announceRef.current('No bar in view.');
      const current = String(t.timeline.getSelection()[0] ?? '');
      const at = list.findIndex((i) => String(i.id) === current);
      const next = list[at < 0 ? (dir === 1 ? 0 : list.length - 1) : (at + dir + list.length) % list.length];
      if (!next) return;
      t.timeline.setSelection([next.id]);
      // brings the bar's row into view (a job view has hundreds of rows); keeps the zoom
      t.timeline.focus(next.id, { zoom: false, animation: false });
      announceRef.current(`Selected ${describe(String(next.id))}. Arrow keys move it, Enter checks the move.`);
    };

    // Work center rows in display order (department order, then the center's own order).
    const rows = (t: TimelineApi): string[] => {
      const all = t.groups.get() as (DataItem & { order: number; nestedInGroup?: string })[];
      const deptOrder = new Map(all.filter((g) => String(g.id).startsWith('dept:')).map((g) => [g.id, g.order]));
      return all
        .filter((g) => !String(g.id).startsWith('dept:'))
        .sort(
          (a, b) =>
            (deptOrder.get(a.nestedInGroup ?? '') ?? 0) - (deptOrder.get(b.nestedInGroup ?? '') ?? 0) ||
            a.order - b.order,
        )
        .map((g) => String(g.id));
    };

    const shift = (t: TimelineApi, id: string, dt: number, drow: number) => {
      const item = t.items.get(id);
      if (!item) return;
      if (!held.current || held.current.id !== id) {
        restore();
        held.current = { id, original: { ...item }, sent: false };
      }
      let group = item.group;
      if (drow !== 0 && view.current === 'resources') {
        const list = rows(t);
        const at = list.indexOf(String(item.group));
        group = list[Math.min(Math.max(at + drow, 0), list.length - 1)] ?? group;
      }
      const moved = { ...item, start: ms(item.start) + dt, end: ms(item.end) + dt, group };
      t.items.update(moved);
      flow.handlers.current?.onMoving(moved as TimelineItem);
      announceRef.current(`${describe(id)} → ${String(group)} at ${fmt(ms(moved.start))}. Enter checks the move.`);
    };

    const check = (t: TimelineApi, id: string) => {
      const h = held.current;
      if (!h || h.id !== id) return announceRef.current('Move the bar with the arrow keys first.');
      const item = t.items.get(id);
      if (!item) return;
      h.sent = true;
      flow.handlers.current?.onMove(item as TimelineItem, (answer) => {
        if (answer) t.items.update(answer as DataItem);
        else restore();
        if (held.current?.id === id) held.current = null;
      });
    };

    const onKey = (e: KeyboardEvent) => {
      const t = api.current;
      if (!t || e.altKey || e.ctrlKey || e.metaKey) return;
      const phase = moveRef.current?.phase;
      const selected = String(t.timeline.getSelection()[0] ?? '');
      let handled = true;
      if (phase === 'checking' || phase === 'committing') {
        handled = e.key.startsWith('Arrow') || e.key === 'Enter';
      } else if (phase === 'verdict') {
        if (e.key === 'Enter') flow.confirm();
        else if (e.key === 'Escape') {
          flow.cancel();
          announceRef.current('Move cancelled.');
        } else handled = e.key.startsWith('Arrow');
      } else if ((phase === 'refused' || phase === 'committed') && (e.key === 'Enter' || e.key === 'Escape')) {
        flow.close();
      } else if (e.key === 'n' || e.key === 'N') select(t, 1);
      else if (e.key === 'p' || e.key === 'P') select(t, -1);
      else if (e.key === 'Escape') {
        restore();
        flow.close();
        announceRef.current('Move cancelled.');
      } else if (!selected && e.key.startsWith('Arrow')) select(t, 1);
      else if (e.key === 'ArrowLeft') shift(t, selected, e.shiftKey ? -HOUR_MS : -STEP_MS, 0);
      else if (e.key === 'ArrowRight') shift(t, selected, e.shiftKey ? HOUR_MS : STEP_MS, 0);
      else if (e.key === 'ArrowUp') shift(t, selected, 0, -1);
      else if (e.key === 'ArrowDown') shift(t, selected, 0, 1);
      else if (e.key === 'Enter' && selected) check(t, selected);
      else handled = false;
      if (handled) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    el.addEventListener('keydown', onKey);
    return () => el.removeEventListener('keydown', onKey);
  }, [container, api, slots, view, flow]);
}
