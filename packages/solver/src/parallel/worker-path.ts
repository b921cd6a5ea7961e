/**
 * Locates the compiled worker script. From dist/ it sits next to this module. When this
 * module runs from TypeScript sources (vitest), there is no worker.js beside it, so we use
 * packages/solver/dist/parallel/worker.js, which exists after `npx tsc -b packages/solver`.
 * Returns null when no compiled worker is found (the caller then searches in-thread).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function resolveWorkerPath(): string | null {
  const here = new URL('./worker.js', import.meta.url);
  if (here.protocol !== 'file:') return null;
  const direct = fileURLToPath(here);
  if (existsSync(direct)) return direct;
  const fromSrc = direct.replace(/([\\/])src([\\/])parallel([\\/])worker\.js$/, '$1dist$2parallel$3worker.js');
  return fromSrc !== direct && existsSync(fromSrc) ? fromSrc : null;
}
