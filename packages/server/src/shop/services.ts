import { recordAudit } from '../auth/audit.js';
import { resourceService } from '../platform/crud/resource-service.js';
import { invalid } from '../platform/errors.js';
import { checkBreaks } from './calendar-breaks.js';
import { calendarExceptions, departments, shiftCalendars, workCenters } from './tables.js';

export const departmentService = resourceService({
  audit: recordAudit,
  entity: 'department',
  table: departments,
  filters: { q: { column: departments.name, kind: 'search', alsoColumns: [departments.id] } },
  sortable: { id: departments.id, name: departments.name },
  defaultSort: 'id',
});

export const workCenterService = resourceService({
  audit: recordAudit,
  entity: 'work_center',
  table: workCenters,
  filters: {
    departmentId: { column: workCenters.departmentId, kind: 'exact' },
    machineType: { column: workCenters.machineType, kind: 'exact' },
    isBottleneck: { column: workCenters.isBottleneck, kind: 'exact' },
    q: { column: workCenters.name, kind: 'search', alsoColumns: [workCenters.id] },
  },
  sortable: {
    id: workCenters.id,
    name: workCenters.name,
    departmentId: workCenters.departmentId,
    machineType: workCenters.machineType,
  },
  defaultSort: 'id',
});

export const shiftCalendarService = resourceService({
  audit: recordAudit,
  entity: 'shift_calendar',
  table: shiftCalendars,
  filters: {
    workCenterId: { column: shiftCalendars.workCenterId, kind: 'exact' },
    dayOfWeek: { column: shiftCalendars.dayOfWeek, kind: 'exact' },
  },
  sortable: {
    workCenterId: shiftCalendars.workCenterId,
    dayOfWeek: shiftCalendars.dayOfWeek,
    shiftNumber: shiftCalendars.shiftNumber,
  },
  defaultSort: 'workCenterId,dayOfWeek,shiftNumber',
  hooks: {
    beforeWrite: async (_tx, input) => {
      const start = String(input.startTime).slice(0, 5);
      const end = String(input.endTime).slice(0, 5);
      // end < start is a night shift crossing midnight; equal would be a zero or 24 h shift.
      if (start === end) throw invalid('endTime', 'must differ from startTime (a shift cannot be empty or 24 h)');
      checkBreaks(start, end, (input.breaks as Array<{ start: string; end: string }> | undefined) ?? []);
    },
  },
});

export const calendarExceptionService = resourceService({
  audit: recordAudit,
  entity: 'calendar_exception',
  table: calendarExceptions,
  filters: {
    workCenterId: { column: calendarExceptions.workCenterId, kind: 'exact' },
    exceptionType: { column: calendarExceptions.exceptionType, kind: 'exact' },
    from: { column: calendarExceptions.exceptionDate, kind: 'from' },
    to: { column: calendarExceptions.exceptionDate, kind: 'to' },
  },
  sortable: { exceptionDate: calendarExceptions.exceptionDate, workCenterId: calendarExceptions.workCenterId },
  defaultSort: 'exceptionDate',
});
