/**
 * Reader and writer for the kerf JSON problem format (handbook SOLVER-FORMAT.md).
 * Every error names the JSON path of the offending value so a user can fix the file
 * without reading the parser.
 */
import { topologicalOrder } from '../graph.js';
import { jsonErrorOffset, lineColumn } from './json-position.js';
import type { Interval, Job, Mode, Objective, ObjectiveValues, Operation, Problem, Schedule } from '../model.js';

export class KerfFormatError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(path ? `${path}: ${detail}` : detail);
    this.name = 'KerfFormatError';
  }
}

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (path: string, detail: string): never => {
  throw new KerfFormatError(path, detail);
};

function obj(v: Json, path: string): Record<string, Json> {
  return isObj(v) ? v : fail(path, 'must be an object');
}
function arr(v: Json, path: string): Json[] {
  return Array.isArray(v) ? v : fail(path, 'must be an array');
}
function str(v: Json, path: string): string {
  return typeof v === 'string' && v.length > 0 ? v : fail(path, 'must be a non-empty string');
}
function int(v: Json, path: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) return fail(path, 'must be an integer (minutes)');
  return v >= min ? v : fail(path, `must be >= ${min}`);
}
function num(v: Json, path: string, min = 0): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return fail(path, 'must be a number');
  return v >= min ? v : fail(path, `must be >= ${min}`);
}

const OBJECTIVES: readonly Objective[] = ['makespan', 'weighted_tardiness', 'lexicographic'];

/** Parse kerf JSON text. JSON syntax errors report line and column. */
export function readKerf(text: string): Problem {
  let doc: Json;
  try {
    doc = JSON.parse(text);
  } catch {
    const { offset, reason } = jsonErrorOffset(text);
    const { line, column } = lineColumn(text, offset);
    throw new KerfFormatError('', `invalid JSON at line ${line}, column ${column}: ${reason}`);
  }
  return parseKerf(doc);
}

/** Build a Problem from an already-parsed kerf document. */
export function parseKerf(doc: Json): Problem {
  const root = obj(doc, '(root)');
  const objective = (root.objective ?? 'makespan') as Objective;
  if (!OBJECTIVES.includes(objective)) fail('objective', `must be one of ${OBJECTIVES.join(', ')}`);

  const categories: string[] = [];
  const catIndex = new Map<string, number>();
  const cat = (name: string): number => {
    let i = catIndex.get(name);
    if (i === undefined) {
      i = categories.length;
      categories.push(name);
      catIndex.set(name, i);
    }
    return i;
  };

  const resIndex = new Map<string, number>();
  const resources = arr(root.resources, 'resources').map((rv, r) => {
    const p = `resources[${r}]`;
    const ro = obj(rv, p);
    const id = str(ro.id, `${p}.id`);
    if (resIndex.has(id)) fail(`${p}.id`, `duplicate resource id "${id}"`);
    resIndex.set(id, r);
    let calendar: Interval[] | null = null;
    if (ro.calendar !== undefined && ro.calendar !== null) {
      calendar = arr(ro.calendar, `${p}.calendar`).map((iv, k) => {
        const ip = `${p}.calendar[${k}]`;
        const pair = arr(iv, ip);
        if (pair.length !== 2) fail(ip, 'must be [start, end]');
        const a = int(pair[0], `${ip}[0]`);
        const b = int(pair[1], `${ip}[1]`);
        if (b <= a) fail(ip, `end ${b} must be after start ${a}`);
        return [a, b] as const;
      });
      for (let k = 1; k < calendar.length; k++) {
        if (calendar[k]![0] < calendar[k - 1]![1]) fail(`${p}.calendar[${k}]`, 'intervals must be sorted and disjoint');
      }
    }
    const initialSetup =
      ro.initialSetup === undefined || ro.initialSetup === null ? -1 : cat(str(ro.initialSetup, `${p}.initialSetup`));
    return { id, calendar, initialSetup };
  });
  if (resources.length === 0) fail('resources', 'must have at least one resource');

  const st = root.setupTimes === undefined ? {} : obj(root.setupTimes, 'setupTimes');
  const setupDefault = st.default === undefined ? 0 : int(st.default, 'setupTimes.default');
  const matrixEntries: Array<[number, number, number]> = [];
  if (st.matrix !== undefined && st.matrix !== null) {
    const m = obj(st.matrix, 'setupTimes.matrix');
    for (const [from, row] of Object.entries(m)) {
      const ro = obj(row, `setupTimes.matrix.${from}`);
      for (const [to, v] of Object.entries(ro))
        matrixEntries.push([cat(from), cat(to), int(v, `setupTimes.matrix.${from}.${to}`)]);
    }
  }

  const operations: Operation[] = [];
  const opIndex = new Map<string, number>();
  const afterRefs: Array<{ op: number; path: string; ids: string[] }> = [];
  const jobIds = new Set<string>();
  const jobs: Job[] = arr(root.jobs, 'jobs').map((jv, j) => {
    const p = `jobs[${j}]`;
    const jo = obj(jv, p);
    const id = str(jo.id, `${p}.id`);
    if (jobIds.has(id)) fail(`${p}.id`, `duplicate job id "${id}"`);
    jobIds.add(id);
    const release = jo.release === undefined ? 0 : int(jo.release, `${p}.release`);
    const due = jo.due === undefined || jo.due === null ? Infinity : int(jo.due, `${p}.due`, -Infinity);
    const weight = jo.weight === undefined ? 1 : num(jo.weight, `${p}.weight`);
    const opsJson = arr(jo.operations, `${p}.operations`);
    if (opsJson.length === 0) fail(`${p}.operations`, 'must have at least one operation');
    const opList = opsJson.map((ov, k) => {
      const op = `${p}.operations[${k}]`;
      const oo = obj(ov, op);
      const oid = str(oo.id, `${op}.id`);
      if (opIndex.has(oid)) fail(`${op}.id`, `duplicate operation id "${oid}"`);
      const modesJson = arr(oo.modes, `${op}.modes`);
      if (modesJson.length === 0) fail(`${op}.modes`, 'must have at least one mode');
      const modes: Mode[] = modesJson.map((mv, mk) => {
        const mp = `${op}.modes[${mk}]`;
        const mo = obj(mv, mp);
        const rid = str(mo.resource, `${mp}.resource`);
        const resource = resIndex.get(rid) ?? fail(`${mp}.resource`, `unknown resource "${rid}"`);
        return { resource, duration: int(mo.duration, `${mp}.duration`) };
      });
      const setupCategory =
        oo.setupCategory === undefined || oo.setupCategory === null
          ? -1
          : cat(str(oo.setupCategory, `${op}.setupCategory`));
      const index = operations.length;
      opIndex.set(oid, index);
      const after =
        oo.after === undefined ? [] : arr(oo.after, `${op}.after`).map((a, ak) => str(a, `${op}.after[${ak}]`));
      afterRefs.push({ op: index, path: `${op}.after`, ids: after });
      operations.push({ id: oid, job: j, modes, setupCategory, predecessors: [] });
      return index;
    });
    return { id, release, due, weight, operations: opList };
  });

  for (const ref of afterRefs) {
    const preds = new Set<number>();
    ref.ids.forEach((aid, k) => {
      const p = opIndex.get(aid) ?? fail(`${ref.path}[${k}]`, `unknown operation "${aid}"`);
      if (p === ref.op) fail(`${ref.path}[${k}]`, 'an operation cannot come after itself');
      preds.add(p);
    });
    operations[ref.op]!.predecessors = [...preds];
  }
  const topo = topologicalOrder(operations);
  if ('cycle' in topo)
    fail(
      'jobs',
      `cycle in "after": ${topo.cycle.map((o) => operations[o]!.id).join(' -> ')} -> ${operations[topo.cycle[0]!]!.id}`,
    );

  const n = categories.length;
  const matrix =
    matrixEntries.length === 0
      ? null
      : Array.from({ length: n }, () => new Array<number | undefined>(n).fill(undefined));
  for (const [a, b, v] of matrixEntries) matrix![a]![b] = v;

  const fixedSeen = new Set<number>();
  const fixed = (root.fixed === undefined ? [] : arr(root.fixed, 'fixed')).map((fv, k) => {
    const p = `fixed[${k}]`;
    const fo = obj(fv, p);
    const oid = str(fo.operation, `${p}.operation`);
    const operation = opIndex.get(oid) ?? fail(`${p}.operation`, `unknown operation "${oid}"`);
    if (fixedSeen.has(operation)) fail(`${p}.operation`, `operation "${oid}" is fixed twice`);
    fixedSeen.add(operation);
    const rid = str(fo.resource, `${p}.resource`);
    const resource = resIndex.get(rid) ?? fail(`${p}.resource`, `unknown resource "${rid}"`);
    if (!operations[operation]!.modes.some((m) => m.resource === resource))
      fail(`${p}.resource`, `"${rid}" is not one of the modes of "${oid}"`);
    return { operation, resource, start: int(fo.start, `${p}.start`) };
  });

  return {
    objective,
    resources,
    jobs,
    operations,
    setupCategories: categories,
    setupTimes: { default: setupDefault, matrix },
    fixed,
  };
}

/** One scheduled operation in the kerf output shape. */
export interface KerfOutputOperation {
  job: string;
  op: string;
  machine: string;
  setupStart: number;
  start: number;
  end: number;
}

export interface KerfOutput {
  objective: Pick<ObjectiveValues, 'weightedTardiness' | 'makespan' | 'setupMinutes'>;
  lowerBound: number;
  seconds: number;
  valid?: boolean;
  operations: KerfOutputOperation[];
}

/** The CLI's JSON result for a kerf problem; operations sorted by resource then start. */
export function writeKerfResult(
  problem: Problem,
  schedule: Schedule,
  info: { objective: ObjectiveValues; lowerBound: number; seconds: number; valid?: boolean },
): KerfOutput {
  const operations = schedule.operations
    .map((s) => ({
      job: problem.jobs[problem.operations[s.operation]!.job]!.id,
      op: problem.operations[s.operation]!.id,
      machine: problem.resources[s.resource]!.id,
      setupStart: s.setupStart,
      start: s.start,
      end: s.end,
    }))
    .sort((a, b) => (a.machine < b.machine ? -1 : a.machine > b.machine ? 1 : a.start - b.start));
  const { weightedTardiness, makespan, setupMinutes } = info.objective;
  const out: KerfOutput = {
    objective: { weightedTardiness, makespan, setupMinutes },
    lowerBound: info.lowerBound,
    seconds: info.seconds,
    operations,
  };
  if (info.valid !== undefined) out.valid = info.valid;
  return out;
}

/** Serialise a Problem back into the kerf JSON document (used by the shop generator). */
export function toKerfJson(problem: Problem): Record<string, unknown> {
  const cats = problem.setupCategories;
  const matrix: Record<string, Record<string, number>> = {};
  problem.setupTimes.matrix?.forEach((row, a) =>
    row.forEach((v, b) => {
      if (v !== undefined) (matrix[cats[a]!] ??= {})[cats[b]!] = v;
    }),
  );
  return {
    objective: problem.objective,
    resources: problem.resources.map((r) => ({
      id: r.id,
      ...(r.calendar ? { calendar: r.calendar.map(([a, b]) => [a, b]) } : {}),
      ...(r.initialSetup >= 0 ? { initialSetup: cats[r.initialSetup] } : {}),
    })),
    setupTimes: { default: problem.setupTimes.default, ...(problem.setupTimes.matrix ? { matrix } : {}) },
    jobs: problem.jobs.map((j) => ({
      id: j.id,
      release: j.release,
      ...(Number.isFinite(j.due) ? { due: j.due } : {}),
      weight: j.weight,
      operations: j.operations.map((o) => {
        const op = problem.operations[o]!;
        return {
          id: op.id,
          modes: op.modes.map((m) => ({ resource: problem.resources[m.resource]!.id, duration: m.duration })),
          ...(op.setupCategory >= 0 ? { setupCategory: cats[op.setupCategory] } : {}),
          after: op.predecessors.map((p) => problem.operations[p]!.id),
        };
      }),
    })),
    fixed: problem.fixed.map((f) => ({
      operation: problem.operations[f.operation]!.id,
      resource: problem.resources[f.resource]!.id,
      start: f.start,
    })),
  };
}
