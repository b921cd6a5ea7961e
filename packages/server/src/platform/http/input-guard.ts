import type { FastifyInstance } from 'fastify';
import { invalid, type AppError } from '../errors.js';
import { findUnstorable } from '../storable-text.js';

/** Why PostgreSQL would refuse (NUL) or silently change (a lone surrogate becomes U+FFFD) this text. */
export function textProblem(text: string): string | undefined {
  const bad = findUnstorable(text);
  if (!bad) return undefined;
  return bad.kind === 'nul'
    ? 'must not contain a NUL character (\\u0000)'
    : 'must be valid Unicode text (it has a lone UTF-16 surrogate)';
}

const child = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/**
 * The first string (or object key) in a parsed value that is not storable text, with its
 * path ("routings[2].notes"). A loop, not recursion: a body nested 100,000 deep must not
 * overflow the stack.
 */
export function findBadText(value: unknown, root = ''): AppError | undefined {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return invalid(path || 'body', problem);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], child(path, i)]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (const [k] of entries) {
        const keyProblem = textProblem(k);
        if (keyProblem) return invalid(child(path, JSON.stringify(k).slice(1, -1)), `field name ${keyProblem}`);
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i]![1], child(path, entries[i]![0])]);
    }
  }
  return undefined;
}

/**
 * A number that is not finite, after validation: ajv turns ?limit=Infinity into Infinity and,
 * once coerced, skips its own finiteness check and the maximum with it.
 */
export function findNonFinite(value: unknown, root = ''): AppError | undefined {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return invalid(path || 'value', 'must be a finite number');
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], child(path, i)]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i]![1], child(path, entries[i]![0])]);
    }
  }
  return undefined;
}

/**
 * Refuses, for every route, what no field of Kerf can take, naming the field: NUL and lone
 * surrogates in any string of the params, the querystring and a JSON body (checked before
 * validation; PostgreSQL refuses NUL in text, a 500 before), and numbers that are not finite
 * (checked after validation, which makes numbers of querystring text). A CSV body is text as
 * a whole; the importer names the row and column of a bad cell instead.
 */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const bad =
      findBadText(request.params) ??
      findBadText(request.query) ??
      (typeof request.body === 'object' ? findBadText(request.body) : undefined);
    if (bad) throw bad;
  });
  app.addHook('preHandler', async (request) => {
    const bad = findNonFinite(request.params) ?? findNonFinite(request.query);
    if (bad) throw bad;
  });
}
