import type { AlarmValue, MachineState } from '@kerf/connectors';
import { loadConfig } from '../../platform/config.js';
import { EventBus, type KerfEvent } from '../../platform/events.js';
import { buildApp, type KerfApp } from '../../app/build-app.js';
import { seedMiniShop } from '../../test/fixtures.js';
import { testDatabase, createRoleUsers, loginEveryRole } from '../../test/harness.js';

/**
 * The harness's test app plus what alarm tests need: the alarm watch (no timer: tests tick it
 * with their own clock), every published event, and machines on the mini shop
 * (LASER-01 on a bottleneck work center, WELD-01 not).
 */
export async function alarmTestApp() {
  const database = await testDatabase();
  const config = { ...loadConfig({}), loginRateLimit: 1000, alarmTickSeconds: 0 };
  await createRoleUsers(database);
  const events = new EventBus();
  const published: KerfEvent[] = [];
  events.subscribe((e) => published.push(e));
  const kerf: KerfApp = await buildApp({ database, config, events });
  const tokens = await loginEveryRole(kerf.app);
  await seedMiniShop(kerf.app, tokens.admin);
  await database.exec(`UPDATE work_centers SET is_bottleneck = true WHERE id = 'LASER-01'`);
  const machineIds: Record<string, string> = {};
  for (const [code, wc, dept, protocol] of [
    ['LASER-01', 'LASER-01', 'laser', 'mtconnect'],
    ['WELD-01', 'WELD-01', 'weld', 'mqtt'],
  ] as const) {
    const rows = await database.query<{ id: string }>(
      `INSERT INTO machines (code, name, work_center_id, department_id, protocol) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [code, `${code} machine`, wc, dept, protocol],
    );
    machineIds[code] = rows[0]!.id;
  }
  const departmentOf = (code: string) => (code.startsWith('LASER') ? 'laser' : 'weld');

  // A tick's notifications and suggestions are delivered from the outbox: drained before it answers.
  const alarmWatch = {
    ...kerf.alarmWatch,
    tick: async (now?: Date) => {
      const result = await kerf.alarmWatch.tick(now);
      await kerf.outbox!.drain();
      return result;
    },
  };
  return {
    ...kerf,
    alarmWatch,
    database,
    events,
    published,
    tokens,
    machineIds,
    /** what the ingest pipeline does on a state change: store the status, then publish */
    async setState(code: string, state: MachineState, since: Date) {
      const id = machineIds[code]!;
      await database.query(
        `INSERT INTO machine_status (machine_id, state, since, last_seen) VALUES ($1, $2, $3, $3)
         ON CONFLICT (machine_id) DO UPDATE SET state = $2, since = $3, last_seen = $3`,
        [id, state, since.toISOString()],
      );
      events.publish({
        type: 'machine.status',
        machineId: code,
        departmentId: departmentOf(code),
        changed: ['state'],
        at: since.toISOString(),
        status: {
          machineId: id,
          code,
          departmentId: departmentOf(code),
          state,
          since: since.toISOString(),
          partCount: null,
          program: null,
          jobId: null,
          activeAlarms: [],
          lastSeen: since.toISOString(),
          metrics: {},
        },
      });
      await kerf.alarmWatch.settled();
      await kerf.outbox!.drain();
    },
    async alarm(code: string, alarm: AlarmValue, at: Date, source = 'test') {
      events.publish({
        type: 'machine.alarm',
        machineId: code,
        departmentId: departmentOf(code),
        alarm,
        at: at.toISOString(),
        source,
      });
      await kerf.alarmWatch.settled();
      await kerf.outbox!.drain();
    },
    ofType<T extends KerfEvent['type']>(type: T) {
      return published.filter((e): e is Extract<KerfEvent, { type: T }> => e.type === type);
    },
    close: async () => {
      await kerf.app.close();
      await database.drop();
    },
  };
}

export type AlarmTestApp = Awaited<ReturnType<typeof alarmTestApp>>;
