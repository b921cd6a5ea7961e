import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findForbiddenPaths } from './check-test-paths.mjs';

// Built from pieces so this file does not trip the check it tests.
const SHARED = ['..', '..', '..', '..', 'shared', 'benchmarks'].join('/');
const DEV_ABSOLUTE = '/' + ['work', 'shared', 'fixtures', 'mtconnect'].join('/');

const roots = [];
function plant(files) {
  const root = mkdtempSync(join(tmpdir(), 'kerf-paths-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('check:paths', () => {
  it('finds a planted read of the shared folder and a development-machine path in test and bench sources', () => {
    const root = plant({
      'packages/solver/src/formats/x.test.ts': `const dir = path.resolve(here, '${SHARED}');\n`,
      'packages/sim/src/bench/y-bench.ts': `const F = '${DEV_ABSOLUTE}';\n`,
      'packages/web/e2e/z.e2e.ts': `readFileSync('${SHARED}/bks.json');\n`,
    });
    const found = findForbiddenPaths(root);
    expect(found.map((f) => `${f.file}:${f.line}`).sort()).toEqual([
      'packages/sim/src/bench/y-bench.ts:1',
      'packages/solver/src/formats/x.test.ts:1',
      'packages/web/e2e/z.e2e.ts:1',
    ]);
  });

  it('leaves product code, committed test data and marked lines alone', () => {
    const root = plant({
      'packages/server/src/platform/config.ts': `const DATA = '${DEV_ABSOLUTE}';\n`,
      'packages/solver/test-data/README.md': `copied from ${SHARED}\n`,
      'packages/edge/src/config.test.ts': `// path-check: allow (a config value, never read)\nconst p = '${DEV_ABSOLUTE}';\n`,
      'packages/solver/src/formats/ok.test.ts': `const dir = fileURLToPath(new URL('../../test-data', import.meta.url));\n`,
    });
    expect(findForbiddenPaths(root)).toEqual([]);
  });

  it('passes on this repository', () => {
    const repo = fileURLToPath(new URL('..', import.meta.url));
    expect(findForbiddenPaths(repo)).toEqual([]);
  });
});
