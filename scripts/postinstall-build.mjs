#!/usr/bin/env node
// postinstall: build the packages after `npm install`, unless nothing the build reads has changed
// since the last successful build here. A second install then takes seconds instead of rebuilding
// the seven packages and the web bundle; `npm run build` itself always builds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'node_modules', '.cache', 'kerf', 'build-inputs.sha256');
const PACKAGES = ['floor-codes', 'solver', 'connectors', 'sim', 'edge', 'server', 'web'];
const SKIP = new Set(['node_modules', 'dist', 'test-data', 'test-results', 'screenshots', 'coverage']);

function* files(path) {
  if (!existsSync(path)) return;
  if (statSync(path).isFile()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIP.has(entry.name) || entry.name.endsWith('.tsbuildinfo')) continue;
    yield* files(join(path, entry.name));
  }
}

/** A digest of every file the build reads: sources, configs, manifests and the lockfile. */
function inputsDigest() {
  const hash = createHash('sha256');
  const inputs = ['package.json', 'package-lock.json', 'tsconfig.base.json'].map((f) => join(root, f));
  for (const p of PACKAGES) inputs.push(join(root, 'packages', p));
  for (const input of inputs)
    for (const file of files(input))
      hash
        .update(`${relative(root, file)}\0`)
        .update(readFileSync(file))
        .update('\0');
  hash.update(process.version);
  return hash.digest('hex');
}

const outputsPresent = PACKAGES.every((p) => existsSync(join(root, 'packages', p, 'dist')));
const digest = inputsDigest();
if (outputsPresent && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
  console.log('kerf: build is up to date (no source, config or lockfile changed); skipped');
  process.exit(0);
}
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
mkdirSync(dirname(stamp), { recursive: true });
writeFileSync(stamp, digest);
