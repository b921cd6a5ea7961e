#!/usr/bin/env node
// `npm run check:paths`: test, benchmark and script sources may read only inside the repository.
// A clone on a user's machine has no ../shared folder beside it and none of the development
// machines' absolute paths, so a test that reads one passes here by accident and fails there.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A reference that escapes the repository: a sibling `shared` folder, or a machine's own folders. */
const FORBIDDEN = [
  { pattern: /(?:\.\.[/\\])+shared\b/, why: 'reads ../shared, which exists only beside the development checkout' },
  {
    pattern: /['"`](?:\/(?:work|home|root|Users|mnt|srv|opt|usr\/local|usr\/lib|usr\/share)\/|[A-Za-z]:\\)/,
    why: "an absolute path of one machine; resolve from import.meta.url, the package's test-data/, PATH or an env var",
  },
];

/** Lines that name such a path on purpose (e.g. a config value that is never read) carry this marker. */
const ALLOW = 'path-check: allow';
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.kerf', 'test-data', 'coverage']);
const SOURCE = /\.(?:[cm]?[jt]sx?|sh)$/;

/** Test, benchmark and script sources: where a read outside the repository would hide. */
function isCheckedFile(rel) {
  const parts = rel.split(sep);
  if (rel === join('scripts', 'check-test-paths.mjs')) return false; // names the patterns it looks for
  if (parts[0] === 'scripts' || parts[0] === '.ci') return true;
  if (/^vitest.*\.config\.[cm]?[jt]s$/.test(parts.at(-1))) return true;
  if (parts[0] !== 'packages') return false;
  if (parts.includes('e2e') || parts.includes('bench') || parts.includes('test')) return true;
  return /(?:test|bench)/i.test(parts.at(-1));
}

function* walk(dir, root) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full, root);
    else if (entry.isFile()) {
      const rel = relative(root, full);
      if ((SOURCE.test(entry.name) || rel === join('.ci', 'run')) && isCheckedFile(rel)) yield rel;
    }
  }
}

/** Every forbidden reference under `root`: file, line number, the line and why. */
export function findForbiddenPaths(root) {
  const found = [];
  for (const rel of walk(root, root)) {
    const lines = readFileSync(join(root, rel), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.includes(ALLOW) || (i > 0 && lines[i - 1].includes(ALLOW))) return;
      for (const { pattern, why } of FORBIDDEN) {
        if (pattern.test(line)) found.push({ file: rel, line: i + 1, text: line.trim(), why });
      }
    });
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const found = findForbiddenPaths(root);
  for (const f of found) console.error(`${f.file}:${f.line}: ${f.why}\n    ${f.text}`);
  if (found.length > 0) {
    console.error(
      `check:paths: ${found.length} reference(s) outside the repository; commit the data under the package's test-data/ instead`,
    );
    process.exit(1);
  }
  console.log('check:paths: tests, benchmarks and scripts read only inside the repository');
}
