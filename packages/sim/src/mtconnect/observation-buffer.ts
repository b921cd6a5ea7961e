import type { AgentDataItem } from './device-model.js';

export type ConditionLevel = 'NORMAL' | 'WARNING' | 'FAULT' | 'UNAVAILABLE';

export interface StoredObservation {
  sequence: number;
  item: AgentDataItem;
  /** ISO 8601 with Z. */
  timestamp: string;
  value: string;
  level?: ConditionLevel;
  nativeCode?: string;
  nativeSeverity?: string;
  qualifier?: string;
}

/**
 * The agent's circular buffer: the newest `size` observations by sequence, plus the latest value of
 * every DataItem (which /current serves even after it left the buffer). Conditions keep their whole
 * active list, as an agent does: several Warning/Fault codes at once, or one Normal/Unavailable.
 */
export class ObservationBuffer {
  private readonly ring: (StoredObservation | undefined)[];
  private next = 1;
  private readonly latest = new Map<AgentDataItem, StoredObservation>();
  private readonly conditions = new Map<AgentDataItem, Map<string, StoredObservation>>();

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`bufferSize: expected a positive integer, got ${size}`);
    this.ring = new Array<StoredObservation | undefined>(size);
  }

  get nextSequence(): number {
    return this.next;
  }

  get lastSequence(): number {
    return this.next - 1;
  }

  /** Oldest sequence still held; equals nextSequence while empty. */
  get firstSequence(): number {
    return Math.max(1, this.next - this.size);
  }

  add(observation: Omit<StoredObservation, 'sequence'>): StoredObservation {
    const stored: StoredObservation = { ...observation, sequence: this.next };
    this.ring[this.next % this.size] = stored;
    this.next += 1;
    if (stored.item.category === 'CONDITION') {
      let active = this.conditions.get(stored.item);
      if (active === undefined) {
        active = new Map();
        this.conditions.set(stored.item, active);
      }
      if (stored.level === 'WARNING' || stored.level === 'FAULT') {
        // an active list holds only raised codes; a Normal/Unavailable entry before them is replaced
        for (const [code, entry] of active)
          if (entry.level !== 'WARNING' && entry.level !== 'FAULT') active.delete(code);
        active.set(stored.nativeCode ?? '', stored);
      } else if (stored.level === 'NORMAL' && stored.nativeCode !== undefined) {
        // a Normal for one code clears only that code; unknown codes leave the list as it is
        if (active.delete(stored.nativeCode) && active.size === 0) active.set('', stored);
      } else {
        active.clear();
        active.set('', stored);
      }
    }
    this.latest.set(stored.item, stored);
    return stored;
  }

  get(sequence: number): StoredObservation | undefined {
    if (sequence < this.firstSequence || sequence >= this.next) return undefined;
    return this.ring[sequence % this.size];
  }

  latestOf(item: AgentDataItem): StoredObservation | undefined {
    return this.latest.get(item);
  }

  /** Active codes of a condition DataItem, or its single Normal/Unavailable entry. */
  conditionOf(item: AgentDataItem): StoredObservation[] {
    return [...(this.conditions.get(item)?.values() ?? [])];
  }
}
