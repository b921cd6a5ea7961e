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

export function slotItem(slot: Slot, job: Job | undefined): DataItem {
  const priority = Math.min(Math.max(job?.priority ?? 3, 1), 5);
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
    className: `slot wc-${slot.workCenterId} prio-${priority}${late ? ' late' : ''} status-${slot.status}`,
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
