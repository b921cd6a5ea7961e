import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../platform/context.js';
import { invalid } from '../platform/errors.js';
import { DateTime, DateTimeInput, errorResponses, strict } from '../platform/http/schemas.js';
import { CalendarService } from './calendar-service.js';
import { allWorkCenters } from './queries.js';

const DAY = 86_400_000;
// A Gantt shows weeks; a quarter bounds the work of one request.
const MAX_WINDOW_DAYS = 93;

const Span = Type.Object({ start: DateTime, end: DateTime });

const WorkingTimeQuery = strict(
  Type.Object({
    from: DateTimeInput,
    to: Type.String({ format: 'date-time', description: 'after from, at most 93 days later' }),
    workCenterId: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$',
        description: 'comma-separated; absent: every center',
      }),
    ),
  }),
);

const WorkingTime = Type.Object({
  from: DateTime,
  to: DateTime,
  timeZone: Type.String(),
  workCenters: Type.Array(
    Type.Object({
      workCenterId: Type.String(),
      hasShifts: Type.Boolean({ description: 'false: no shift defined, the center is treated as always working' }),
      intervals: Type.Array(Span, { description: 'working time inside the window, breaks excluded, merged, sorted' }),
      shifts: Type.Array(
        Type.Object({
          shiftNumber: Type.Integer(),
          name: Type.String(),
          date: Type.String({ description: 'local date the shift starts on' }),
          start: DateTime,
          end: DateTime,
          breaks: Type.Array(Span),
          workingMinutes: Type.Integer({ description: 'shift length less its breaks: its capacity' }),
        }),
      ),
    }),
  ),
});

const span = ([a, b]: readonly [number, number]) => ({ start: new Date(a), end: new Date(b) });

/** Working time per work center for a window: what the web planner shades, from the server's one calendar. */
export function registerCalendarRoutes(fastify: FastifyInstance, ctx: AppContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/working-time', {
    config: { access: 'schedule:view' },
    schema: {
      tags: ['shop'],
      querystring: WorkingTimeQuery,
      response: { 200: WorkingTime, ...errorResponses },
    },
    handler: async (req) => {
      const from = Date.parse(req.query.from);
      const to = Date.parse(req.query.to);
      if (!(to > from)) throw invalid('to', 'must be after from');
      if (to - from > MAX_WINDOW_DAYS * DAY) throw invalid('to', `must be at most ${MAX_WINDOW_DAYS} days after from`);
      const db = ctx.database.db;
      const ids = req.query.workCenterId
        ? [...new Set(req.query.workCenterId.split(','))]
        : (await allWorkCenters(db)).map((c) => c.id);
      const service = new CalendarService(db, ctx.config.timeZone);
      const windows = await service.window(ids, from, to);
      return {
        from: new Date(from),
        to: new Date(to),
        timeZone: ctx.config.timeZone,
        workCenters: windows.map((w) => ({
          workCenterId: w.workCenterId,
          hasShifts: w.hasShifts,
          intervals: w.intervals.map(span),
          shifts: w.shifts.map((o) => ({
            shiftNumber: o.shiftNumber,
            name: o.name,
            date: o.date,
            start: new Date(o.start),
            end: new Date(o.end),
            breaks: o.breaks.map(span),
            workingMinutes: o.workingMinutes,
          })),
        })),
      };
    },
  });
}
