import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

type Ajv = AjvCompiler.Ajv;
type Factory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator'];
/** What @fastify/ajv-compiler really takes and returns (its types describe plain ajv.compile). */
interface CompilerOptions {
  plugins: unknown[];
  customOptions: Record<string, unknown>;
  onCreate: (ajv: Ajv) => void;
}
type RouteCompiler = (route: { schema: unknown; method: string; url: string; httpPart?: string }) => unknown;
type FormatCheck = (value: string) => boolean;

/** The instants Kerf stores; PostgreSQL refuses year 0 and JavaScript prints years past 9999 as +010000. */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 9999;
const FIRST_INSTANT = Date.UTC(FIRST_YEAR, 0, 1);
const LAST_INSTANT = Date.UTC(LAST_YEAR, 11, 31, 23, 59, 59, 999);

const ajvOptions = {
  // Unknown fields are errors (strict schemas), not silently dropped.
  removeAdditional: false,
  useDefaults: true,
  // allErrors lets one request make ajv collect errors without end.
  allErrors: false,
  // NaN and Infinity are no numbers: ?limit=Infinity passes an integer check otherwise.
  strictNumbers: true,
} as const;

function checkOf(ajv: Ajv, name: string): { check: FormatCheck; compare?: unknown } {
  const format = ajv.formats[name];
  if (typeof format === 'function') return { check: format as FormatCheck };
  if (format instanceof RegExp) return { check: (v) => format.test(v) };
  if (format && typeof format === 'object' && typeof format.validate === 'function') {
    return { check: format.validate as FormatCheck, compare: format.compare };
  }
  throw new Error(`ajv has no "${name}" format to bound`);
}

/** date-time and date as ajv-formats has them, within the years Kerf and PostgreSQL handle. */
function boundDates(ajv: Ajv): void {
  const dateTime = checkOf(ajv, 'date-time');
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (v: string) => {
      if (!dateTime.check(v)) return false;
      const t = Date.parse(v);
      return t >= FIRST_INSTANT && t <= LAST_INSTANT;
    },
    ...(dateTime.compare ? { compare: dateTime.compare as (a: string, b: string) => number } : {}),
  });
  const date = checkOf(ajv, 'date');
  ajv.addFormat('date', {
    type: 'string',
    validate: (v: string) => date.check(v) && Number(v.slice(0, 4)) >= FIRST_YEAR,
    ...(date.compare ? { compare: date.compare as (a: string, b: string) => number } : {}),
  });
}

/**
 * Fastify's validator with two ajv instances. Querystrings, params and headers are text, so
 * "5" becomes 5 there; a JSON body has real types, and "5" or true for a number is the
 * client's mistake to be told about, not guessed at.
 */
export function kerfValidator(): Factory {
  const pool = AjvCompiler() as unknown as (externalSchemas: unknown, options: CompilerOptions) => RouteCompiler;
  const factory = (externalSchemas: unknown, serverOptions?: Partial<CompilerOptions>): RouteCompiler => {
    const build = (coerceTypes: 'array' | false) =>
      pool(externalSchemas, {
        plugins: serverOptions?.plugins ?? [],
        customOptions: { ...serverOptions?.customOptions, ...ajvOptions, coerceTypes },
        onCreate: boundDates,
      });
    const forText = build('array');
    const forBody = build(false);
    return (route) => (route.httpPart === 'body' ? forBody(route) : forText(route));
  };
  return factory as unknown as Factory;
}
