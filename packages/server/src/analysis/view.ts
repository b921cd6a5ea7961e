import type { ShopCalendar } from '../shop/calendar-shop.js';
import { buildCalendars, shopCalendarOf, type CenterCalendar } from './calendar.js';
import type { AnalysisSlot, AnalysisSnapshot } from './model.js';

/** The snapshot with the lookups every rule needs, built once per request. */
export interface AnalysisView {
  snapshot: AnalysisSnapshot;
  timeZone: string;
  /** the shop's working time over the snapshot's rows: shift occurrences and intervals */
  shop: ShopCalendar;
  calendars: Map<string, CenterCalendar>;
  slotById: Map<string, AnalysisSlot>;
  /** a routing step usually has one slot, but a split step has several */
  slotsByRouting: Map<string, AnalysisSlot[]>;
  /** per work center, sorted by start */
  slotsByCenter: Map<string, AnalysisSlot[]>;
  slotsByJob: Map<string, AnalysisSlot[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildView(snapshot: AnalysisSnapshot): AnalysisView {
  const shop = shopCalendarOf(snapshot);
  const view: AnalysisView = {
    snapshot,
    timeZone: snapshot.timeZone,
    shop,
    calendars: buildCalendars(snapshot, shop),
    slotById: new Map(),
    slotsByRouting: new Map(),
    slotsByCenter: new Map(),
    slotsByJob: new Map(),
  };
  for (const s of snapshot.slots) {
    view.slotById.set(s.id, s);
    push(view.slotsByRouting, s.routingId, s);
    push(view.slotsByCenter, s.workCenterId, s);
    push(view.slotsByJob, s.jobId, s);
  }
  for (const list of view.slotsByCenter.values()) list.sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  return view;
}

/** "J-1042 CUT": how planners name a step. */
export const stepName = (s: AnalysisSlot): string => `${s.jobNumber} ${s.operationCode}`;

/** The predecessor slots of a slot: the slots of the routing steps it depends on. */
export function predecessorsOf(view: AnalysisView, slot: AnalysisSlot): AnalysisSlot[] {
  return slot.dependencies.flatMap((routingId) => view.slotsByRouting.get(routingId) ?? []);
}
