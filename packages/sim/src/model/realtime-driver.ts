/**
 * Ticks a ShopModel against the wall clock: simulated time runs `speed` times faster than real
 * time from `start`. The only timer of the simulator lives here, so the model stays testable.
 */
import type { SimEvent } from './machine-model.js';
import type { ShopModel } from './shop-model.js';

export interface RealtimeDriverOptions {
  /** Simulated ms per real ms; 60 turns an hour into a minute. */
  speed: number;
  /** Real ms between ticks. */
  tickMs?: number;
  onEvents: (events: SimEvent[]) => void;
  /** Wall clock, injectable for tests. */
  now?: () => number;
}

export class RealtimeDriver {
  readonly #model: ShopModel;
  readonly #options: Required<RealtimeDriverOptions>;
  #timer: NodeJS.Timeout | undefined;
  #realStart = 0;
  #simStart = 0;

  constructor(model: ShopModel, options: RealtimeDriverOptions) {
    if (!(options.speed > 0) || !Number.isFinite(options.speed)) {
      throw new RangeError(`speed: must be a positive number, got ${options.speed}`);
    }
    this.#model = model;
    this.#options = { tickMs: 250, now: Date.now, ...options };
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** Simulated time now. */
  simTime(): number {
    return this.#simStart + (this.#options.now() - this.#realStart) * this.#options.speed;
  }

  start(): void {
    if (this.#timer) return;
    this.#realStart = this.#options.now();
    this.#simStart = this.#model.now;
    this.#timer = setInterval(() => this.tick(), this.#options.tickMs);
    this.#timer.unref?.();
  }

  /** Advance to the current simulated time; exposed so a caller can flush before stopping. */
  tick(): void {
    const events = this.#model.advanceTo(Math.max(this.#model.now, Math.floor(this.simTime())));
    if (events.length > 0) this.#options.onEvents(events);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
