import { Type } from 'typebox';
import {
  Code,
  DateOnly,
  DateTime,
  listQuery,
  Nullable,
  RowMeta,
  strict,
  Uuid,
  VersionField,
} from '../platform/http/schemas.js';

const Time = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$',
  description: 'HH:MM or HH:MM:SS',
});

const departmentFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
};
export const Department = Type.Object({
  id: Type.String(),
  ...departmentFields,
  description: Nullable(Type.String()),
  ...RowMeta,
});
export const DepartmentCreate = strict(Type.Object({ id: Code, ...departmentFields }));
export const DepartmentUpdate = strict(Type.Partial(Type.Object({ ...departmentFields, ...VersionField })));
export const DepartmentQuery = listQuery({ q: Type.Optional(Type.String()) });

const workCenterFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  departmentId: Code,
  machineType: Type.String({ minLength: 1, maxLength: 100 }),
  capacityMinutesPerShift: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
  efficiencyFactor: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2 })),
  setupCategory: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  isBottleneck: Type.Optional(Type.Boolean()),
  isActive: Type.Optional(Type.Boolean()),
  iotDeviceId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  sigmanestMachineId: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
};
export const WorkCenter = Type.Object({
  id: Type.String(),
  name: Type.String(),
  departmentId: Type.String(),
  machineType: Type.String(),
  capacityMinutesPerShift: Type.Integer(),
  efficiencyFactor: Type.Number(),
  setupCategory: Nullable(Type.String()),
  isBottleneck: Type.Boolean(),
  isActive: Type.Boolean(),
  iotDeviceId: Nullable(Type.String()),
  sigmanestMachineId: Nullable(Type.String()),
  ...RowMeta,
});
export const WorkCenterCreate = strict(Type.Object({ id: Code, ...workCenterFields }));
export const WorkCenterUpdate = strict(Type.Partial(Type.Object({ ...workCenterFields, ...VersionField })));
export const WorkCenterQuery = listQuery({
  departmentId: Type.Optional(Type.String()),
  machineType: Type.Optional(Type.String()),
  isBottleneck: Type.Optional(Type.Boolean()),
  q: Type.Optional(Type.String()),
});

export const ShiftBreak = strict(
  Type.Object({
    start: Time,
    end: Type.String({
      ...Time,
      description: 'a break is worked around: capacity is the shift length less its breaks',
    }),
  }),
);
const shiftFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  workCenterId: Code,
  dayOfWeek: Type.Integer({ minimum: 0, maximum: 6, description: '0 = Monday' }),
  shiftNumber: Type.Integer({ minimum: 1, maximum: 3 }),
  startTime: Time,
  endTime: Type.String({ ...Time, description: 'an end at or before the start means the shift ends the next day' }),
  isActive: Type.Optional(Type.Boolean()),
  breaks: Type.Optional(
    Type.Array(ShiftBreak, { maxItems: 12, description: 'local spans not worked, inside the shift' }),
  ),
};
export const ShiftCalendar = Type.Object({
  id: Uuid,
  name: Type.String(),
  workCenterId: Type.String(),
  dayOfWeek: Type.Integer(),
  shiftNumber: Type.Integer(),
  startTime: Type.String(),
  endTime: Type.String(),
  isActive: Type.Boolean(),
  breaks: Type.Array(Type.Object({ start: Type.String(), end: Type.String() })),
  ...RowMeta,
});
export const ShiftCalendarCreate = strict(Type.Object(shiftFields));
export const ShiftCalendarUpdate = strict(Type.Partial(Type.Object({ ...shiftFields, ...VersionField })));
export const ShiftCalendarQuery = listQuery({
  workCenterId: Type.Optional(Type.String()),
  dayOfWeek: Type.Optional(Type.Integer({ minimum: 0, maximum: 6 })),
});

const exceptionFields = {
  workCenterId: Type.Optional(Nullable(Code)),
  exceptionDate: DateOnly,
  exceptionType: Type.Union([Type.Literal('holiday'), Type.Literal('maintenance'), Type.Literal('shutdown')]),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
};
export const CalendarException = Type.Object({
  id: Uuid,
  workCenterId: Nullable(Type.String()),
  exceptionDate: Type.String(),
  exceptionType: Type.String(),
  description: Nullable(Type.String()),
  ...RowMeta,
});
export const CalendarExceptionCreate = strict(Type.Object(exceptionFields));
export const CalendarExceptionUpdate = strict(Type.Partial(Type.Object({ ...exceptionFields, ...VersionField })));
export const CalendarExceptionQuery = listQuery({
  workCenterId: Type.Optional(Type.String()),
  exceptionType: Type.Optional(Type.String()),
  from: Type.Optional(DateOnly),
  to: Type.Optional(DateOnly),
});

export { DateTime };
