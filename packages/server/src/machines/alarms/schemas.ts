import { Type } from 'typebox';
import { ROLES } from '../../auth/permissions.js';
import { Code, DateTime, listQuery, Nullable, strict, Uuid, OneOf, nameSchemas } from '../../platform/http/schemas.js';

export const UuidParams = Type.Object({ id: Uuid });
export const RuleParams = Type.Object({ id: Code });

export const AlarmQuery = listQuery({
  active: Type.Optional(Type.Boolean({ description: 'true: open (not cleared) alarms only; false: cleared only' })),
  machine: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'machine code or id' })),
  department: Type.Optional(Code),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'raised at or after this instant' })),
});

export const Alarm = Type.Object({
  id: Uuid,
  machineId: Uuid,
  machineCode: Type.String(),
  workCenterId: Nullable(Type.String()),
  departmentId: Type.String(),
  code: Type.String(),
  severity: Type.Union([Type.Literal('fault'), Type.Literal('warning')]),
  message: Type.String(),
  source: Type.String(),
  raisedAt: DateTime,
  acknowledgedAt: Nullable(DateTime),
  acknowledgedBy: Nullable(Type.String()),
  clearedAt: Nullable(DateTime),
  version: Type.Integer(),
});

export const AlarmRule = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('machine_down'), Type.Literal('bottleneck_fault')]),
  name: Type.String(),
  enabled: Type.Boolean(),
  thresholdMinutes: Type.Integer(),
  notifyRoles: Type.Array(Type.String()),
  version: Type.Integer(),
  updatedAt: DateTime,
});

export const AlarmRulePatchBody = strict(
  Type.Object({
    version: Type.Integer({ minimum: 1, description: 'the rule version you read' }),
    enabled: Type.Optional(Type.Boolean()),
    thresholdMinutes: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 10080, description: 'how long the condition must hold before it fires' }),
    ),
    notifyRoles: Type.Optional(Type.Array(OneOf(ROLES), { maxItems: ROLES.length, uniqueItems: true })),
  }),
);

export const ReplanQuery = listQuery({
  open: Type.Optional(Type.Boolean({ description: 'true: not yet dismissed or superseded' })),
  workCenter: Type.Optional(Code),
});

export const ReplanSuggestion = Type.Object({
  id: Uuid,
  workCenterId: Type.String(),
  machineId: Nullable(Uuid),
  reason: Type.Union([Type.Literal('machine_down'), Type.Literal('machine_back')]),
  since: DateTime,
  createdAt: DateTime,
  closedAt: Nullable(DateTime),
  closedBy: Nullable(Type.String()),
  closeReason: Nullable(Type.Union([Type.Literal('dismissed'), Type.Literal('superseded')])),
});

nameSchemas({ AlarmRecord: Alarm, AlarmRule, ReplanSuggestion });
