import type { MaterialDemandRow } from '../conflict-queries.js';
import { formatInstant, formatList } from '../format.js';
import type { AnalysisSlot } from '../model.js';
import { stepName, type AnalysisView } from '../view.js';
import { conflictOf, type Conflict } from './types.js';

/** "0.0598": thickness as entered, without trailing zeros of NUMERIC(8,4). */
const thicknessText = (t: number): string => String(Number(t.toFixed(4)));
const keyOf = (code: string, thickness: number): string => `${code}|${thickness.toFixed(4)}`;

/**
 * Rule: over the planned and released jobs (their sheets have not been cut yet), the parts
 * demand is summed per material code and thickness; a material is short when there is not a
 * single sheet of that code and thickness in stock (no materials row, or every row at
 * quantity 0, over all sizes and locations). Parts per sheet depend on nesting, which Kerf
 * does not know before Sigmanest answers, so "no sheet at all" is the rule that never cries
 * wolf. An error: the laser cannot cut these parts. The conflict names each job's first
 * active slot, so it shows where the shortage will bite.
 */
export function materialShortConflicts(
  view: AnalysisView,
  demand: readonly MaterialDemandRow[],
  stock: ReadonlyArray<{ code: string; thickness: number; sheets: number; rows: number }>,
): Conflict[] {
  const stockOf = new Map(stock.map((s) => [keyOf(s.code, s.thickness), s]));
  const byMaterial = new Map<string, MaterialDemandRow[]>();
  for (const d of demand) {
    const key = keyOf(d.materialCode, d.thickness);
    const list = byMaterial.get(key) ?? [];
    list.push(d);
    byMaterial.set(key, list);
  }
  const out: Conflict[] = [];
  const tz = view.timeZone;
  for (const [key, rows] of byMaterial) {
    const st = stockOf.get(key);
    if (st && st.sheets > 0) continue;
    const first = rows[0]!;
    const firstSlots: AnalysisSlot[] = [];
    for (const r of rows) {
      const slots = view.slotsByJob.get(r.jobId) ?? [];
      if (slots.length > 0) firstSlots.push(slots.reduce((a, b) => (b.start < a.start ? b : a)));
    }
    firstSlots.sort((a, b) => a.start - b.start);
    const earliest = firstSlots[0];
    const total = rows.reduce((n, r) => n + r.parts, 0);
    const material = `${first.materialCode} ${thicknessText(first.thickness)} in`;
    const stockText = !st
      ? 'there is no stock row for it'
      : st.rows === 1
        ? 'its only stock row is at 0 sheets'
        : `all ${st.rows} stock rows are at 0 sheets`;
    out.push(
      conflictOf('material_short', 'error', firstSlots, {
        ...(earliest ? { workCenterId: earliest.workCenterId, from: earliest.start } : {}),
        jobs: rows.map((r) => ({ id: r.jobId, jobNumber: r.jobNumber })),
        explanation:
          `No sheet of ${material} is in stock (${stockText}), but ${formatList(rows.map((r) => `${r.jobNumber} (${r.parts})`))} need ${total} parts of it` +
          (earliest
            ? `; first needed ${formatInstant(earliest.start, tz)} for ${stepName(earliest)} on ${earliest.workCenterId}.`
            : '; none of these jobs is scheduled yet.'),
      }),
    );
  }
  return out;
}
