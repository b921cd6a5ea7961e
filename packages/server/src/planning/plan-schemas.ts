import { Type } from 'typebox';
import { Code, DateTime, Nullable, OneOf, OneOfColumn, RowMeta, Uuid } from '../platform/http/schemas.js';

/** What plan runs, plans and their diff answer: the planning board and the plan-runs page read these. */

export const OBJECTIVES = ['weighted_tardiness', 'makespan', 'lexicographic'] as const;
export const PLAN_RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export const PLAN_STATUSES = ['draft', 'published', 'superseded', 'discarded'] as const;

export const Objective = OneOf(OBJECTIVES);

const Violation = Type.Object({ kind: Type.String(), message: Type.String(), routingId: Type.Optional(Type.String()) });

const ProgressPoint = Type.Object({ elapsedMs: Type.Number(), bestObjective: Type.Number() });

export const PlanRunStarted = Type.Object(
  {
    id: Uuid,
    status: OneOf(['running', 'queued'], { description: 'running, or queued behind the runs the shop allows at once' }),
    queuePosition: Nullable(Type.Integer({ description: '1 = starts next; null when running' })),
  },
  { title: 'PlanRunStarted' },
);

export const PlanRunCancelled = Type.Object({ id: Uuid, status: OneOf(['cancelled', 'cancelling']) });

const planRunFields = {
  id: Uuid,
  status: OneOfColumn(PLAN_RUN_STATUSES),
  trigger: OneOfColumn(['manual', 'nightly']),
  objective: OneOfColumn(OBJECTIVES),
  timeLimitSeconds: Type.Integer(),
  horizonDays: Type.Integer(),
  frozenMinutes: Type.Integer(),
  planId: Nullable(Uuid),
  progress: Type.Array(ProgressPoint),
  stats: Nullable(Type.Record(Type.String(), Type.Unknown())),
  error: Nullable(Type.String()),
  requestedBy: Nullable(Type.String()),
  startedAt: DateTime,
  finishedAt: Nullable(DateTime),
  queuePosition: Nullable(Type.Integer({ description: 'while queued: 1 = starts next' })),
};

export const PlanRunSummary = Type.Object(planRunFields, { title: 'PlanRunSummary' });

const ObjectiveValues = Type.Object({
  weightedTardiness: Type.Number(),
  lateJobs: Type.Integer(),
  makespanEnd: Nullable(DateTime),
  setupMinutes: Type.Integer(),
  utilizationPct: Nullable(Type.Number()),
  operations: Type.Integer(),
});

export const PlanRun = Type.Object(
  {
    ...planRunFields,
    valid: Nullable(Type.Boolean()),
    violations: Type.Array(Violation),
    objectiveValues: Nullable(ObjectiveValues),
  },
  { title: 'PlanRun' },
);

const planFields = {
  id: Uuid,
  status: OneOfColumn(PLAN_STATUSES),
  objective: OneOfColumn(OBJECTIVES),
  timeZero: DateTime,
  weightedTardiness: Type.Number(),
  lateJobs: Type.Integer(),
  makespanEnd: Nullable(DateTime),
  setupMinutes: Type.Integer(),
  utilizationPct: Nullable(Type.Number()),
  operations: Type.Integer(),
  valid: Type.Boolean(),
  violations: Type.Array(Violation),
  createdBy: Nullable(Type.String()),
  publishedBy: Nullable(Type.String()),
  publishedAt: Nullable(DateTime),
  ...RowMeta,
};

export const PlanSummary = Type.Object(planFields, { title: 'PlanSummary' });

const PlanSlot = Type.Object({
  planId: Uuid,
  routingId: Uuid,
  workCenterId: Code,
  setupStart: DateTime,
  plannedStart: DateTime,
  plannedEnd: DateTime,
  isFixed: Type.Boolean(),
});

export const Plan = Type.Object({ ...planFields, slots: Type.Array(PlanSlot) }, { title: 'Plan' });

const Kpis = Type.Object({
  weightedTardiness: Type.Number(),
  lateJobs: Type.Integer(),
  makespanEnd: Nullable(DateTime),
  setupMinutes: Type.Integer(),
  utilizationPct: Nullable(Type.Number()),
});

const KpiDelta = Type.Object({
  weightedTardiness: Type.Number(),
  lateJobs: Type.Integer(),
  makespanMinutes: Nullable(Type.Integer()),
  setupMinutes: Type.Integer(),
  utilizationPct: Nullable(Type.Number()),
});

const JobChange = Type.Object({
  jobId: Uuid,
  jobNumber: Type.String(),
  dueDate: DateTime,
  publishedEnd: Nullable(DateTime),
  draftEnd: Nullable(DateTime),
  shiftMinutes: Nullable(Type.Integer({ description: 'positive: the draft finishes the job later' })),
  movedOperations: Type.Integer(),
  lateInDraft: Type.Boolean(),
  lateInPublished: Type.Boolean(),
});

export const PlanDiff = Type.Object(
  {
    planId: Uuid,
    publishedPlanId: Nullable(Uuid),
    kpis: Type.Object({ draft: Kpis, published: Nullable(Kpis), delta: Nullable(KpiDelta) }),
    movedJobs: Type.Integer(),
    laterJobs: Type.Integer(),
    earlierJobs: Type.Integer(),
    jobs: Type.Array(JobChange),
  },
  { title: 'PlanDiff' },
);

export const PlanPublished = Type.Object(
  {
    plan: PlanSummary,
    slotsWritten: Type.Integer(),
    slotsReplaced: Type.Integer(),
    keptStarted: Type.Integer(),
  },
  { title: 'PlanPublished' },
);
