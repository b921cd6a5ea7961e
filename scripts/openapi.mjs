#!/usr/bin/env node
// `npm run openapi`: writes the API contract, packages/server/openapi.json, from the route schemas,
// and (once the web app has it) the web client's types generated from it, so one command renews both.
// `npm run check:openapi`: generates both into a temporary folder and fails when a committed file differs,
// so a schema change without a regenerated contract (or client) cannot pass CI.
//
// It runs the server's TypeScript through tsx, not packages/server/dist: `npm run check` calls it before
// the build step, where dist may be missing or older than the routes it would describe.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DOCUMENT = 'packages/server/openapi.json';
export const WEB_TYPES = 'packages/web/src/api/schema.d.ts';

/** Objects with their keys sorted, recursively; arrays keep their order (it can carry meaning). */
export function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys(value[k])]),
  );
}

/** Text as the repository's Prettier formats it, so `format:check` and this check agree. */
async function formatted(text, file) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(join(ROOT, file))) ?? {};
  return prettier.format(text, { ...options, filepath: join(ROOT, file) });
}

const tsModule = async (rel) => {
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(pathToFileURL(join(ROOT, rel)).href, import.meta.url);
};

/** The OpenAPI document of the app as `npm start` builds it, on an in-memory PGlite with machines, MQTT and timers off. */
export async function buildDocument() {
  const { loadConfig } = await tsModule('packages/server/src/platform/config.ts');
  const { openDatabase } = await tsModule('packages/server/src/platform/db.ts');
  const { migrate } = await tsModule('packages/server/src/platform/migrate.ts');
  const { EventBus } = await tsModule('packages/server/src/platform/events.ts');
  const { buildApp } = await tsModule(appModule());
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    KERF_MQTT: 'false',
    KERF_SIM: 'false',
    KERF_ALARM_TICK_SECONDS: '0',
  });
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrate(database);
    const { app } = await buildApp({ database, config, events: new EventBus() });
    try {
      return app.swagger();
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

/** Where buildApp lives: the composition root once it exists, the platform's HTTP layer before. */
function appModule() {
  for (const rel of ['packages/server/src/app/app.ts', 'packages/server/src/app/build-app.ts']) {
    if (existsSync(join(ROOT, rel))) return rel;
  }
  return 'packages/server/src/platform/http/app.ts';
}

/** Writes the document (and the web types when `webTypes` is given) under `outRoot`. */
export async function generate(outRoot, { webTypes = true } = {}) {
  const document = sortKeys(await buildDocument());
  const documentFile = join(outRoot, DOCUMENT);
  mkdirSync(dirname(documentFile), { recursive: true });
  writeFileSync(documentFile, await formatted(`${JSON.stringify(document, null, 2)}\n`, DOCUMENT));
  const written = [DOCUMENT];
  if (webTypes) {
    const typesFile = join(outRoot, WEB_TYPES);
    mkdirSync(dirname(typesFile), { recursive: true });
    const run = spawnSync('npx', ['--no', '--', 'openapi-typescript', documentFile, '-o', typesFile], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`openapi-typescript failed:\n${run.stdout}${run.stderr}`);
    writeFileSync(typesFile, await formatted(readFileSync(typesFile, 'utf8'), WEB_TYPES));
    written.push(WEB_TYPES);
  }
  return written;
}

/** The committed file each generated one is compared with; the env vars let a test point at altered copies. */
function committedFiles() {
  const document = process.env.KERF_OPENAPI_DOCUMENT || join(ROOT, DOCUMENT);
  const webTypes = process.env.KERF_OPENAPI_WEB_TYPES ?? join(ROOT, WEB_TYPES);
  return { [DOCUMENT]: document, ...(webTypes && existsSync(webTypes) ? { [WEB_TYPES]: webTypes } : {}) };
}

async function main(args) {
  const committed = committedFiles();
  const webTypes = WEB_TYPES in committed;
  if (args[0] === '--out') {
    const out = resolve(args[1]);
    for (const f of await generate(out, { webTypes })) console.log(`wrote ${relative(process.cwd(), join(out, f))}`);
    return 0;
  }
  if (args[0] === '--check') {
    const tmp = mkdtempSync(join(tmpdir(), 'kerf-openapi-'));
    try {
      const stale = [];
      for (const f of await generate(tmp, { webTypes })) {
        const want = readFileSync(join(tmp, f), 'utf8');
        const have = existsSync(committed[f]) ? readFileSync(committed[f], 'utf8') : '';
        if (have !== want) stale.push(relative(ROOT, committed[f]) || committed[f]);
      }
      if (stale.length === 0) {
        console.log('openapi: the committed contract matches the routes');
        return 0;
      }
      console.error(`openapi: ${stale.join(', ')} out of date with the route schemas`);
      console.error('run `npm run openapi` and commit the result');
      return 1;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  for (const f of await generate(ROOT, { webTypes })) console.log(`wrote ${f}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(2);
    },
  );
}
