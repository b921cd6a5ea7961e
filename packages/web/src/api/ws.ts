/** Live events from /api/v1/ws (token as ?access_token=, browsers cannot set headers). */
import { useEffect, useRef } from 'react';
import { getToken } from './client';
import type { AlarmValue, MachineStatus } from './models';

export type KerfEvent =
  | { type: 'plan-run.progress'; runId: string; elapsedMs: number; bestObjective: number }
  | { type: 'plan-run.finished'; runId: string; status: string; planId: string | null }
  | { type: 'plan.published'; planId: string; slots: number }
  | { type: 'slot.changed'; slotId: string; action: string }
  | {
      type: 'machine.status';
      machineId: string;
      departmentId: string;
      changed: string[];
      status: MachineStatus;
      at: string;
    }
  | { type: 'machine.alarm'; machineId: string; departmentId: string; alarm: AlarmValue; at: string }
  | { type: 'alarm.acknowledged' };

export function useEvents(channels: string[], onEvent: (e: KerfEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = channels.join(',');
  useEffect(() => {
    const token = getToken();
    if (!token) return;
    const proto = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${proto}://${window.location.host}/api/v1/ws?access_token=${encodeURIComponent(token)}`);
    ws.onopen = () => ws.send(JSON.stringify({ subscribe: key.split(',') }));
    ws.onmessage = (m: MessageEvent<string>) => {
      const msg = JSON.parse(m.data) as { channel?: string; event?: KerfEvent };
      if (msg.event) handler.current(msg.event);
    };
    return () => ws.close();
  }, [key]);
}
