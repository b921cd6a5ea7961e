import type { TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { jsonPointerToPath } from '../platform/http/error-handler.js';

/** A schema violation at a JSON path such as "routings[2].runMinutesPerUnit". */
export interface FieldProblem {
  path: string;
  message: string;
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/** Ajv-style wording that reads well next to a column name. */
function describe(e: SchemaError): string {
  const limit = e.params.limit;
  switch (e.keyword) {
    case 'minLength':
      return limit === 1 ? 'is required' : `must have at least ${String(limit)} characters`;
    case 'maxLength':
      return `must have at most ${String(limit)} characters`;
    case 'minimum':
      return `must be at least ${String(limit)}`;
    case 'exclusiveMinimum':
      return `must be greater than ${String(limit)}`;
    case 'maximum':
      return `must be at most ${String(limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(limit)}`;
    case 'pattern':
      return 'may contain only letters, digits and . _ / - and must start with a letter or digit';
    case 'required':
      return 'is required';
    default:
      return e.message;
  }
}

// Compiled once per schema: checking 5000 jobs interpretively costs seconds.
const validators = new WeakMap<TSchema, Validator>();

function validatorOf(schema: TSchema): Validator {
  let v = validators.get(schema);
  if (!v) {
    v = Compile(schema);
    validators.set(schema, v);
  }
  return v;
}

/**
 * Checks a value built from CSV cells against the schema the JSON API validates with, so
 * both entry points accept exactly the same data. One problem per path: a union reports
 * one error per branch, which would only repeat itself.
 */
export function schemaProblems(schema: TSchema, value: unknown): FieldProblem[] {
  const validator = validatorOf(schema);
  if (validator.Check(value)) return [];
  const byPath = new Map<string, string>();
  for (const e of validator.Errors(value) as SchemaError[]) {
    let path = jsonPointerToPath(e.instancePath);
    const missing = e.params.requiredProperties ?? e.params.missingProperty;
    if (e.keyword === 'required' && Array.isArray(missing) && typeof missing[0] === 'string') {
      path = path ? `${path}.${missing[0]}` : missing[0];
    }
    if (!byPath.has(path)) byPath.set(path, describe(e));
  }
  return [...byPath].map(([path, message]) => ({ path, message }));
}
