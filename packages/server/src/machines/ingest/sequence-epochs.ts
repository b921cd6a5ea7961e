import type { MachineEvent } from '@kerf/connectors';

interface Stream {
  epoch: number;
  sequence: number;
  /** epoch ms of the newest event seen in the current epoch */
  time: number;
}

/**
 * Tells the epochs of each (machine, source) sequence apart (ADR 0010). A device whose counter
 * starts over (reboot, new firmware) sends sequences it already used, with newer times: that is
 * a new epoch, not a redelivery. A redelivery repeats its sequence and time; an old message
 * redelivered after the restart carries its old time, so it never opens an epoch.
 */
export class SequenceEpochs {
  private readonly streams = new Map<string, Stream>();
  /** sequence restarts seen since start */
  restarts = 0;

  constructor(
    private readonly capacity = 100_000,
    private readonly onRestart?: (e: MachineEvent, previous: { sequence: number; time: number }) => void,
  ) {}

  /** The epoch `e` belongs to; moves the stream forward (or into a new epoch). */
  epochOf(e: MachineEvent): number {
    const key = `${e.machineId}\u0000${e.source}`;
    const time = Date.parse(e.timestamp);
    const stream = this.streams.get(key);
    if (!stream) {
      if (this.streams.size >= this.capacity) {
        // Insertion order: the stream seen first goes; forgetting it only loses restart detection for it.
        this.streams.delete(this.streams.keys().next().value as string);
      }
      this.streams.set(key, { epoch: 0, sequence: e.sequence, time });
      return 0;
    }
    if (time <= stream.time) {
      // An old or repeated message: it belongs where it was, and moves nothing.
      return stream.epoch;
    }
    if (e.sequence < stream.sequence) {
      this.restarts++;
      this.onRestart?.(e, { sequence: stream.sequence, time: stream.time });
      stream.epoch++;
    }
    stream.sequence = e.sequence;
    stream.time = time;
    return stream.epoch;
  }
}
