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
  version?: number;
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
  version?: number;
}

export interface CalendarException {
  id: string;
  workCenterId: string | null;
  exceptionDate: string;
  exceptionType: string;
  description: string | null;
  version?: number;
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
  /** while queued: 1 = starts next */
  queuePosition?: number | null;
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

export interface User {
  id: string;
  username: string;
  displayName: string | null;
  role: string;
  isActive: boolean;
  version: number;
}

export const ROLES = ['operator', 'supervisor', 'production_manager', 'admin'] as const;

/** docs/machines.md */
export type MachineState = 'running' | 'idle' | 'setup' | 'alarm' | 'offline' | 'stopped';

export interface AlarmValue {
  code: string;
  active: boolean;
  severity: 'fault' | 'warning';
  message: string;
}

export interface MachineStatus {
  machineId: string;
  code: string;
  departmentId: string;
  state: MachineState;
  since: string | null;
  partCount: number | null;
  program: string | null;
  jobId: string | null;
  activeAlarms: AlarmValue[];
  lastSeen: string | null;
}

export interface Machine {
  id: string;
  code: string;
  name: string;
  workCenterId: string | null;
  departmentId: string;
  protocol: string;
  enabled: boolean;
  status: MachineStatus;
}

export interface AlarmRecord {
  id: string;
  machineId: string;
  machineCode: string;
  workCenterId: string | null;
  departmentId: string;
  code: string;
  severity: 'fault' | 'warning';
  message: string;
  source: string;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  clearedAt: string | null;
  version: number;
}

/** docs/nesting.md */
export interface NestingStatus {
  mode: string;
  district: number | null;
  outbound: {
    lastSyncAt: string | null;
    lastError: string | null;
    pending: number;
    sent: number;
    failed: number;
    dead: number;
    discarded: number;
  };
  inbound: {
    lastSyncAt: string | null;
    lastError: string | null;
    packetsApplied: number;
    packetsRejected: number;
    lastPacketId: string | null;
  };
  connection: { up: boolean; lastError: string | null; nextAttemptAt: string | null };
  recentRejections: { id: number; source: string; reason: string; at: string }[];
}

export interface OutboxEntry {
  id: number;
  kind: string;
  transId: string;
  status: 'pending' | 'sent' | 'failed' | 'dead' | 'discarded';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  jobId: string | null;
  jobNumber: string | null;
  createdAt: string;
  sentAt: string | null;
  errors: { transId: string; transType: string; reason: string; at: string }[];
}

export interface Nest {
  id: string;
  programName: string;
  repeatId: number;
  status: 'posted' | 'deleted';
  sheetName: string | null;
  material: string | null;
  thickness: number | null;
  sheetWidth: number | null;
  sheetLength: number | null;
  sheetQty: number | null;
  utilization: number | null;
  scrapFraction: number | null;
  cutTimeSeconds: number | null;
  pierceCount: number | null;
  cutLength: number | null;
  ncFile: string | null;
  machine: string | null;
  postedAt: string | null;
  jobParts: { partNumber: string; quantity: number; cutTimeSeconds: number | null }[];
  otherJobs: string[];
}

export interface NcFile {
  ncFile: string | null;
  exists: boolean;
  path: string | null;
  roots: string[];
  reason: string | null;
}
