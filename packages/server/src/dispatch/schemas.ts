import { RULES } from '@kerf/solver';
import { Type } from 'typebox';
import { strict, Uuid } from '../platform/http/schemas.js';

export const QueueQuery = strict(
  Type.Object({
    rule: Type.Optional(
      Type.Union(
        RULES.map((r) => Type.Literal(r)),
        {
          description:
            'rank ready work by this dispatch rule; omitted: follow the published plan (equal starts by EDD)',
        },
      ),
    ),
  }),
);

export const QueueOrderBody = strict(
  Type.Object({
    slotIds: Type.Array(Uuid, {
      minItems: 1,
      maxItems: 5000,
      description: 'waiting slots of this queue, first to run first; unlisted ones follow in plan order',
    }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  }),
);
