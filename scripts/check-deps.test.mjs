import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// The dependency rule of `npm run check:deps` (.dependency-cruiser.cjs), run on planted trees.
const repo = fileURLToPath(new URL('..', import.meta.url));
const depcruise = join(repo, 'node_modules', '.bin', 'depcruise');

const roots = [];
function plant(files) {
  const root = mkdtempSync(join(tmpdir(), 'kerf-deps-'));
  roots.push(root);
  copyFileSync(join(repo, 'tsconfig.base.json'), join(root, 'tsconfig.base.json'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

function check(root) {
  const run = spawnSync(
    depcruise,
    ['packages/server/src', '--config', join(repo, '.dependency-cruiser.cjs'), '--output-type', 'err'],
    { cwd: root, encoding: 'utf8' },
  );
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

const base = {
  'packages/server/src/platform/db.ts': 'export const db = 1;\n',
  'packages/server/src/shop/tables.ts': 'export const workCenters = 1;\n',
  'packages/server/src/shop/queries.ts': "import { workCenters } from './tables.js';\nexport const q = workCenters;\n",
  'packages/server/src/jobs/service.ts': "import { q } from '../shop/queries.js';\nexport const s = q;\n",
};

describe('check:deps', () => {
  it('passes a tree that keeps the layering', () => {
    const { status, out } = check(plant(base));
    expect(out).toContain('no dependency violations');
    expect(status).toBe(0);
  });

  it("fails on platform/ importing a domain module, another module's tables, and an import circle", () => {
    const { status, out } = check(
      plant({
        ...base,
        'packages/server/src/platform/db.ts': "import { s } from '../jobs/service.js';\nexport const db = s;\n",
        'packages/server/src/jobs/service.ts':
          "import { workCenters } from '../shop/tables.js';\nimport { db } from '../platform/db.js';\nexport const s = workCenters + db;\n",
      }),
    );
    expect(status).not.toBe(0);
    expect(out).toMatch(
      /platform-is-the-base: packages\/server\/src\/platform\/db\.ts → packages\/server\/src\/jobs\/service\.ts/,
    );
    expect(out).toMatch(
      /tables-are-owned: packages\/server\/src\/jobs\/service\.ts → packages\/server\/src\/shop\/tables\.ts/,
    );
    expect(out).toMatch(/no-circular/);
  });

  it("lets a module's own files and test code use its tables", () => {
    const { status, out } = check(
      plant({
        ...base,
        'packages/server/src/jobs/service.test.ts':
          "import { workCenters } from '../shop/tables.js';\nexport const t = workCenters;\n",
      }),
    );
    expect(out).toContain('no dependency violations');
    expect(status).toBe(0);
  });
});
