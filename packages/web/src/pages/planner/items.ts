/** Turns API rows into vis-timeline groups and items (plain objects, no React). */
import type { DataGroup, DataItem } from 'vis-timeline';
import type { CalendarException, Department, Job, Shift, Slot, WorkCenter } from '../../api/types';
import { fmt } from '../../format';
import { closedDaysByWorkCenter, nonWorkingTime } from './calendar';

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

export function isLate(slot: Slot, job: Job | undefined): boolean {
  return job !== undefined && slot.plannedEnd > job.dueDate;
}

export type ColourBy = 'priority' | 'status' | 'job';

/** The colour class of a bar: priority 1-5, the slot's status, or one of 8 colours per job. */
export function colourClass(slot: Slot, job: Job | undefined, by: ColourBy): string {
  switch (by) {
    case 'priority':
      return `prio-${Math.min(Math.max(job?.priority ?? 3, 1), 5)}`;
    case 'status':
      return `st-${slot.status.replace(/[^a-z_]/gi, '')}`;
    case 'job': {
      let h = 0;
      for (const c of slot.jobNumber) h = (h * 31 + c.charCodeAt(0)) >>> 0;
      return `jobc-${h % 8}`;
    }
  }
}

export function slotItem(slot: Slot, job: Job | undefined, by: ColourBy = 'priority'): DataItem {
  const late = isLate(slot, job);
  const title = [
    `<b>${esc(slot.jobNumber)}</b> · ${esc(slot.operationCode)} (step ${slot.sequence})`,
    job ? esc(job.product) : '',
    `Work center: ${esc(slot.workCenterId)}`,
    `Planned: ${fmt(slot.plannedStart)} → ${fmt(slot.plannedEnd)} UTC`,
    `Due: ${job ? fmt(job.dueDate) : 'unknown'}${late ? ' — <b>late</b>' : ''}`,
    `Priority ${job?.priority ?? '?'} · ${esc(slot.status)}`,
  ]
    .filter(Boolean)
    .join('<br>');
  return {
    id: slot.id,
    group: slot.workCenterId,
    start: slot.plannedStart,
    end: slot.plannedEnd,
    content: `${esc(slot.jobNumber)} ${esc(slot.operationCode)}`,
    className: `slot wc-${slot.workCenterId} ${colourClass(slot, job, by)}${late ? ' late' : ''}`,
    title,
  };
}

export function backgroundItems(
  workCenters: WorkCenter[],
  shifts: Shift[],
  exceptions: CalendarException[],
  from: number,
  to: number,
): DataItem[] {
  const byWc = new Map<string, Shift[]>();
  for (const s of shifts) byWc.set(s.workCenterId, [...(byWc.get(s.workCenterId) ?? []), s]);
  const closed = closedDaysByWorkCenter(
    exceptions,
    workCenters.map((w) => w.id),
  );
  const out: DataItem[] = [];
  for (const w of workCenters) {
    nonWorkingTime(byWc.get(w.id) ?? [], closed.get(w.id) ?? new Set(), from, to).forEach((gap, i) => {
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
