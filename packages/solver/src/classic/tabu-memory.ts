/**
 * Tabu memory. Sequence moves forbid re-creating the machine arcs they reversed; machine
 * reassignments forbid moving an operation back to the machine it left. Arcs live in a
 * direct-mapped table (n*n, capped) so lookups are one array read; on very large instances
 * unrelated arcs may share a slot, which only makes the memory slightly stricter.
 */
const MAX_ARC_SLOTS = 1 << 22;

export class TabuMemory {
  private readonly arcs: Int32Array;
  private readonly machines: Int32Array;
  private readonly slots: number;

  constructor(
    private readonly nOps: number,
    private readonly nMachines: number,
  ) {
    this.slots = Math.min(nOps * nOps, MAX_ARC_SLOTS);
    this.arcs = new Int32Array(this.slots);
    this.machines = new Int32Array(nOps * nMachines);
  }

  clear(): void {
    this.arcs.fill(0);
    this.machines.fill(0);
  }

  /** true when putting a directly before b (arc a->b) is forbidden at iteration iter */
  arcTabu(a: number, b: number, iter: number): boolean {
    return this.arcs[(a * this.nOps + b) % this.slots]! > iter;
  }

  forbidArc(a: number, b: number, until: number): void {
    this.arcs[(a * this.nOps + b) % this.slots] = until;
  }

  machineTabu(o: number, k: number, iter: number): boolean {
    return this.machines[o * this.nMachines + k]! > iter;
  }

  forbidMachine(o: number, k: number, until: number): void {
    this.machines[o * this.nMachines + k] = until;
  }
}
