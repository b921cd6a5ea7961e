/**
 * Names for the API's shapes, every one derived from the generated contract (schema.d.ts): aliases
 * only, so a server schema change reaches every page through the type checker.
 */
import type { paths } from './schema';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Success<R> = R[Extract<keyof R, 200 | 201 | 202>];

/** The JSON answer of a successful `method` call on `path`. */
export type Answer<P extends keyof paths, M extends keyof paths[P] = 'get'> = paths[P][M] extends {
  responses: infer R;
}
  ? Json<Success<R>>
  : never;
/** The JSON body a `method` call on `path` takes. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;
/** One item of a list answer (`{ items }`). */
export type Item<P extends keyof paths> = Answer<P> extends { items: (infer I)[] } ? I : never;

export type Me = Answer<'/api/v1/auth/me'>;
export type Permission = Me['permissions'][number];
export type Role = NonNullable<Me['role']>;
export type LoginAnswer = Answer<'/api/v1/auth/login', 'post'>;

export type Department = Item<'/api/v1/departments'>;
export type WorkCenter = Item<'/api/v1/work-centers'>;
export type Shift = Item<'/api/v1/shift-calendars'>;
export type CalendarException = Item<'/api/v1/calendar-exceptions'>;
export type ExceptionType = Body<'/api/v1/calendar-exceptions', 'post'>['exceptionType'];
export type ShopSettings = Answer<'/api/v1/shop-settings'>;
export type Customer = Item<'/api/v1/customers'>;
export type User = Item<'/api/v1/users'>;

export type Job = Item<'/api/v1/jobs'>;
export type JobDetail = Answer<'/api/v1/jobs/{id}'>;
export type Routing = JobDetail['routings'][number];
export type RoutingStep = Item<'/api/v1/routing-steps'>;
export type Slot = Item<'/api/v1/schedule-slots'>;
export type MoveAnswer = Answer<'/api/v1/schedule-slots/{id}/move', 'post'>;
export type Queue = Answer<'/api/v1/work-centers/{id}/queue'>;

export type PlanRun = Answer<'/api/v1/plan-runs/{id}'>;
export type ProgressPoint = PlanRun['progress'][number];
export type Plan = Answer<'/api/v1/plans/{id}'>;
export type PlanDiff = Answer<'/api/v1/plans/{id}/diff'>;
export type Bottlenecks = Answer<'/api/v1/bottlenecks'>;
export type Conflicts = Answer<'/api/v1/conflicts'>;
export type PromiseAnswer = Answer<'/api/v1/promise', 'post'>;
export type ImportResult = Answer<'/api/v1/imports/jobs', 'post'>;

export type Machine = Item<'/api/v1/machines'>;
/** A machine as a write answers it (no live status). */
export type MachineRow = Answer<'/api/v1/machines', 'post'>;
export type MachineStatus = Machine['status'];
export type MachineState = MachineStatus['state'];
export type AlarmValue = MachineStatus['activeAlarms'][number];
export type Protocol = Machine['protocol'];
export type AlarmRecord = Item<'/api/v1/alarms'>;
export type MqttDevice = Item<'/api/v1/mqtt-devices'>;
export type MqttDeviceSecret = Answer<'/api/v1/mqtt-devices', 'post'>;

export type NestingStatus = Answer<'/api/v1/nesting/status'>;
export type OutboxEntry = Item<'/api/v1/nesting/outbox'>;
export type Nest = Answer<'/api/v1/jobs/{id}/nests'>['nests'][number];
export type NcFile = Answer<'/api/v1/nesting/nests/{id}/nc-file'>;
