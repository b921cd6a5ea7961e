import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alarmTestApp, type AlarmTestApp } from '../machines/alarms/alarm-test-app.js';

interface Message {
  type?: string;
  channel?: string;
  event?: { type: string; notification?: { recipientRole: string }; alarm?: { code: string } };
}

// The `notifications` channel is per user: a socket gets only what is addressed to its user's
// role; `alarms` goes to everyone with machine:view.
describe('alarms and notifications on the WebSocket', () => {
  let t: AlarmTestApp;
  let port = 0;
  beforeAll(async () => {
    t = await alarmTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(async () => t.close());

  async function socket(role: keyof AlarmTestApp['tokens']) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws?access_token=${t.tokens[role]}`);
    const messages: Message[] = [];
    ws.on('message', (raw: Buffer) => messages.push(JSON.parse(raw.toString()) as Message));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ subscribe: ['alarms', 'notifications'] }));
    const until = Date.now() + 5000;
    while (!messages.some((m) => m.type === 'subscribed') && Date.now() < until)
      await new Promise((r) => setTimeout(r, 20));
    return { ws, messages };
  }

  it('a bottleneck fault reaches every alarms subscriber, its notification only the addressed roles', async () => {
    const op = await socket('operator');
    const sup = await socket('supervisor');
    const pm = await socket('production_manager');
    await t.alarm('LASER-01', { code: 'F1', active: true, severity: 'fault', message: 'chiller' }, new Date());
    const settle = Date.now() + 5000;
    while (pm.messages.filter((m) => m.channel).length < 2 && Date.now() < settle)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    const seen = (s: { messages: Message[] }) =>
      s.messages
        .filter((m) => m.channel)
        .map((m) => [m.channel, m.event?.type, m.event?.notification?.recipientRole ?? m.event?.alarm?.code]);
    expect(seen(op)).toEqual([['alarms', 'alarm.raised', 'F1']]);
    expect(seen(sup)).toEqual([
      ['alarms', 'alarm.raised', 'F1'],
      ['notifications', 'notification.created', 'supervisor'],
    ]);
    expect(seen(pm)).toEqual([
      ['alarms', 'alarm.raised', 'F1'],
      ['notifications', 'notification.created', 'production_manager'],
    ]);
    for (const s of [op, sup, pm]) s.ws.close();
  });
});
