import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../platform/migrate.js';
import { testDatabase } from '../test/harness.js';
import { SECRET_MARKER } from './connection-secrets.js';

// Audit rows written before connection secrets were redacted hold them in clear; migration 0016 scrubs them.
describe('migration 0016: machine secrets already in the audit log', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  beforeAll(async () => {
    database = await testDatabase();
  });
  afterAll(async () => database?.drop());

  it('redacts secrets in machine audit rows, at any depth, and leaves everything else alone', async () => {
    const before = {
      code: 'PUN-01',
      connection: {
        endpointUrl: 'opc.tcp://10.0.4.21:4840',
        identity: { type: 'username', userName: 'mes', password: 'old-clear-password' },
        endpoints: [{ apiToken: 'old-clear-token', privateKeyFile: '/etc/kerf/key.pem' }],
        passphrase: '',
      },
    };
    const after = { ...before, connection: { ...before.connection, clientSecret: 'old-clear-secret' } };
    await database.query(
      `INSERT INTO audit_log (actor_type, action, entity, entity_id, before, after) VALUES
         ('user', 'update', 'machine', 'm1', $1, $2),
         ('user', 'update', 'work_center', 'w1', $3, NULL)`,
      [JSON.stringify(before), JSON.stringify(after), JSON.stringify({ connection: { password: 'not-a-machine' } })],
    );
    const script = listMigrations().find((m) => m.id.startsWith('0016_'))?.script;
    expect(script, 'migration 0016').toBeDefined();
    await database.exec(`BEGIN; ${script}; COMMIT;`);
    const rows = await database.query<{ entity: string; before: unknown; after: unknown }>(
      'SELECT entity, before, after FROM audit_log ORDER BY id',
    );
    const machine = rows.find((r) => r.entity === 'machine')!;
    expect(machine.before).toEqual({
      code: 'PUN-01',
      connection: {
        endpointUrl: 'opc.tcp://10.0.4.21:4840',
        identity: { type: 'username', userName: 'mes', password: SECRET_MARKER },
        endpoints: [{ apiToken: SECRET_MARKER, privateKeyFile: '/etc/kerf/key.pem' }],
        passphrase: '',
      },
    });
    expect(machine.after).toMatchObject({ connection: { clientSecret: SECRET_MARKER } });
    expect(JSON.stringify(machine)).not.toMatch(/old-clear/);
    expect(rows.find((r) => r.entity === 'work_center')!.before).toEqual({ connection: { password: 'not-a-machine' } });
  });
});
