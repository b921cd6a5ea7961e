import { Type } from 'typebox';
import {
  Code,
  DateTime,
  DateTimeInput,
  listQuery,
  Nullable,
  RowMeta,
  strict,
  Uuid,
  VersionField,
  OneOf,
  OneOfColumn,
  nameSchemas,
} from '../platform/http/schemas.js';

export const JOB_STATUSES = ['planned', 'released', 'in_progress', 'complete', 'on_hold', 'cancelled'] as const;
const JobStatus = OneOf(JOB_STATUSES);

const customerFields = {
  code: Code,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  contactEmail: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
};
export const Customer = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  contactEmail: Nullable(Type.String()),
  notes: Nullable(Type.String()),
  ...RowMeta,
});
export const CustomerCreate = strict(Type.Object(customerFields));
export const CustomerUpdate = strict(Type.Partial(Type.Object({ ...customerFields, ...VersionField })));
export const CustomerQuery = listQuery({ q: Type.Optional(Type.String()) });

const materialFields = {
  code: Code,
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  thickness: Type.Number({ exclusiveMinimum: 0, description: 'inches' }),
  sheetWidth: Type.Number({ exclusiveMinimum: 0, description: 'inches' }),
  sheetLength: Type.Number({ exclusiveMinimum: 0, description: 'inches' }),
  quantity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  unitCost: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
  location: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
};
export const Material = Type.Object({
  id: Uuid,
  code: Type.String(),
  description: Nullable(Type.String()),
  thickness: Type.Number(),
  sheetWidth: Type.Number(),
  sheetLength: Type.Number(),
  quantity: Type.Integer(),
  unitCost: Nullable(Type.Number()),
  location: Nullable(Type.String()),
  ...RowMeta,
});
export const MaterialCreate = strict(Type.Object(materialFields));
export const MaterialUpdate = strict(Type.Partial(Type.Object({ ...materialFields, ...VersionField })));
export const MaterialQuery = listQuery({ code: Type.Optional(Type.String()), location: Type.Optional(Type.String()) });

/**
 * A job's collections are capped: the biggest real jobs have tens of steps, and 10,000 made
 * one insert of 90,000 parameters that PostgreSQL refused (a 500 with an 8 MB log line).
 */
export const MAX_PARTS_PER_JOB = 500;
export const MAX_ROUTINGS_PER_JOB = 500;

export const PartInput = strict(
  Type.Object({
    partNumber: Type.String({ minLength: 1, maxLength: 100 }),
    revision: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    materialCode: Code,
    thickness: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }),
    dxfPath: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    grainDirection: Type.Optional(Type.Union([Type.Literal('X'), Type.Literal('Y'), Type.Literal('NONE')])),
  }),
);
export const Part = Type.Object({
  id: Uuid,
  partNumber: Type.String(),
  revision: Type.String(),
  quantity: Type.Integer(),
  materialCode: Type.String(),
  thickness: Type.Number(),
  dxfPath: Nullable(Type.String()),
  grainDirection: Type.String(),
});

export const RoutingInput = strict(
  Type.Object({
    sequence: Type.Integer({ minimum: 1, maximum: 100_000 }),
    operationCode: Type.String({ minLength: 1, maxLength: 50 }),
    workCenterType: Type.String({ minLength: 1, maxLength: 100 }),
    preferredWorkCenterId: Type.Optional(Nullable(Code)),
    setupMinutes: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
    runMinutesPerUnit: Type.Number({ exclusiveMinimum: 0, maximum: 10_000 }),
    quantity: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1_000_000, description: "defaults to the job's quantity" }),
    ),
    setupCategory: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    dependsOn: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 100_000 }), {
        maxItems: MAX_ROUTINGS_PER_JOB,
        description: 'sequences of steps of the same job that must finish first; omitted = the previous sequence',
      }),
    ),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  }),
);
export const Routing = Type.Object({
  id: Uuid,
  sequence: Type.Integer(),
  operationCode: Type.String(),
  workCenterType: Type.String(),
  preferredWorkCenterId: Nullable(Type.String()),
  setupMinutes: Type.Number(),
  runMinutesPerUnit: Type.Number(),
  quantity: Type.Integer(),
  totalMinutes: Type.Number(),
  setupCategory: Nullable(Type.String()),
  dependencies: Type.Array(Type.String(), { description: 'routing ids that must finish first' }),
  dependsOn: Type.Array(Type.Integer(), { description: 'the same, as sequences' }),
  notes: Nullable(Type.String()),
  version: Type.Integer(),
});

const jobFields = {
  jobNumber: Type.String({ minLength: 1, maxLength: 50 }),
  customerId: Type.Optional(Nullable(Uuid)),
  product: Type.String({ minLength: 1, maxLength: 200 }),
  quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  dueDate: DateTimeInput,
  priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 4, description: '1 Rush, 2 High, 3 Normal, 4 Low' })),
  status: Type.Optional(JobStatus),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
};
export const JobCreate = strict(
  Type.Object({
    ...jobFields,
    parts: Type.Optional(Type.Array(PartInput, { maxItems: MAX_PARTS_PER_JOB })),
    routings: Type.Optional(Type.Array(RoutingInput, { maxItems: MAX_ROUTINGS_PER_JOB })),
  }),
);
export const JobUpdate = strict(
  Type.Partial(
    Type.Object({
      ...jobFields,
      parts: Type.Array(PartInput, { maxItems: MAX_PARTS_PER_JOB }),
      routings: Type.Array(RoutingInput, { maxItems: MAX_ROUTINGS_PER_JOB }),
      ...VersionField,
    }),
  ),
);
export const JobSummary = Type.Object({
  id: Uuid,
  jobNumber: Type.String(),
  customerId: Nullable(Type.String()),
  product: Type.String(),
  quantity: Type.Integer(),
  quantityCompleted: Type.Integer({ description: 'good units the last steps of its routing finished on the floor' }),
  dueDate: DateTime,
  priority: Type.Integer(),
  status: OneOfColumn(JOB_STATUSES),
  heldFrom: Nullable(OneOfColumn(JOB_STATUSES, { description: 'for an on_hold job: the status it resumes to' })),
  notes: Nullable(Type.String()),
  ...RowMeta,
});
export const Job = Type.Object({ ...JobSummary.properties, parts: Type.Array(Part), routings: Type.Array(Routing) });
export const JobQuery = listQuery({
  status: Type.Optional(JobStatus),
  priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 })),
  customerId: Type.Optional(Uuid),
  dueFrom: Type.Optional(DateTimeInput),
  dueTo: Type.Optional(DateTimeInput),
  q: Type.Optional(Type.String()),
});

export type PartInputT = {
  partNumber: string;
  revision?: string;
  quantity: number;
  materialCode: string;
  thickness: number;
  dxfPath?: string | null;
  grainDirection?: 'X' | 'Y' | 'NONE';
};
export type RoutingInputT = {
  sequence: number;
  operationCode: string;
  workCenterType: string;
  preferredWorkCenterId?: string | null;
  setupMinutes?: number;
  runMinutesPerUnit: number;
  quantity?: number;
  setupCategory?: string | null;
  dependsOn?: number[];
  notes?: string | null;
};
export type JobInputT = {
  jobNumber: string;
  customerId?: string | null;
  product: string;
  quantity: number;
  dueDate: string;
  priority?: number;
  status?: (typeof JOB_STATUSES)[number];
  notes?: string | null;
  parts?: PartInputT[];
  routings?: RoutingInputT[];
};

nameSchemas({ Customer, Material, Part, Routing, JobSummary, Job });
