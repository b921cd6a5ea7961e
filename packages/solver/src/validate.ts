/**
 * Independent schedule checker. Written from the semantics in SOLVER-FORMAT.md, not from the
 * scheduler: it re-derives every constraint from the problem and the finished schedule only.
 *
 * Semantics checked (also the contract every scheduler in this package must honour):
 * - every operation appears exactly once, at its own index, on one of its modes' resources;
 * - times are finite integers with setupStart <= start <= end;
 * - processing: working minutes in [start, end) equal the mode's duration, and a non-empty
 *   operation starts at a working instant;
 * - setup: on each resource, in start order, the setup state begins at initialSetup; an
 *   operation with a category c needs setup(state, c) minutes (0 when state is none or
 *   equal) and then sets state = c; an operation without category needs none and leaves
 *   the state. A zero-duration operation counts as having no category (it is an instant:
 *   several may share one moment, and their order is not recorded in a schedule). start - setupStart must equal the needed minutes, and a non-empty setup lies
 *   inside one working interval, ending at start;
 * - no overlap of [setupStart, end) between operations on one resource;
 * - predecessors end <= start;
 * - release bounds setupStart (so also start): no setup work for a job before its release;
 * - fixed operations keep their resource and start.
 */
import { CalendarIndex, calendarIndexes } from './calendar.js';
import { evaluate } from './evaluate.js';
import type { ObjectiveValues, Problem, Schedule, ScheduledOperation } from './model.js';
import { setupMinutes } from './setup.js';

export interface Violation {
  kind: string;
  operation?: number;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  violations: Violation[];
  objective: ObjectiveValues;
}

const MAX_VIOLATIONS = 1000;

export function validate(problem: Problem, schedule: Schedule): ValidationResult {
  const violations: Violation[] = [];
  const add = (kind: string, message: string, operation?: number): void => {
    if (violations.length < MAX_VIOLATIONS)
      violations.push(operation === undefined ? { kind, message } : { kind, operation, message });
  };
  const ops = problem.operations;
  const entries = schedule.operations;
  const cals: CalendarIndex[] = calendarIndexes(problem.resources.map((r) => r.calendar));

  if (entries.length !== ops.length) {
    add('missing', `schedule has ${entries.length} entries for ${ops.length} operations`);
  }
  const seen = new Uint8Array(ops.length);
  const ok: boolean[] = new Array<boolean>(entries.length).fill(false);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (!Number.isInteger(e.operation) || e.operation < 0 || e.operation >= ops.length) {
      add('unknown-operation', `entry ${i} names operation ${e.operation}, which does not exist`);
      continue;
    }
    if (seen[e.operation]) {
      add('duplicate', `operation ${e.operation} is scheduled more than once`, e.operation);
      continue;
    }
    seen[e.operation] = 1;
    if (e.operation !== i)
      add('index', `entry ${i} holds operation ${e.operation}; entries must be indexed by operation`, e.operation);
    const op = ops[e.operation]!;
    if (e.end === Infinity || e.start === Infinity || e.setupStart === Infinity) {
      // the scheduler ran past the end of a calendar: an input problem, named as such
      add(
        'horizon',
        `operation ${op.id} cannot be placed on ${problem.resources[e.resource]?.id ?? e.resource}: its calendar has no working time left; extend the calendar`,
        e.operation,
      );
      continue;
    }
    const times = [e.setupStart, e.start, e.end];
    if (
      !times.every((t) => Number.isInteger(t)) ||
      !(e.setupStart <= e.start && e.start <= e.end) ||
      e.setupStart < 0
    ) {
      add(
        'time',
        `operation ${op.id} has invalid times setupStart=${e.setupStart} start=${e.start} end=${e.end}`,
        e.operation,
      );
      continue;
    }
    const modes = op.modes.filter((m) => m.resource === e.resource);
    if (modes.length === 0) {
      add('resource', `operation ${op.id} runs on resource ${e.resource}, which is not one of its modes`, e.operation);
      continue;
    }
    ok[i] = true;
    const cal = cals[e.resource]!;
    const work = cal.workBetween(e.start, e.end);
    if (!modes.some((m) => m.duration === work)) {
      add(
        'duration',
        `operation ${op.id} gets ${work} working minutes in [${e.start}, ${e.end}), needs ${modes.map((m) => m.duration).join(' or ')}`,
        e.operation,
      );
    }
    if (e.end > e.start && !cal.isWorking(e.start)) {
      add('calendar', `operation ${op.id} starts at ${e.start}, outside working time`, e.operation);
    }
  }
  for (let o = 0; o < ops.length; o++) {
    if (!seen[o]) add('missing', `operation ${ops[o]!.id} is not scheduled`, o);
  }

  // per-resource sequence: setups and overlaps
  const byResource: ScheduledOperation[][] = problem.resources.map(() => []);
  for (let i = 0; i < entries.length; i++) if (ok[i]) byResource[entries[i]!.resource]!.push(entries[i]!);
  for (let r = 0; r < byResource.length; r++) {
    const list = byResource[r]!.sort((a, b) => a.start - b.start || a.setupStart - b.setupStart || a.end - b.end);
    const res = problem.resources[r]!;
    const cal = cals[r]!;
    let state = res.initialSetup;
    let prev: ScheduledOperation | undefined;
    for (const e of list) {
      const op = ops[e.operation]!;
      // a zero-duration operation is instantaneous: it needs no setup and leaves the state,
      // so the order among operations at one instant cannot matter
      const instant = e.end === e.start && op.modes.some((m) => m.resource === r && m.duration === 0);
      const cat = instant ? -1 : op.setupCategory;
      const need = setupMinutes(problem.setupTimes, state, cat);
      const got = e.start - e.setupStart;
      if (got !== need) {
        add('setup', `operation ${op.id} on ${res.id} has ${got} setup minutes, needs ${need}`, e.operation);
      } else if (need > 0 && !cal.spanInside(e.setupStart, e.start)) {
        add(
          'setup-calendar',
          `setup of ${op.id} on ${res.id} in [${e.setupStart}, ${e.start}) is not inside one working interval`,
          e.operation,
        );
      }
      if (cat >= 0) state = cat;
      if (prev && prev.end > e.setupStart) {
        add(
          'overlap',
          `operation ${op.id} (from ${e.setupStart}) overlaps ${ops[prev.operation]!.id} (until ${prev.end}) on ${res.id}`,
          e.operation,
        );
      }
      if (!prev || e.end >= prev.end) prev = e;
    }
  }

  // precedence and release
  for (let o = 0; o < ops.length; o++) {
    const e = entries[o];
    if (!e || e.operation !== o || !ok[o]) continue;
    const op = ops[o]!;
    for (const p of op.predecessors) {
      const pe = entries[p];
      if (!pe) continue;
      if (pe.end > e.start)
        add(
          'precedence',
          `operation ${op.id} starts at ${e.start} before predecessor ${ops[p]!.id} ends at ${pe.end}`,
          o,
        );
    }
    const job = problem.jobs[op.job];
    if (job && e.setupStart < job.release)
      add('release', `operation ${op.id} (setup) starts at ${e.setupStart} before job release ${job.release}`, o);
  }

  for (const f of problem.fixed) {
    const e = entries[f.operation];
    if (!e) continue;
    if (e.resource !== f.resource || e.start !== f.start) {
      add(
        'fixed',
        `fixed operation ${ops[f.operation]?.id ?? f.operation} must run on resource ${f.resource} at ${f.start}, got ${e.resource} at ${e.start}`,
        f.operation,
      );
    }
  }

  const objective = evaluate(problem, schedule);
  return { valid: violations.length === 0, violations, objective };
}
