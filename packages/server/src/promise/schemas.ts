import { Type, type Static } from 'typebox';
import { RoutingInput } from '../jobs/schemas.js';
import { DateTime, strict } from '../platform/http/schemas.js';

/** A prospective job: what a job create takes for its routing, without the paperwork. */
export const PromiseBody = strict(
  Type.Object({
    quantity: Type.Integer({ minimum: 1 }),
    priority: Type.Integer({ minimum: 1, maximum: 4, description: '1 Rush, 2 High, 3 Normal, 4 Low' }),
    dueDate: Type.Optional(DateTime),
    routings: Type.Array(RoutingInput, { minItems: 1, maxItems: 200 }),
  }),
);
export type PromiseInput = Static<typeof PromiseBody>;
