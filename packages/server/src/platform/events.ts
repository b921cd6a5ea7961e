import { EventEmitter } from 'node:events';
import type { Conflict } from '../analysis/conflicts/types.js';
import type { AlarmKerfEvent } from '../machines/alarms/alarm-events.js';
import type { MachineAlarmEvent, MachineStatusEvent } from '../machines/status-types.js';

/** Domain events published inside one Kerf process (Redis fan-out can carry them later). */
export type KerfEvent =
  | { type: 'plan-run.progress'; runId: string; elapsedMs: number; bestObjective: number }
  | { type: 'plan-run.finished'; runId: string; status: string; planId: string | null }
  | { type: 'plan.published'; planId: string; slots: number }
  | { type: 'slot.changed'; slotId: string; action: string }
  | { type: 'conflict.appeared'; conflict: Conflict }
  | { type: 'conflict.cleared'; kind: string; slotIds: string[]; explanation: string }
  | MachineStatusEvent
  | MachineAlarmEvent
  | AlarmKerfEvent;

/** Which WebSocket channel carries which events. */
export const CHANNEL_OF: Record<KerfEvent['type'], string> = {
  'plan-run.progress': 'plan-runs',
  'plan-run.finished': 'plan-runs',
  'plan.published': 'schedule',
  'slot.changed': 'schedule',
  'conflict.appeared': 'schedule',
  'conflict.cleared': 'schedule',
  'machine.status': 'machines',
  'machine.alarm': 'machines',
  'alarm.raised': 'alarms',
  'alarm.acknowledged': 'alarms',
  'alarm.cleared': 'alarms',
  'notification.created': 'notifications',
  'planning.replan-suggested': 'schedule',
};

/**
 * Every channel an event is published on, most specific first. Machine events also go to
 * `machines:{departmentId}` and `machine:{code}` so a board or a tile subscribes to just what it shows.
 */
export function channelsOf(event: KerfEvent): string[] {
  if (event.type === 'machine.status' || event.type === 'machine.alarm') {
    return [`machine:${event.machineId}`, `machines:${event.departmentId}`, 'machines'];
  }
  return [CHANNEL_OF[event.type]];
}

export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(event: KerfEvent): void {
    this.emitter.emit('event', event);
  }
  subscribe(listener: (event: KerfEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
