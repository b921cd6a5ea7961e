import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../platform/db.js';
import { testDatabase } from '../test/harness.js';
import { startNestingSync } from './start.js';
import { count, releaseDemoJobs, testNestingConfig } from './test-support.js';

describe('KERF_NESTING_MODE=emulator (the demo default)', () => {
  let database: Database & { drop: () => Promise<void> };
  beforeAll(async () => {
    database = await testDatabase();
    await releaseDemoJobs(database.db, 3);
  });
  afterAll(async () => database.drop());

  it('sends released jobs to the built-in emulator and applies the nests it posts, on its own schedule', async () => {
    const ncDir = mkdtempSync(join(tmpdir(), 'kerf-nc-demo-'));
    const db = database.db;
    const pending = await count(db, 'nesting_outbox', "status = 'pending'");
    const sync = await startNestingSync(
      db,
      () => undefined,
      testNestingConfig({ mode: 'emulator', pollSeconds: 1, ncRoots: [ncDir] }),
    );
    try {
      const deadline = Date.now() + 20_000;
      while ((await count(db, 'nest_results')) === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await sync!.stop();
    }
    expect(pending).toBeGreaterThan(0);
    expect(await count(db, 'nesting_outbox', "status = 'pending'")).toBe(0);
    const nests = await count(db, 'nest_results');
    expect(nests).toBeGreaterThan(0);
    expect(readdirSync(ncDir).filter((f) => f.endsWith('.nc')).length).toBeGreaterThanOrEqual(nests);
  });
});
