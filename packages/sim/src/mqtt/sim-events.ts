/** SimEvent -> Kerf MachineEvent, the shape the shopfloor codec publishes. */
import type { MachineEvent } from '@kerf/connectors';
import type { SimEvent } from '../model/index.js';

export function toMachineEvent(event: SimEvent, source: string, sequence: number): MachineEvent {
  const base = { machineId: event.machineId, timestamp: new Date(event.at).toISOString(), source, sequence };
  switch (event.type) {
    case 'state':
      return { ...base, kind: 'state', metric: 'state', value: event.value };
    case 'part_count':
      return { ...base, kind: 'count', metric: 'part_count', value: event.value };
    case 'cycle_time':
      return { ...base, kind: 'metric', metric: 'cycle_time', value: event.value };
    case 'program':
      return { ...base, kind: 'metric', metric: 'program', value: event.value };
    case 'alarm':
      return { ...base, kind: 'alarm', metric: 'alarm', value: event.value };
  }
}
