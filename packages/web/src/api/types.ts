/** Shapes of the Kerf API answers the web app reads (see /api/v1/openapi.json). */

export type Permission =
  | 'schedule:view'
  | 'schedule:edit'
  | 'schedule:approve'
  | 'job:view'
  | 'job:create'
  | 'job:release'
  | 'machine:view'
  | 'machine:config'
  | 'report:view'
  | 'report:export'
  | 'ai:trigger'
  | 'ai:approve'
  | 'user:admin';

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface Me {
  id: string;
  name: string;
  type: string;
  role: string;
  permissions: Permission[];
}

export interface LoginAnswer {
  token: string;
  expiresAt: string;
  user: { id: string; username: string; role: string };
}

export interface Department {
  id: string;
  name: string;
  description: string | null;
}

export interface WorkCenter {
  id: string;
  name: string;
  departmentId: string;
  machineType: string;
  capacityMinutesPerShift: number;
  efficiencyFactor: number;
  setupCategory: string | null;
  isBottleneck: boolean;
  isActive: boolean;
}

export interface Shift {
  id: string;
  name: string;
  workCenterId: string;
  dayOfWeek: number;
  shiftNumber: number;
  startTime: string;
  endTime: string;
  isActive: boolean;
}

export interface CalendarException {
  id: string;
  workCenterId: string | null;
  exceptionDate: string;
  exceptionType: string;
  description: string | null;
}

export interface Slot {
  id: string;
  routingId: string;
  workCenterId: string;
  plannedStart: string;
  plannedEnd: string;
  status: string;
  jobId: string;
  jobNumber: string;
  sequence: number;
  operationCode: string;
  version: number;
}

export interface Job {
  id: string;
  jobNumber: string;
  customerId: string | null;
  product: string;
  quantity: number;
  dueDate: string;
  priority: number;
  status: string;
  version: number;
}

export interface Routing {
  id: string;
  sequence: number;
  operationCode: string;
  workCenterType: string;
  preferredWorkCenterId: string | null;
  setupMinutes: number;
  totalMinutes: number;
  dependsOn: number[] | string[];
}

export interface JobDetail extends Job {
  routings: Routing[];
}

export interface Retimed {
  slotId: string;
  jobNumber: string;
  operationCode: string;
  reason: string;
  from: { workCenterId: string; plannedStart: string; plannedEnd: string };
  to: { workCenterId: string; plannedStart: string; plannedEnd: string };
}

export interface LateJob {
  jobNumber: string;
  dueDate: string;
  plannedEnd: string;
  wasLate: boolean;
  lateByMinutes: number;
}

export interface MoveAnswer {
  slot: Slot;
  committed: boolean;
  consequences: { retimed: Retimed[]; lateJobs: LateJob[] };
}

export interface ProgressPoint {
  elapsedMs: number;
  bestObjective: number;
}

export interface PlanRun {
  id: string;
  status: string;
  objective: string;
  timeLimitSeconds: number;
  planId: string | null;
  progress: ProgressPoint[];
  error: string | null;
  valid: boolean | null;
  startedAt: string | null;
  finishedAt: string | null;
  objectiveValues: Record<string, number | string> | null;
}

export interface Plan {
  id: string;
  status: string;
  version: number;
  weightedTardiness: number;
  lateJobs: number;
}

export type Kpis = Record<string, number | string>;

export interface PlanDiff {
  planId: string;
  publishedPlanId: string | null;
  kpis: { draft: Kpis; published: Kpis | null; delta: Record<string, number> | null };
  movedJobs: number;
  laterJobs: number;
  earlierJobs: number;
  jobs: {
    jobId: string;
    jobNumber: string;
    dueDate: string;
    publishedEnd: string | null;
    draftEnd: string | null;
    shiftMinutes: number | null;
    movedOperations: number;
    lateInDraft: boolean;
    lateInPublished: boolean;
  }[];
}

export interface QueueItem {
  position: number;
  slotId: string;
  jobNumber: string;
  customer: string | null;
  dueDate: string;
  priority: number;
  operationCode: string;
  processingMinutes: number;
  slackMinutes: number;
  ready: boolean;
  running: boolean;
  plannedStart: string;
}

export interface Queue {
  workCenter: { id: string; name: string; down: boolean };
  message: string | null;
  total: number;
  items: QueueItem[];
}

export interface ShopSettings {
  timeZone: string;
  frozenWindowMinutes: number;
  nightlyAt: string;
}

export interface Customer {
  id: string;
  code: string;
  name: string;
}

/** GET /routing-steps: a routing step across jobs. */
export interface RoutingStep {
  id: string;
  jobId: string;
  sequence: number;
  operationCode: string;
  workCenterType: string;
  setupMinutes: number;
  runMinutes: number;
  setupCategory: string | null;
  dependsOn: number[];
}
