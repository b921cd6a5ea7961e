import { parseCode, type KerfCode } from '@kerf/floor-codes';
import { eq } from 'drizzle-orm';
import { auditTrail, latestAuditBeforeContaining } from '../auth/audit.js';
import { resolveEmployee } from '../auth/station-sign-in.js';
import { getJob } from '../jobs/job-service.js';
import { jobIdByNumber, routingStepById } from '../jobs/queries.js';
import { routingStep } from '../jobs/routing-job-view.js';
import type { Db } from '../platform/db.js';
import { AppError, invalid, notFound } from '../platform/errors.js';
import { workCenterById } from '../shop/queries.js';
import type { ScanAnswerT, ScanChangeT } from './traveler-schemas.js';

/** Row bookkeeping, not something an operator acts on. */
const NOT_A_CHANGE = new Set(['id', 'version', 'createdAt', 'updatedAt', 'dependencies', 'totalMinutes']);
/** What a replaced step is compared on (the audit keeps the job's routings as routingsOfJob reads them). */
const STEP_FIELDS = [
  'operationCode',
  'workCenterType',
  'preferredWorkCenterId',
  'setupMinutes',
  'runMinutesPerUnit',
  'quantity',
  'setupCategory',
  'dependsOn',
  'notes',
];

const shown = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);

function diff(before: Record<string, unknown>, after: Record<string, unknown>, fields: Iterable<string>, at: Date) {
  const out: ScanChangeT[] = [];
  for (const field of fields) {
    const from = shown(before[field]);
    const to = shown(after[field]);
    if (from !== to) out.push({ field, from, to, at: at.toISOString() });
  }
  return out;
}

const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' ? (v as Record<string, unknown>) : {};

/** The scanner's text as a 400 naming `code`, in words an operator can act on. */
function unreadable(error: string): AppError {
  if (/check characters/.test(error)) return invalid('code', 'check characters do not match: misread or mistyped');
  return invalid('code', `${error} (a Kerf code starts with OP, JOB, WC, EMP or LOT)`);
}

const answer = (code: string, rest: Omit<ScanAnswerT, 'code' | 'changed' | 'changes'>): ScanAnswerT => ({
  code,
  ...rest,
  changed: false,
  changes: [],
});

/**
 * What a scanned code names. An operation code printed at an older routing revision answers
 * `changed: true` with each field changed since, read from the audit rows of the step; a step
 * replaced by a job update (new step ids) is matched to the job's current step of the same
 * sequence, so an old traveler still leads to the work, with the differences listed.
 */
export async function resolveScan(db: Db, input: string): Promise<ScanAnswerT> {
  const parsed = parseCode(input);
  if (!parsed.ok) throw unreadable(parsed.error);
  const text = parsed.text;
  const code: KerfCode = parsed.code;
  switch (code.type) {
    case 'operation':
      return resolveOperation(db, text, code.routingId, code.revision);
    case 'job': {
      const jobId = await jobIdByNumber(db, code.jobNumber);
      if (!jobId) throw notFound('job', code.jobNumber);
      const job = await getJob(db, jobId);
      return answer(text, { type: 'job', label: `${job.jobNumber} ${job.product}`, jobId, jobNumber: job.jobNumber });
    }
    case 'workCenter': {
      const wc = await workCenterById(db, code.workCenterId);
      if (!wc) throw notFound('work center', code.workCenterId);
      return answer(text, { type: 'work_center', label: `${wc.id} ${wc.name}`, workCenterId: wc.id });
    }
    case 'badge': {
      const person = await resolveEmployee(db, code.badge);
      if (!person) throw notFound('badge', code.badge);
      const label = person.isActive ? person.name : `${person.name} (inactive)`;
      return answer(text, { type: 'employee', label, employeeId: person.id });
    }
    case 'lot':
      // Kerf keeps no lot register yet: the lot is what the label says.
      return answer(text, { type: 'lot', label: `Lot ${code.lot}`, lot: code.lot });
  }
}

async function stepLabel(db: Db, routingId: string) {
  return (
    await db
      .select({
        jobId: routingStep.jobId,
        jobNumber: routingStep.jobNumber,
        sequence: routingStep.sequence,
        operationCode: routingStep.operationCode,
      })
      .from(routingStep)
      .where(eq(routingStep.routingId, routingId))
  )[0];
}

/**
 * The audited changes of one step from a revision on. Each audited change of a step moves its
 * version by one, so those whose before-image is at the printed revision or later are what the
 * paper does not show.
 */
async function stepChangesSince(db: Db, routingId: string, printed: number): Promise<ScanChangeT[]> {
  return (await auditTrail(db, 'job_routing', routingId))
    .filter((a) => a.action === 'update' && Number(asRecord(a.before).version ?? 0) >= printed)
    .flatMap((a) => {
      const before = asRecord(a.before);
      const after = asRecord(a.after);
      const fields = new Set([...Object.keys(before), ...Object.keys(after)].filter((k) => !NOT_A_CHANGE.has(k)));
      return diff(before, after, fields, a.at);
    });
}

async function resolveOperation(db: Db, text: string, routingId: string, printed: number): Promise<ScanAnswerT> {
  const step = await routingStepById(db, routingId);
  if (!step) return resolveReplacedOperation(db, text, routingId, printed);
  const info = (await stepLabel(db, routingId))!;
  const base = {
    code: text,
    type: 'operation' as const,
    label: `${info.jobNumber} op ${info.sequence} ${info.operationCode}`,
    operationId: routingId,
    jobId: info.jobId,
    jobNumber: info.jobNumber,
    printedRevision: printed,
    currentRevision: step.version,
  };
  if (printed === step.version) return { ...base, changed: false, changes: [] };
  const changes = await stepChangesSince(db, routingId, printed);
  if (changes.length === 0) {
    // A change with no audit row (or a code from a revision this database never had).
    changes.push({
      field: 'revision',
      from: String(printed),
      to: String(step.version),
      at: step.updatedAt.toISOString(),
    });
  }
  return { ...base, changed: true, changes };
}

async function resolveReplacedOperation(db: Db, text: string, routingId: string, printed: number) {
  const replaced = await latestAuditBeforeContaining(db, 'job', { routings: [{ id: routingId }] });
  if (!replaced || replaced.action !== 'update') throw notFound('operation', routingId);
  const old = (asRecord(replaced.before).routings as Array<Record<string, unknown>>).find((r) => r.id === routingId)!;
  const job = await getJob(db, replaced.entityId).catch((err: unknown) => {
    if (err instanceof AppError && err.kind === 'not_found') throw notFound('operation', routingId);
    throw err;
  });
  const now = job.routings.find((r) => r.sequence === old.sequence);
  const changes: ScanChangeT[] = [
    // first what happened to the printed step, then how the step now in its place differs
    ...(await stepChangesSince(db, routingId, printed)),
    { field: 'operationId', from: routingId, to: now?.id ?? null, at: replaced.at.toISOString() },
    ...(now
      ? diff(old, now as unknown as Record<string, unknown>, STEP_FIELDS, replaced.at)
      : [
          {
            field: 'operation',
            from: `${shown(old.sequence)} ${shown(old.operationCode)}`,
            to: null,
            at: replaced.at.toISOString(),
          },
        ]),
  ];
  return {
    code: text,
    type: 'operation' as const,
    label: now
      ? `${job.jobNumber} op ${now.sequence} ${now.operationCode}`
      : `${job.jobNumber}: op ${shown(old.sequence)} ${shown(old.operationCode)} was removed`,
    ...(now ? { operationId: now.id, currentRevision: now.version } : {}),
    jobId: job.id,
    jobNumber: job.jobNumber,
    printedRevision: printed,
    changed: true,
    changes,
  };
}
