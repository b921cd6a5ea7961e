import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT, sortKeys } from './openapi.mjs';

const SCRIPT = fileURLToPath(new URL('./openapi.mjs', import.meta.url));
// The web types are left out here: these tests are about the document; the check covers both alike.
const run = (args, env = {}) =>
  spawnSync(process.execPath, [SCRIPT, ...args], {
    encoding: 'utf8',
    env: { ...process.env, KERF_OPENAPI_WEB_TYPES: '', ...env },
  });

describe('check:openapi', () => {
  let dir;
  let fresh;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kerf-openapi-test-'));
    const out = run(['--out', dir]);
    expect(out.status, out.stderr).toBe(0);
    fresh = join(dir, DOCUMENT);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a sorted document with a trailing newline that passes the check', () => {
    const text = readFileSync(fresh, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    const doc = JSON.parse(text);
    expect(JSON.stringify(doc)).toBe(JSON.stringify(sortKeys(doc)));
    expect(Object.keys(doc.paths).length).toBeGreaterThan(50);
    const check = run(['--check'], { KERF_OPENAPI_DOCUMENT: fresh });
    expect(check.status, check.stderr).toBe(0);
  }, 120_000);

  it('fails, saying to run npm run openapi, when a response schema changed without regenerating', () => {
    const doc = JSON.parse(readFileSync(fresh, 'utf8'));
    // the job answer is a named component: follow its $ref
    const ref = doc.paths['/api/v1/jobs/{id}'].get.responses['200'].content['application/json'].schema.$ref;
    const job = doc.components.schemas[ref.split('/').pop()];
    expect(job.properties.dueDate).toBeDefined();
    delete job.properties.dueDate; // as if the route's response schema had changed since the last `npm run openapi`
    const stale = join(dir, 'stale-openapi.json');
    writeFileSync(stale, `${JSON.stringify(doc, null, 2)}\n`);
    const check = run(['--check'], { KERF_OPENAPI_DOCUMENT: stale });
    expect(check.status).toBe(1);
    expect(check.stderr).toContain('run `npm run openapi`');
  }, 120_000);
});

describe('sortKeys', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(JSON.stringify(sortKeys({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }))).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });
});
