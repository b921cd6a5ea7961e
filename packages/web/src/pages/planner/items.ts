/** Turns API rows into vis-timeline groups and items (plain objects, no React). */
import type { DataGroup, DataItem } from 'vis-timeline';
import type { Department, Job, RoutingStep, Slot, WorkCenter } from '../../api/models';
import { fmt, shopZone } from '../../format';
import { actualLines, type Actual } from './actuals';
import { intervalsByWorkCenter, nonWorkingTime, type WorkingTime } from './calendar';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** vis-timeline reads `order` with groupOrder: 'order' though its types omit it. */
export type Group = DataGroup & { order: number; nestedInGroup?: string; treeLevel?: number };

export function buildGroups(departments: Department[], workCenters: WorkCenter[]): Group[] {
  const groups: Group[] = [];
  departments.forEach((d, i) => {
    const members = workCenters.filter((w) => w.departmentId === d.id);
    if (members.length === 0) return;
    groups.push({
      id: `dept:${d.id}`,
      content: esc(d.name),
      nestedGroups: members.map((w) => w.id),
      showNested: true,
      order: i,
      className: 'dept-group',
    });
  });
  const known = new Set(departments.map((d) => d.id));
  workCenters.forEach((w, i) =>
    groups.push({
      id: w.id,
      content: `${esc(w.id)} <small>${esc(w.name)}</small>`,
      order: i,
      className: 'wc-group',
      treeLevel: 1,
      ...(known.has(w.departmentId) ? { nestedInGroup: `dept:${w.departmentId}` } : {}),
    }),
  );
  return groups;
}

/** Job view: a row per job with work in the window, earliest first operation on top. */
export function buildJobGroups(slots: Slot[], jobs: Map<string, Job>): Group[] {
  const first = new Map<string, string>();
  for (const s of slots) {
    const f = first.get(s.jobId);
    if (f === undefined || s.plannedStart < f) first.set(s.jobId, s.plannedStart);
  }
  return [...first.entries()]
    .sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([jobId], i) => {
      const job = jobs.get(jobId);
      const number = job?.jobNumber ?? slots.find((s) => s.jobId === jobId)?.jobNumber ?? jobId;
      return {
        id: jobId,
        content: `${esc(number)} <small>due ${esc(job ? fmt(job.dueDate).slice(5) : '?')}</small>`,
        order: i,
        className: 'job-group',
      };
    });
}

export function isLate(slot: Slot, job: Job | undefined): boolean {
  return job !== undefined && slot.plannedEnd > job.dueDate;
}

export type ColourBy = 'priority' | 'status' | 'job' | 'setup';

const hash8 = (s: string) => {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h % 8;
};

/** The colour class of a bar: priority 1-5, the slot's status, one of 8 colours per job or per setup category. */
export function colourClass(slot: Slot, job: Job | undefined, by: ColourBy, step?: RoutingStep): string {
  switch (by) {
    case 'priority':
      return `prio-${Math.min(Math.max(job?.priority ?? 3, 1), 5)}`;
    case 'status':
      return `st-${slot.status.replace(/[^a-z_]/gi, '')}`;
    case 'job':
      return `jobc-${hash8(slot.jobNumber)}`;
    case 'setup':
      return step?.setupCategory ? `jobc-${hash8(step.setupCategory)} setup-known` : 'setup-none';
  }
}

/** The setup categories of the steps in view, with their colour classes, for the legend. */
export function setupLegend(steps: Iterable<RoutingStep | undefined>): { category: string; className: string }[] {
  const seen = new Set<string>();
  for (const s of steps) if (s?.setupCategory) seen.add(s.setupCategory);
  return [...seen].sort().map((category) => ({ category, className: `jobc-${hash8(category)}` }));
}

/** What a bar needs besides its slot: the job, customer, routing step and the predecessors' slots. */
export interface SlotContext {
  job?: Job;
  customer?: string;
  step?: RoutingStep;
  /** slots of the steps this one depends on, by sequence (undefined: not in the loaded window) */
  predecessors?: { sequence: number; slot: Slot | undefined }[];
  /** the group the bar sits in (work center in the resource view, job in the job view) */
  group?: string;
  colourBy?: ColourBy;
  /** what the floor reported so far (null: not started) */
  actual?: Actual | null;
}

const minutes = (m: number) => (m < 120 ? `${Math.round(m)} min` : `${(m / 60).toFixed(1)} h`);

function predecessorLine(slot: Slot, ctx: SlotContext): string {
  if (!ctx.step) return 'Predecessors: loading…';
  const preds = ctx.predecessors ?? [];
  if (preds.length === 0) return 'Predecessors: none (first step)';
  const parts = preds.map(({ sequence, slot: p }) => {
    if (!p) return `step ${sequence}: not in these weeks`;
    const clash = p.plannedEnd > slot.plannedStart && p.status !== 'complete';
    return `step ${sequence} ${esc(p.operationCode)}: ${esc(p.status.replace('_', ' '))}, ends ${fmt(p.plannedEnd)}${
      clash ? ' <b>(after this starts)</b>' : ''
    }`;
  });
  return `Predecessors: ${parts.join('; ')}`;
}

/** The hover details of a slot (HTML), shared by its planned and its actual bar. */
export function slotTitle(slot: Slot, ctx: SlotContext = {}): string {
  const { job, step } = ctx;
  const late = isLate(slot, job);
  return [
    `<b>${esc(slot.jobNumber)}</b> · ${esc(slot.operationCode)} (step ${slot.sequence})`,
    job ? `${esc(job.product)}${ctx.customer ? ` · customer ${esc(ctx.customer)}` : ''}` : '',
    `Work center: ${esc(slot.workCenterId)}`,
    `Planned: ${fmt(slot.plannedStart)} → ${fmt(slot.plannedEnd)} ${esc(shopZone())}`,
    ...actualLines(ctx.actual ?? null, esc(shopZone())),
    `Due: ${job ? fmt(job.dueDate) : 'unknown'}${late ? ' — <b>late</b>' : ''}`,
    step
      ? `Setup: ${minutes(step.setupMinutes)}${step.setupCategory ? ` (${esc(step.setupCategory)})` : ''} · run ${minutes(step.runMinutes)}`
      : '',
    predecessorLine(slot, ctx),
    `Priority ${job?.priority ?? '?'} · ${esc(slot.status)}`,
  ]
    .filter(Boolean)
    .join('<br>');
}

export function slotItem(slot: Slot, ctx: SlotContext = {}, title = slotTitle(slot, ctx)): DataItem {
  const { job, step } = ctx;
  const late = isLate(slot, job);
  return {
    id: slot.id,
    group: ctx.group ?? slot.workCenterId,
    start: slot.plannedStart,
    end: slot.plannedEnd,
    content: `${esc(slot.jobNumber)} ${esc(slot.operationCode)}`,
    className: `slot wc-${slot.workCenterId} ${colourClass(slot, job, ctx.colourBy ?? 'priority', step)}${late ? ' late' : ''}`,
    title,
  };
}

/** Index of slots by job and step sequence, to find a step's predecessors. */
export function slotsByStep(slots: Slot[]): Map<string, Slot> {
  return new Map(slots.map((s) => [`${s.jobId}:${s.sequence}`, s]));
}

/** Precedence edges between loaded slots: [predecessor slot id, successor slot id]. */
export function precedenceEdges(
  slots: Slot[],
  steps: Map<string, RoutingStep>,
  byStep: Map<string, Slot>,
): [string, string][] {
  const edges: [string, string][] = [];
  for (const s of slots) {
    for (const seq of steps.get(s.routingId)?.dependsOn ?? []) {
      const p = byStep.get(`${s.jobId}:${seq}`);
      if (p) edges.push([p.id, s.id]);
    }
  }
  return edges;
}

export function backgroundItems(
  workCenters: WorkCenter[],
  workingTime: WorkingTime,
  from: number,
  to: number,
): DataItem[] {
  const working = intervalsByWorkCenter(workingTime);
  const out: DataItem[] = [];
  for (const w of workCenters) {
    // a center the server did not answer for (created since) is not shaded
    nonWorkingTime(working.get(w.id) ?? [{ start: from, end: to }], from, to).forEach((gap, i) => {
      out.push({
        id: `nw:${w.id}:${i}`,
        group: w.id,
        start: gap.start,
        end: gap.end,
        type: 'background',
        className: 'nonworking',
        content: '',
      });
    });
  }
  return out;
}
