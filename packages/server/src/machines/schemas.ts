import { Type, type Static } from 'typebox';
import {
  Code,
  DateTime,
  DateTimeInput,
  listQuery,
  Nullable,
  OneOfColumn,
  RowMeta,
  strict,
  Uuid,
  VersionField,
  OneOf,
  nameSchemas,
} from '../platform/http/schemas.js';

export const PROTOCOLS = ['mtconnect', 'opcua', 'mqtt', 'sparkplug'] as const;
const Protocol = OneOf(PROTOCOLS);
const State = OneOf(['running', 'idle', 'setup', 'alarm', 'offline', 'stopped']);
// A machine code is also an MQTT topic segment: no '/', '+', '#'.
const MachineCode = Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });

const machineFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  departmentId: Code,
  workCenterId: Type.Optional(Nullable(Code)),
  protocol: Protocol,
  connection: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  enabled: Type.Optional(Type.Boolean()),
};

export const Machine = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  workCenterId: Nullable(Type.String()),
  departmentId: Type.String(),
  protocol: OneOfColumn(PROTOCOLS),
  connection: Type.Record(Type.String(), Type.Unknown()),
  enabled: Type.Boolean(),
  ...RowMeta,
});
export const MachineCreate = strict(Type.Object({ code: MachineCode, ...machineFields }));
export const MachineUpdate = strict(
  Type.Partial(Type.Object({ code: MachineCode, ...machineFields, ...VersionField })),
);
export const MachineQuery = listQuery({
  departmentId: Type.Optional(Code),
  protocol: Type.Optional(Protocol),
  enabled: Type.Optional(Type.Boolean()),
});

const Alarm = Type.Object({
  code: Type.String(),
  active: Type.Boolean(),
  severity: Type.Union([Type.Literal('fault'), Type.Literal('warning')]),
  message: Type.String(),
});
const Scalar = Nullable(Type.Union([Type.Number(), Type.String(), Type.Boolean()]));

export const MachineStatusSchema = Type.Object({
  machineId: Uuid,
  code: Type.String(),
  departmentId: Type.String(),
  state: State,
  since: Nullable(DateTime),
  partCount: Nullable(Type.Number()),
  program: Nullable(Type.String()),
  jobId: Nullable(Type.String()),
  activeAlarms: Type.Array(Alarm),
  lastSeen: Nullable(DateTime),
  metrics: Type.Record(Type.String(), Type.Object({ value: Scalar, time: DateTime })),
});

export const MachineWithStatus = Type.Object({ ...Machine.properties, status: MachineStatusSchema });

export const MachineIdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100, description: 'machine UUID or code' }),
});

export const BUCKETS = ['raw', '1m', '5m', '15m', '1h', '1d'] as const;
export type Bucket = (typeof BUCKETS)[number];

export const MetricsQuery = strict(
  Type.Object({
    metric: Type.String({ minLength: 1, maxLength: 100 }),
    from: Type.Optional(DateTimeInput),
    to: Type.Optional(DateTimeInput),
    bucket: Type.Optional(OneOf(BUCKETS)),
  }),
);
export type MetricsQueryT = Static<typeof MetricsQuery>;

export const MetricSeries = Type.Object({
  machineId: Uuid,
  code: Type.String(),
  metric: Type.String(),
  from: DateTime,
  to: DateTime,
  bucket: OneOf(BUCKETS),
  truncated: Type.Optional(Type.Boolean()),
  points: Type.Array(
    Type.Object({
      time: DateTime,
      value: Type.Optional(Nullable(Type.Union([Type.Number(), Type.String()]))),
      source: Type.Optional(Type.String()),
      sequence: Type.Optional(Type.Number()),
      samples: Type.Optional(Type.Integer()),
      avg: Type.Optional(Nullable(Type.Number())),
      min: Type.Optional(Nullable(Type.Number())),
      max: Type.Optional(Nullable(Type.Number())),
      last: Type.Optional(Nullable(Type.Union([Type.Number(), Type.String()]))),
    }),
  ),
});

export const StatesQuery = strict(
  Type.Object({ from: Type.Optional(DateTimeInput), to: Type.Optional(DateTimeInput) }),
);

export const StateHistory = Type.Object({
  machineId: Uuid,
  code: Type.String(),
  from: DateTime,
  to: DateTime,
  intervals: Type.Array(
    Type.Object({
      state: State,
      startedAt: DateTime,
      endedAt: Nullable(DateTime),
      jobId: Nullable(Type.String()),
      source: Type.String(),
    }),
  ),
  totals: Type.Record(Type.String(), Type.Number()),
});

nameSchemas({ Machine, MachineStatus: MachineStatusSchema, MachineWithStatus, MetricSeries, StateHistory });
