/** Drag → dry run → Confirm/Cancel, against POST /schedule-slots/{id}/move. */
import { useCallback, useRef, useState, type RefObject } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { TimelineItem } from 'vis-timeline';
import { ApiError, client as api, ok } from '../../api/client';
import type { Slot } from '../../api/models';
import type { MoveState } from './MovePanel';
import type { DragHandlers, ItemCallback } from './useTimeline';

const iso = (d: TimelineItem['start']) => new Date(d as string | number | Date).toISOString();

export type PlannerView = 'resources' | 'jobs';

export function useMoveFlow(slots: RefObject<Map<string, Slot>>, view: RefObject<PlannerView>) {
  const client = useQueryClient();
  const [move, setMove] = useState<MoveState | null>(null);
  const pending = useRef<{ item: TimelineItem; callback: ItemCallback; slot: Slot } | null>(null);
  const frame = useRef(0);
  const dragging = useRef<TimelineItem['id'] | null>(null);

  // In the job view a row is a job: a bar moves in time only and keeps its work center.
  const targetWc = (item: TimelineItem, slot: Slot) =>
    view.current === 'jobs' ? slot.workCenterId : String(item.group);
  const body = (item: TimelineItem, slot: Slot, dryRun: boolean) => ({
    plannedStart: iso(item.start),
    ...(targetWc(item, slot) !== slot.workCenterId ? { workCenterId: targetWc(item, slot) } : {}),
    version: slot.version,
    dryRun,
  });

  const handlers = useRef<DragHandlers>({
    onMoving: () => undefined,
    onMove: () => undefined,
  });

  handlers.current.onMoving = (item) => {
    const slot = slots.current?.get(String(item.id));
    if (!slot || frame.current) return;
    const show = () =>
      setMove({
        jobNumber: slot.jobNumber,
        operationCode: slot.operationCode,
        target: { start: iso(item.start), workCenterId: targetWc(item, slot) },
        phase: 'dragging',
      });
    // The first event of a drag shows the panel at once; then at most one update per frame.
    if (dragging.current !== item.id) {
      dragging.current = item.id;
      show();
      return;
    }
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      show();
    });
  };

  handlers.current.onMove = (item, callback) => {
    const slot = slots.current?.get(String(item.id));
    if (!slot) return callback(null);
    cancelAnimationFrame(frame.current);
    frame.current = 0;
    dragging.current = null;
    pending.current?.callback(null);
    pending.current = { item, callback, slot };
    const base = {
      jobNumber: slot.jobNumber,
      operationCode: slot.operationCode,
      target: { start: iso(item.start), workCenterId: targetWc(item, slot) },
    };
    if (view.current === 'resources' && String(item.group).startsWith('dept:')) {
      pending.current = null;
      callback(null);
      setMove({
        ...base,
        phase: 'refused',
        message: 'Drop the bar on a work center row, not on a department heading.',
      });
      return;
    }
    setMove({ ...base, phase: 'checking' });
    ok(
      api.POST('/api/v1/schedule-slots/{id}/move', { params: { path: { id: slot.id } }, body: body(item, slot, true) }),
    ).then(
      (answer) => {
        if (pending.current?.item !== item) return;
        setMove({ ...base, phase: 'verdict', answer });
      },
      (err: unknown) => {
        if (pending.current?.item !== item) return;
        pending.current = null;
        callback(null); // the bar snaps back
        setMove({ ...base, phase: 'refused', message: err instanceof ApiError ? err.message : String(err) });
      },
    );
  };

  const confirm = useCallback(() => {
    const p = pending.current;
    if (!p) return;
    setMove((m) => (m ? { ...m, phase: 'committing' } : m));
    ok(
      api.POST('/api/v1/schedule-slots/{id}/move', {
        params: { path: { id: p.slot.id } },
        body: body(p.item, p.slot, false),
      }),
    ).then(
      (answer) => {
        pending.current = null;
        p.callback({
          ...p.item,
          start: answer.slot.plannedStart,
          end: answer.slot.plannedEnd,
          group: view.current === 'jobs' ? p.item.group : answer.slot.workCenterId,
        });
        setMove((m) => (m ? { ...m, phase: 'committed', answer } : m));
        void client.invalidateQueries({ queryKey: ['schedule-slots'] });
      },
      (err: unknown) => {
        pending.current = null;
        p.callback(null);
        setMove((m) =>
          m ? { ...m, phase: 'refused', message: err instanceof ApiError ? err.message : String(err) } : m,
        );
      },
    );
  }, [client]);

  const cancel = useCallback(() => {
    pending.current?.callback(null);
    pending.current = null;
    setMove(null);
  }, []);

  const close = useCallback(() => setMove(null), []);
  return { move, handlers, confirm, cancel, close };
}
