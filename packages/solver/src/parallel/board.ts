/**
 * Shared best-solution board on a SharedArrayBuffer. Worker search loops are synchronous,
 * so they cannot receive messages while searching; instead they poll this board: publish a
 * new best when it beats the board, and fetch the board's solution when they stagnate.
 * A tiny spin lock (Atomics) keeps the encoded solution consistent with its makespan.
 *
 * Layout (Int32): [0] lock, [1] makespan, [2] stop flag, [3] version, [4..] encoding (2n).
 */
const LOCK = 0;
const MAKESPAN = 1;
const STOP = 2;
const VERSION = 3;
const HEADER = 4;

export class Board {
  readonly cells: Int32Array;

  constructor(
    readonly buffer: SharedArrayBuffer,
    private readonly codeLength: number,
  ) {
    this.cells = new Int32Array(buffer);
  }

  static create(nOps: number): Board {
    const board = new Board(new SharedArrayBuffer((HEADER + 2 * nOps) * 4), 2 * nOps);
    Atomics.store(board.cells, MAKESPAN, 0x7fffffff);
    return board;
  }

  static attach(buffer: SharedArrayBuffer, nOps: number): Board {
    return new Board(buffer, 2 * nOps);
  }

  get makespan(): number {
    return Atomics.load(this.cells, MAKESPAN);
  }

  get stopped(): boolean {
    return Atomics.load(this.cells, STOP) === 1;
  }

  stop(): void {
    Atomics.store(this.cells, STOP, 1);
  }

  private lock(): void {
    while (Atomics.compareExchange(this.cells, LOCK, 0, 1) !== 0) {
      // contention is rare (a copy of a few thousand ints); spin
    }
  }

  private unlock(): void {
    Atomics.store(this.cells, LOCK, 0);
  }

  /** Publishes code when makespan beats the board; returns true when stored. */
  offer(makespan: number, code: Int32Array): boolean {
    if (makespan >= this.makespan) return false;
    this.lock();
    try {
      if (makespan >= Atomics.load(this.cells, MAKESPAN)) return false;
      this.cells.set(code.subarray(0, this.codeLength), HEADER);
      Atomics.store(this.cells, MAKESPAN, makespan);
      Atomics.add(this.cells, VERSION, 1);
      return true;
    } finally {
      this.unlock();
    }
  }

  /** Copies the board's solution into out when it is strictly better than `than`. */
  fetch(than: number, out: Int32Array): boolean {
    if (this.makespan >= than) return false;
    this.lock();
    try {
      out.set(this.cells.subarray(HEADER, HEADER + this.codeLength));
      return true;
    } finally {
      this.unlock();
    }
  }
}
