import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, testApp, type TestApp } from '../test/harness.js';

// The examples in docs/csv-import.md are what planners copy; they must import as described.
const doc = readFileSync(new URL('../../../../docs/csv-import.md', import.meta.url), 'utf8');
const [workCentersCsv, jobsCsv] = [...doc.matchAll(/```csv\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/csv-import.md examples', () => {
  let t: TestApp;
  const post = (path: string, csv: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/imports/${path}`,
      headers: { 'content-type': 'text/csv', ...bearer(t.tokens.admin) },
      payload: csv,
    });

  beforeAll(async () => {
    t = await testApp();
    for (const id of ['CUT', 'FORM', 'WELD']) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/departments',
        headers: bearer(t.tokens.admin),
        payload: { id, name: id },
      });
    }
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: bearer(t.tokens.admin),
      payload: { code: 'ACME', name: 'Acme' },
    });
  });
  afterAll(async () => t.close());

  it('imports the work center example, then the jobs example with the documented answer', async () => {
    expect(workCentersCsv).toBeDefined();
    const centers = await post('work-centers', workCentersCsv!);
    expect(centers.statusCode, centers.body).toBe(200);
    expect(centers.json()).toMatchObject({ imported: { created: 3, updated: 0 } });

    const jobs = await post('jobs', jobsCsv!);
    expect(jobs.statusCode, jobs.body).toBe(200);
    const documented = /Success — `200`:\n\n```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(jobs.json()).toEqual(JSON.parse(documented!));
  });
});
