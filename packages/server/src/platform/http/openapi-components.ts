/**
 * Moves every schema that carries a `title` (the contract's main objects: Job, PlanRun, ErrorResponse,
 * ...) into `components.schemas` under that name and refers to it from where it was used. @fastify/swagger
 * inlines route schemas; named components make the document smaller and the web client generated from it
 * readable (`components['schemas']['Job']` instead of one anonymous copy per route). Two different schemas
 * under one title stay inline after the first, so nothing is ever replaced by something else.
 */
const NAME = /^[A-Za-z0-9._-]+$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function hoistTitledSchemas<T extends object>(openapi: T): T {
  const document = openapi as Json;
  const components = (document.components ??= {}) as Json;
  const named = (components.schemas ??= {}) as Json;
  const seen = new Map<string, string>(Object.entries(named).map(([k, v]) => [k, JSON.stringify(v)]));

  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isObject(node)) return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === 'example' || k === 'examples' ? v : visit(v);
    const title = out.title;
    if (typeof title !== 'string' || !NAME.test(title) || !('type' in out || 'properties' in out)) return out;
    const text = JSON.stringify(out);
    const known = seen.get(title);
    if (known === undefined) {
      seen.set(title, text);
      named[title] = out;
    } else if (known !== text) {
      return out;
    }
    return { $ref: `#/components/schemas/${title}` };
  };

  for (const key of Object.keys(document)) {
    if (key !== 'components') document[key] = visit(document[key]);
  }
  return openapi;
}
