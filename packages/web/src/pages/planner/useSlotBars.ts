/**
 * The bars: each slot's planned bar and, once the floor has started it, its actual bar, written
 * into the timeline's dataset (never rendered by React). A refresh after a floor or schedule
 * event rewrites only the slots that changed and the ones whose details name them (successors
 * show their predecessors' status): TanStack Query keeps an unchanged slot's object across
 * refetches, so a changed slot is one whose object is new. Running work's actual bar grows with
 * the clock, once a minute, and only those bars are touched.
 */
import { useEffect, useRef, type RefObject } from 'react';
import type { DataItem } from 'vis-timeline';
import type { Job, RoutingStep, Slot } from '../../api/models';
import { actualId, actualItem, actualOf, slotIdOf } from './actuals';
import { slotItem, slotsByStep, slotTitle, precedenceEdges, type ColourBy } from './items';
import type { PlannerView } from './useMoveFlow';
import type { TimelineApi } from './useTimeline';

const TICK_MS = 60_000;

export interface SlotBarInputs {
  slots: Slot[] | undefined;
  jobs: Job[] | undefined;
  jobMap: Map<string, Job>;
  stepMap: Map<string, RoutingStep>;
  customerNames: Map<string, string>;
  colourBy: ColourBy;
  view: PlannerView;
}

export function useSlotBars(
  api: RefObject<TimelineApi | null>,
  input: SlotBarInputs,
  slotMap: RefObject<Map<string, Slot>>,
  edges: RefObject<[string, string][]>,
  onRendered: (count: number) => void,
): void {
  const { slots, jobs, jobMap, stepMap, customerNames, colourBy, view } = input;
  // What the dataset was last written from: the inputs every bar depends on, and the slots.
  const built = useRef<{ items: TimelineApi['items']; deps: unknown[]; slots: Map<string, Slot> } | null>(null);
  const rendered = useRef(onRendered);
  rendered.current = onRendered;

  useEffect(() => {
    const t = api.current;
    if (!t || !slots || !jobs) return;
    const started = performance.now();
    const byId = new Map(slots.map((s) => [s.id, s]));
    slotMap.current = byId;
    const byStep = slotsByStep(slots);
    edges.current = precedenceEdges(slots, stepMap, byStep);

    const bars = (s: Slot, now: number): { planned: DataItem; actual: DataItem | null } => {
      const job = jobMap.get(s.jobId);
      const step = stepMap.get(s.routingId);
      const group = view === 'jobs' ? s.jobId : s.workCenterId;
      const ctx = {
        job,
        step,
        customer: job?.customerId ? customerNames.get(job.customerId) : undefined,
        predecessors: step?.dependsOn.map((seq) => ({ sequence: seq, slot: byStep.get(`${s.jobId}:${seq}`) })),
        group,
        colourBy,
        actual: actualOf(s, now),
      };
      const title = slotTitle(s, ctx);
      return { planned: slotItem(s, ctx, title), actual: ctx.actual ? actualItem(s, ctx.actual, group, title) : null };
    };
    const deps = [jobMap, stepMap, customerNames, colourBy, view];
    const prev = built.current?.items === t.items ? built.current : null;
    built.current = { items: t.items, deps, slots: byId };
    const write = (list: Slot[], now: number) => {
      const put: DataItem[] = [];
      const unstarted: string[] = [];
      for (const s of list) {
        const b = bars(s, now);
        put.push(b.planned);
        if (b.actual) put.push(b.actual);
        // a slot the floor no longer reports as started (a correction) loses its actual bar
        else if (prev?.slots.get(s.id)?.actualStart) unstarted.push(actualId(s.id));
      }
      if (unstarted.length > 0) t.items.remove(unstarted);
      t.items.update(put);
    };

    let changed = slots;
    if (prev && prev.deps.every((d, i) => d === deps[i])) {
      const touched = new Set(slots.filter((s) => prev.slots.get(s.id) !== s).map((s) => s.id));
      changed = slots.filter(
        (s) =>
          touched.has(s.id) ||
          (stepMap.get(s.routingId)?.dependsOn ?? []).some((seq) =>
            touched.has(byStep.get(`${s.jobId}:${seq}`)?.id ?? ''),
          ),
      );
    }
    const stale = t.items.getIds({ filter: (i) => i.type !== 'background' && !byId.has(slotIdOf(i.id ?? '')) });
    if (changed.length > 0 || stale.length > 0) {
      t.items.remove(stale);
      write(changed, Date.now());
      const count = slots.length;
      const onChanged = () => {
        t.timeline.off('changed', onChanged);
        performance.mark('kerf:planner-rendered');
        console.info(
          `planner: ${count} operations in the dataset (${changed.length} rewritten), drawn in ${Math.round(performance.now() - started)} ms`,
        );
        rendered.current(count);
      };
      t.timeline.on('changed', onChanged);
    }

    const running = slots.filter((s) => s.actualStart && !s.actualEnd);
    if (running.length === 0) return;
    const tick = window.setInterval(() => write(running, Date.now()), TICK_MS);
    return () => window.clearInterval(tick);
  }, [api, slotMap, edges, slots, jobs, jobMap, stepMap, customerNames, colourBy, view]);
}
