import { Type, type Static } from 'typebox';
import { RoutingInput } from '../jobs/schemas.js';
import { Code, DateTime, DateTimeInput, Nullable, strict } from '../platform/http/schemas.js';

/** A prospective job: what a job create takes for its routing, without the paperwork. */
export const PromiseBody = strict(
  Type.Object({
    quantity: Type.Integer({ minimum: 1 }),
    priority: Type.Integer({ minimum: 1, maximum: 4, description: '1 Rush, 2 High, 3 Normal, 4 Low' }),
    dueDate: Type.Optional(DateTimeInput),
    routings: Type.Array(RoutingInput, { minItems: 1, maxItems: 200 }),
  }),
);
export type PromiseInput = Static<typeof PromiseBody>;

const PromiseStep = Type.Object({
  sequence: Type.Integer(),
  operationCode: Type.String(),
  workCenterId: Code,
  readyAt: DateTime,
  setupStart: DateTime,
  start: DateTime,
  end: DateTime,
  waitMinutes: Type.Integer({ description: 'calendar minutes the step waits because its center is booked' }),
});

const verdict = {
  onTime: Nullable(Type.Boolean({ description: 'null when no due date was given' })),
  lateMinutes: Nullable(Type.Integer()),
};

export const PromiseAnswer = Type.Object(
  {
    earliestCompletion: DateTime,
    ...verdict,
    justification: Type.Object({
      text: Type.String(),
      bottleneck: Nullable(
        Type.Object({
          sequence: Type.Integer(),
          operationCode: Type.String(),
          workCenterId: Code,
          readyAt: DateTime,
          couldStartAt: DateTime,
          startsAt: DateTime,
          waitMinutes: Type.Integer(),
          blockedBy: Type.Array(Type.String()),
        }),
      ),
      criticalPath: Type.Array(Type.Integer(), { description: 'sequences of the steps that set the date' }),
    }),
    steps: Type.Array(PromiseStep),
    ifPushingLowerPriority: Type.Object({
      completion: DateTime,
      ...verdict,
      earlierByMinutes: Type.Integer(),
      pushedJobs: Type.Array(Type.Object({ jobNumber: Type.String(), priority: Type.Integer(), workCenterId: Code })),
      steps: Type.Array(PromiseStep),
    }),
    basis: Type.Object({
      now: DateTime,
      priority: Type.Integer(),
      bookingsConsidered: Type.Integer(),
      method: Type.String(),
    }),
    computedInMs: Type.Integer(),
  },
  { title: 'PromiseAnswer' },
);
