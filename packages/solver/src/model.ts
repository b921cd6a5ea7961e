/**
 * The scheduling problem and schedule as the engine sees them.
 * Everything is index-based (numbers into arrays) so the hot loops never hash strings;
 * string ids are kept only to read and write files and to talk to the server.
 * Times are integer minutes from the plan's time zero.
 */

export type Objective = 'makespan' | 'weighted_tardiness' | 'lexicographic';

/** A working interval [start, end) on a resource's calendar. */
export type Interval = readonly [start: number, end: number];

export interface Mode {
  /** index into Problem.resources */
  resource: number;
  /** processing time in working minutes (efficiency already applied) */
  duration: number;
}

export interface Operation {
  id: string;
  /** index into Problem.jobs */
  job: number;
  /** eligible resources with their processing time; at least one */
  modes: Mode[];
  /** index into Problem.setupCategories, or -1 when the operation needs no setup */
  setupCategory: number;
  /** indices of operations (any job) that must end before this one starts */
  predecessors: number[];
}

export interface Job {
  id: string;
  /** earliest start of every operation of the job */
  release: number;
  due: number;
  weight: number;
  /** indices into Problem.operations, in the job's listed order */
  operations: number[];
}

export interface Resource {
  id: string;
  /** sorted, disjoint working intervals; null means always available */
  calendar: Interval[] | null;
  /** setup category index the resource is set up for at time zero, or -1 */
  initialSetup: number;
}

export interface SetupTimes {
  /** minutes for a change between two different categories when the matrix has no entry */
  default: number;
  /** matrix[from][to] in minutes, or undefined entries falling back to default */
  matrix: Array<Array<number | undefined>> | null;
}

export interface FixedOperation {
  operation: number;
  resource: number;
  start: number;
}

export interface Problem {
  objective: Objective;
  resources: Resource[];
  jobs: Job[];
  operations: Operation[];
  setupCategories: string[];
  setupTimes: SetupTimes;
  fixed: FixedOperation[];
}

/** Where and when one operation runs. setupStart === start when no setup is needed. */
export interface ScheduledOperation {
  operation: number;
  resource: number;
  setupStart: number;
  start: number;
  end: number;
}

export interface Schedule {
  /** one entry per operation, indexed by operation index */
  operations: ScheduledOperation[];
}

export interface ObjectiveValues {
  makespan: number;
  weightedTardiness: number;
  setupMinutes: number;
  /** sum over jobs of (job end - release) */
  flowTime: number;
}

export interface ProgressEvent {
  elapsedMs: number;
  bestObjective: number;
  iterations: number;
}

export interface SearchOptions {
  /** wall-clock budget; the search stops at the first of time, iterations or abort */
  timeLimitMs: number;
  maxIterations?: number;
  seed?: number;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** a starting schedule (e.g. the best shared by another worker) */
  initial?: Schedule;
}

export interface SearchResult {
  schedule: Schedule;
  /** the search's own objective for its primary goal; tests re-check it with the validator */
  objective: number;
  iterations: number;
  timeToBestMs: number;
  elapsedMs: number;
}
