/**
 * The in-memory picture of the current schedule that conflict and bottleneck analysis work on.
 * Times are UTC milliseconds: every rule below is interval arithmetic, and Date objects would
 * only get in the way. Loaded once per request by analysis-queries.ts.
 */

export interface AnalysisSlot {
  id: string;
  routingId: string;
  workCenterId: string;
  start: number;
  end: number;
  status: string;
  jobId: string;
  jobNumber: string;
  sequence: number;
  operationCode: string;
  /** routing ids this step waits for (job_routings.dependencies) */
  dependencies: string[];
}

export interface AnalysisJob {
  id: string;
  jobNumber: string;
  dueDate: number;
  priority: number;
  status: string;
}

export interface AnalysisCenter {
  id: string;
  name: string;
  departmentId: string;
  machineType: string;
  capacityMinutesPerShift: number;
  isActive: boolean;
  isBottleneck: boolean;
}

export interface AnalysisShift {
  workCenterId: string;
  name: string;
  dayOfWeek: number;
  shiftNumber: number;
  startTime: string;
  endTime: string;
  isActive: boolean;
  breaks?: Array<{ start: string; end: string }>;
}

export interface AnalysisException {
  workCenterId: string | null;
  exceptionDate: string;
  exceptionType: string;
}

export interface AnalysisSnapshot {
  /** open slots only (planning/schedule-reads.ts SLOT_STATUS_CLASSES.open) */
  slots: AnalysisSlot[];
  jobs: Map<string, AnalysisJob>;
  centers: Map<string, AnalysisCenter>;
  departments: Map<string, string>;
  shifts: AnalysisShift[];
  exceptions: AnalysisException[];
  /** the instants the calendars are built for: covers every slot and the requested window */
  spanFrom: number;
  spanTo: number;
  timeZone: string;
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;
