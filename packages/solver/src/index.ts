/** Public API of @kerf/solver. */
export * from './model.js';
export { CalendarIndex, calendarIndexes } from './calendar.js';
export { evaluate, scalarObjective, compareObjectives } from './evaluate.js';
export { validate } from './validate.js';
export type { Violation, ValidationResult } from './validate.js';
export { lowerBound, tardinessLowerBound } from './bounds.js';
export { setupMinutes } from './setup.js';
export { topologicalOrder, successors } from './graph.js';
export { solve, isClassic } from './solve.js';
export type { SolveOptions, SolveResult } from './solve.js';
export { RULES, isRuleName, dispatch, ruleSchedule } from './rules.js';
export type { RuleName, QueueItem } from './rules.js';
export { readKerf, parseKerf, KerfFormatError } from './formats/kerf.js';
