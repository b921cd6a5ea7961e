import type { Db } from '../../platform/db.js';
import type { EventBus, KerfEvent } from '../../platform/events.js';
import { applyAlarm } from './alarm-records.js';
import { evaluateRules, type Evaluation } from './rule-evaluator.js';
import { machinesRef } from './machine-refs.js';
import { eq } from 'drizzle-orm';

export interface AlarmWatch {
  /** evaluates every rule for every machine at `now` (the periodic tick; tests pass their own clock) */
  tick(now?: Date): Promise<Evaluation>;
  /** resolves when every event received so far has been handled */
  settled(): Promise<void>;
  stop(): void;
}

export interface AlarmWatchOptions {
  /** clock for event-driven evaluations; tests move it instead of sleeping */
  now?: () => Date;
  /** periodic tick in ms (rules with a threshold fire on it); 0 turns the timer off */
  tickMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * Turns `machine.alarm` events into alarm records and evaluates the rules on every alarm and
 * state change, plus on a periodic tick for thresholds that elapse without an event. Events are
 * handled one at a time in arrival order, so a raise and its clear are never applied swapped.
 */
export function watchAlarms(db: Db, events: EventBus, options: AlarmWatchOptions = {}): AlarmWatch {
  const now = options.now ?? (() => new Date());
  const onError = options.onError ?? (() => undefined);
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  const enqueue = (work: () => Promise<void>) => {
    chain = chain.then(work).catch(onError);
  };

  const machineIdOf = async (code: string) =>
    (await db.select({ id: machinesRef.id }).from(machinesRef).where(eq(machinesRef.code, code)).limit(1))[0]?.id;

  const handle = async (event: KerfEvent) => {
    if (event.type === 'machine.alarm') {
      const change = await applyAlarm(db, events, {
        machineCode: event.machineId,
        alarm: event.alarm,
        at: new Date(event.at),
        source: event.source,
      });
      if (change.action === 'unknown_machine') return;
      const id = change.alarm?.machineId ?? (await machineIdOf(event.machineId));
      if (id) await evaluateRules(db, events, now(), [id]);
    } else if (event.type === 'machine.status' && event.changed.includes('state')) {
      const id = await machineIdOf(event.machineId);
      if (id) await evaluateRules(db, events, now(), [id]);
    }
  };

  const unsubscribe = events.subscribe((event) => {
    if (stopped) return;
    if (event.type === 'machine.alarm' || event.type === 'machine.status') enqueue(() => handle(event));
  });

  const tick = (at?: Date): Promise<Evaluation> =>
    new Promise<Evaluation>((resolve, reject) => {
      chain = chain.then(async () => {
        try {
          const result = await evaluateRules(db, events, at ?? now());
          resolve(result);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });

  const tickMs = options.tickMs ?? 30_000;
  const timer =
    tickMs > 0
      ? setInterval(() => {
          if (!stopped) tick().catch(onError);
        }, tickMs)
      : undefined;
  timer?.unref();

  return {
    tick,
    settled: async () => {
      // Work enqueued while waiting joins the chain; loop until it stops growing.
      let seen: Promise<void> | undefined;
      while (seen !== chain) {
        seen = chain;
        await chain;
      }
    },
    stop: () => {
      stopped = true;
      unsubscribe();
      if (timer) clearInterval(timer);
    },
  };
}
