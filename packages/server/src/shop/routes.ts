import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context.js';
import { registerResourceRoutes } from '../platform/crud/resource-routes.js';
import * as s from './schemas.js';
import { calendarExceptionService, departmentService, shiftCalendarService, workCenterService } from './services.js';
import { registerCalendarRoutes } from './calendar-routes.js';
import { registerShopSettingsRoutes } from './settings-routes.js';

// Everyone on the floor reads the shop model; configuring it is machine:config.
const access = { read: 'schedule:view', write: 'machine:config' } as const;

export function registerShopRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  registerShopSettingsRoutes(app, ctx);
  registerCalendarRoutes(app, ctx);
  registerResourceRoutes(app, ctx, {
    path: 'departments',
    key: 'code',
    tag: 'shop',
    service: departmentService,
    row: s.Department,
    create: s.DepartmentCreate,
    update: s.DepartmentUpdate,
    query: s.DepartmentQuery,
    access,
  });
  registerResourceRoutes(app, ctx, {
    path: 'work-centers',
    key: 'code',
    tag: 'shop',
    service: workCenterService,
    row: s.WorkCenter,
    create: s.WorkCenterCreate,
    update: s.WorkCenterUpdate,
    query: s.WorkCenterQuery,
    access,
  });
  registerResourceRoutes(app, ctx, {
    path: 'shift-calendars',
    key: 'uuid',
    tag: 'shop',
    service: shiftCalendarService,
    row: s.ShiftCalendar,
    create: s.ShiftCalendarCreate,
    update: s.ShiftCalendarUpdate,
    query: s.ShiftCalendarQuery,
    access,
  });
  registerResourceRoutes(app, ctx, {
    path: 'calendar-exceptions',
    key: 'uuid',
    tag: 'shop',
    service: calendarExceptionService,
    row: s.CalendarException,
    create: s.CalendarExceptionCreate,
    update: s.CalendarExceptionUpdate,
    query: s.CalendarExceptionQuery,
    access,
  });
}
