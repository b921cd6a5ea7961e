import type { Db } from '../platform/db.js';
import type { EventBus, KerfEvent } from '../platform/events.js';
import { findConflicts } from './conflicts/conflict-service.js';
import type { Conflict } from './conflicts/types.js';

const keyOf = (c: Conflict): string =>
  `${c.kind}|${c.workCenterId ?? ''}|${[...c.slotIds].sort().join(',')}|${c.jobIds.join(',')}`;

/**
 * Re-checks the schedule after it changes (slot moved, created, cancelled; plan published) and
 * publishes the conflicts that appeared and those that cleared on the `schedule` channel.
 * Changes arriving together are checked once (debounced). Returns a function that stops it.
 */
export function watchConflicts(
  db: Db,
  events: EventBus,
  timeZone: string,
  debounceMs = 300,
): { stop: () => void; settled: () => Promise<void> } {
  let known: Map<string, Conflict> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const check = async (): Promise<void> => {
    if (stopped) return;
    const report = await findConflicts(db, timeZone, {});
    const now = new Map(report.items.map((c) => [keyOf(c), c]));
    if (known) {
      for (const [k, c] of now) if (!known.has(k)) events.publish({ type: 'conflict.appeared', conflict: c });
      for (const [k, c] of known) {
        if (!now.has(k))
          events.publish({ type: 'conflict.cleared', kind: c.kind, slotIds: c.slotIds, explanation: c.explanation });
      }
    }
    known = now;
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      running = running.then(check).catch(() => undefined);
    }, debounceMs);
    timer.unref();
  };
  // The baseline: what exists at start is not news.
  running = check().catch(() => undefined);
  const unsubscribe = events.subscribe((e: KerfEvent) => {
    if (e.type === 'slot.changed' || e.type === 'plan.published') schedule();
  });
  return {
    stop: () => {
      stopped = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
    },
    settled: async () => {
      while (timer) await new Promise((r) => setTimeout(r, debounceMs));
      await running;
    },
  };
}
