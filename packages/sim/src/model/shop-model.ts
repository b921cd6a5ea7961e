/**
 * All simulated machines on one simulated clock. `advanceTo` merges the machines' events in time
 * order (ties keep machine order) so publishers see one consistent stream.
 */
import { MachineModel, type MachineSpec, type SimEvent } from './machine-model.js';

export class ShopModel {
  readonly machines: readonly MachineModel[];
  #now: number;

  constructor(specs: readonly MachineSpec[], options: { seed: number; start: number }) {
    const seen = new Set<string>();
    for (const spec of specs) {
      if (seen.has(spec.machineId)) throw new Error(`machines: "${spec.machineId}" is listed twice`);
      seen.add(spec.machineId);
    }
    this.machines = specs.map((spec) => new MachineModel(spec, options));
    this.#now = options.start;
  }

  get now(): number {
    return this.#now;
  }

  machine(machineId: string): MachineModel | undefined {
    return this.machines.find((m) => m.spec.machineId === machineId);
  }

  initialEvents(): SimEvent[] {
    return this.machines.flatMap((m) => m.initialEvents());
  }

  advanceTo(time: number): SimEvent[] {
    const events = this.machines.flatMap((m) => m.advanceTo(time));
    this.#now = time;
    // Array.prototype.sort is stable, so equal times keep machine and causal order.
    return events.sort((a, b) => a.at - b.at);
  }
}
