import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { mssqlSimTransDb } from './mssql-db.js';
import { isConnectionError, pgSimTransDb } from './simtrans-db.js';

/** A port where nothing listens: bind an ephemeral one, then close it. */
async function deadPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('a SimTrans server that cannot be reached is a connection failure, not a rejected row', () => {
  it('SQL Server through mssql/tedious', async () => {
    const sim = await mssqlSimTransDb({
      host: '127.0.0.1',
      port: await deadPort(),
      user: 'sa',
      password: 'x',
      database: 'SimTrans',
      sigmanestDatabase: 'SNDB',
      encrypt: true,
      trustServerCertificate: false,
      caFile: undefined,
    });
    const err = await sim.query('SELECT 1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(isConnectionError(err)).toBe(true);
    // The pool is not left broken: the next call tries again (and fails the same way).
    expect(isConnectionError(await sim.transaction(async () => 1).catch((e: unknown) => e))).toBe(true);
    await sim.close();
  });

  it('PostgreSQL (emulator) through pg', async () => {
    const sim = pgSimTransDb(`postgres://postgres@127.0.0.1:${await deadPort()}/test`, 'simtrans');
    const err = await sim.query('SELECT 1').catch((e: unknown) => e);
    expect(isConnectionError(err)).toBe(true);
    await sim.close();
  });

  it('a statement error is not a connection failure', () => {
    expect(
      isConnectionError(Object.assign(new Error('String or binary data would be truncated'), { code: 'EREQUEST' })),
    ).toBe(false);
    expect(isConnectionError('boom')).toBe(false);
  });
});
