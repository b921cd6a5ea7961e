import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { recordAudit } from '../auth/audit.js';
import { roleHas, ROLES, type Role } from '../auth/permissions.js';
import { resolveEmployee, wasSignedInOn } from '../auth/station-sign-in.js';
import { routingStepById } from '../jobs/queries.js';
import { findMachine, machinesOfWorkCenter } from '../machines/machine-service.js';
import { notifyRoles } from '../notifications/service.js';
import type { Db } from '../platform/db.js';
import { AppError, invalid } from '../platform/errors.js';
import type { EventBus } from '../platform/events.js';
import { workCenterById } from '../shop/queries.js';
import { ISSUE_NOTIFY_ROLES, issueNotice } from './issue-notice.js';
import { inspectPhoto, MAX_PHOTO_BYTES, type PhotoFacts, type PhotoType } from './issue-photos.js';
import type { IssueKind } from './issue-schemas.js';
import { floorIssuePhotos, floorIssues } from './issue-tables.js';
import { issueView, type IssueView } from './issue-views.js';
import { floorReasons } from './tables.js';

export interface IssueDeps {
  db: Db;
  events: EventBus;
}

/** A report as the floor app sends it (POST /api/v1/floor/issues). */
export interface IssueReportInput {
  clientId: string;
  kind: IssueKind;
  reason: string;
  workCenterId: string;
  operationId?: string;
  machineId?: string;
  note?: string;
  employee?: string;
  at?: string;
  photos?: { contentType: PhotoType; data: string }[];
}

/** A device clock this far ahead of the server is wrong, not early. */
const FUTURE_SLACK_MS = 5 * 60_000;

interface CheckedPhoto extends PhotoFacts {
  bytes: Buffer;
}

/** Decodes and checks every photo before anything is written; the field names the photo. */
function checkPhotos(photos: IssueReportInput['photos'] = []): CheckedPhoto[] {
  return photos.map((p, i) => {
    const field = `photos[${i}]`;
    if (p.data.length % 4 !== 0) throw invalid(field, 'data is not base64 (its length is not a multiple of 4)');
    const bytes = Buffer.from(p.data, 'base64');
    if (bytes.length === 0) throw invalid(field, 'is empty');
    if (bytes.length > MAX_PHOTO_BYTES) {
      throw invalid(field, `is ${bytes.length} bytes; at most ${MAX_PHOTO_BYTES} (scale it to 1600 px first)`);
    }
    const facts = inspectPhoto(bytes);
    if (!facts) throw invalid(field, 'is not a JPEG, PNG or WebP image (judged by its bytes)');
    if (facts.contentType !== p.contentType) {
      throw invalid(field, `says ${p.contentType} but its bytes are ${facts.contentType}`);
    }
    return { ...facts, bytes };
  });
}

// Users' roles come from the users table as text: an unknown one holds nothing.
const mayReport = (role: string) =>
  (ROLES as readonly string[]).includes(role) && roleHas(role as Role, 'issue:create');

/**
 * Who reports. From a person's session, that person. From a station's own token (the offline
 * queue replaying after its operator signed out) the named employee, who must have been signed
 * in on that station when the tablet took the report (ADR 0022's rule for transactions).
 */
async function reporter(
  tx: Db,
  actor: Actor,
  input: IssueReportInput,
): Promise<{ id: string; name: string; at: Date | null }> {
  const now = Date.now();
  let at: Date | null = null;
  if (input.at !== undefined) {
    const t = Date.parse(input.at);
    if (!Number.isFinite(t)) throw invalid('at', 'must be an ISO date-time');
    if (t > now + FUTURE_SLACK_MS) throw invalid('at', 'is in the future; check the tablet’s clock');
    at = new Date(Math.min(t, now));
  }
  if (actor.type === 'station') {
    if (!input.employee) throw invalid('employee', 'is required from a station (badge or user id)');
    const e = await resolveEmployee(tx, input.employee);
    if (!e || !e.isActive) throw invalid('employee', `${input.employee} is not a known, active person`);
    if (!mayReport(e.role)) throw invalid('employee', `${e.name} may not report issues`);
    const when = at ?? new Date(now);
    if (!(await wasSignedInOn(tx, actor.stationId!, e.id, when))) {
      throw invalid('employee', `${e.name} was not signed in on this station at ${when.toISOString()}`);
    }
    return { id: e.id, name: e.name, at };
  }
  if (actor.type !== 'user') {
    throw new AppError('forbidden', 'person_required', 'issues are reported by a person or from a station');
  }
  if (input.employee) {
    const e = await resolveEmployee(tx, input.employee);
    if (!e || e.id !== actor.id) throw invalid('employee', 'you can only report as yourself');
  }
  return { id: actor.id, name: actor.name, at };
}

/** The reason code, which must be active and of the report's kind (any node of the downtime tree). */
async function checkReason(tx: Db, kind: IssueKind, text: string) {
  const code = text.trim().toUpperCase();
  const row = (
    await tx
      .select({ kind: floorReasons.kind })
      .from(floorReasons)
      .where(and(eq(floorReasons.code, code), eq(floorReasons.isActive, true)))
  )[0];
  if (!row) throw invalid('reason', `${code} is not an active reason code (GET /api/v1/floor/reasons)`);
  if (row.kind !== kind)
    throw invalid('reason', `${code} is a ${row.kind} reason; a ${kind} report needs a ${kind} reason`);
  return code;
}

/** The machine a report is about: the one named (on this work center), else for downtime the work center's. */
async function checkMachine(tx: Db, input: IssueReportInput) {
  if (input.machineId) {
    const m = await findMachine(tx, input.machineId).catch((err: unknown) => {
      if (err instanceof AppError && err.kind === 'not_found')
        throw invalid('machineId', 'no such machine', 'unknown_reference');
      throw err;
    });
    if (m.workCenterId !== input.workCenterId) {
      throw invalid('machineId', `${m.code} is on work center ${m.workCenterId ?? 'none'}, not ${input.workCenterId}`);
    }
    return { id: m.id, code: m.code };
  }
  if (input.kind !== 'downtime') return null;
  // Several machines on one work center: the first by code; the tablet names one to be exact.
  const m = (await machinesOfWorkCenter(tx, input.workCenterId))[0];
  return m ? { id: m.id, code: m.code } : null;
}

/**
 * Records a problem reported from the floor, its photos, the audit row, a notification to every
 * role that handles issues and the `floor.issue-reported` event, in one transaction. A clientId
 * seen before answers that issue (created: false) and changes nothing, so a replayed offline
 * queue never reports twice.
 */
export async function reportIssue(
  deps: IssueDeps,
  actor: Actor,
  input: IssueReportInput,
): Promise<{ issue: IssueView; created: boolean }> {
  const existing = await existingIssue(deps.db, input.clientId);
  if (existing) return { issue: existing, created: false };
  const photos = checkPhotos(input.photos);
  const id = await deps.db.transaction(async (tx) => {
    const who = await reporter(tx, actor, input);
    const reasonCode = await checkReason(tx, input.kind, input.reason);
    const workCenterId = input.workCenterId.trim();
    if (!(await workCenterById(tx, workCenterId))) {
      throw invalid('workCenterId', `${workCenterId} is not a work center`, 'unknown_reference');
    }
    if (input.kind === 'quality' && !input.operationId) {
      throw invalid('operationId', 'a quality report names the operation (routing step) it is about');
    }
    if (input.operationId && !(await routingStepById(tx, input.operationId))) {
      throw invalid('operationId', `operation ${input.operationId} does not exist`, 'unknown_reference');
    }
    const machine = await checkMachine(tx, { ...input, workCenterId });
    const note = input.note?.trim() || null;
    const row = (
      await tx
        .insert(floorIssues)
        .values({
          clientId: input.clientId,
          kind: input.kind,
          reasonCode,
          operationId: input.operationId ?? null,
          workCenterId,
          machineId: machine?.id ?? null,
          note,
          reportedBy: who.id,
          reportedByName: who.name.slice(0, 100),
          stationId: actor.stationId ?? null,
          clientAt: who.at,
        })
        // Two sends of one report at the same moment: the second waits for the first and finds it.
        .onConflictDoNothing({ target: floorIssues.clientId })
        .returning({ id: floorIssues.id })
    )[0];
    if (!row) return null;
    if (photos.length > 0) {
      await tx.insert(floorIssuePhotos).values(
        photos.map((p, n) => ({
          issueId: row.id,
          n,
          contentType: p.contentType,
          size: p.bytes.length,
          width: p.width,
          height: p.height,
          bytes: p.bytes,
        })),
      );
    }
    const issue = await issueView(tx, row.id);
    // The audit row carries the photos' metadata, never their bytes.
    await recordAudit(tx, actor, 'create', 'floor_issue', row.id, null, issue);
    for (const notification of await notifyRoles(tx, ISSUE_NOTIFY_ROLES, issueNotice(issue, machine?.code ?? null)))
      await deps.events.record(tx, { type: 'notification.created', notification });
    await deps.events.record(tx, {
      type: 'floor.issue-reported',
      issueId: row.id,
      kind: issue.kind,
      status: issue.status,
      workCenterId,
      machineId: issue.machineId,
      reasonCode,
    });
    return row.id;
  });
  if (id === null) return { issue: (await existingIssue(deps.db, input.clientId))!, created: false };
  return { issue: await issueView(deps.db, id), created: true };
}

async function existingIssue(db: Db, clientId: string): Promise<IssueView | undefined> {
  const row = (await db.select({ id: floorIssues.id }).from(floorIssues).where(eq(floorIssues.clientId, clientId)))[0];
  return row ? issueView(db, row.id) : undefined;
}

type Step = 'acknowledge' | 'close';

/**
 * A supervisor acknowledges (open -> acknowledged) or closes (open or acknowledged -> closed,
 * with an optional resolution) an issue. Doing either a second time is a conflict that says who
 * did it first: two supervisors on one alarm learn that the other has it.
 */
export async function handleIssue(
  deps: IssueDeps,
  actor: Actor,
  id: string,
  step: Step,
  resolution?: string,
): Promise<IssueView> {
  return deps.db.transaction(async (tx) => {
    // One supervisor at a time per issue: the second waits, then sees what the first did.
    await tx.execute(sql`SELECT 1 FROM floor_issues WHERE id = ${id} FOR UPDATE`);
    const current = await issueView(tx, id);
    const now = new Date();
    const by = { id: actor.id, name: actor.name.slice(0, 100) };
    if (current.status === 'closed') {
      throw new AppError(
        'conflict',
        'issue_closed',
        `issue ${id} was closed by ${current.closedBy?.name ?? 'someone'} at ${current.closedAt?.toISOString()}`,
      );
    }
    if (step === 'acknowledge') {
      if (current.status === 'acknowledged') {
        throw new AppError(
          'conflict',
          'issue_acknowledged',
          `issue ${id} was acknowledged by ${current.acknowledgedBy?.name ?? 'someone'} at ${current.acknowledgedAt?.toISOString()}`,
        );
      }
      await tx
        .update(floorIssues)
        .set({ status: 'acknowledged', acknowledgedBy: by.id, acknowledgedByName: by.name, acknowledgedAt: now })
        .where(eq(floorIssues.id, id));
    } else {
      await tx
        .update(floorIssues)
        .set({
          status: 'closed',
          closedBy: by.id,
          closedByName: by.name,
          closedAt: now,
          resolution: resolution?.trim() || null,
        })
        .where(eq(floorIssues.id, id));
    }
    const after = await issueView(tx, id);
    await recordAudit(tx, actor, 'update', 'floor_issue', id, statusOf(current), statusOf(after));
    await deps.events.record(tx, {
      type: 'floor.issue-changed',
      issueId: id,
      kind: after.kind,
      status: after.status,
      workCenterId: after.workCenterId,
    });
    return after;
  });
}

const statusOf = (i: IssueView) => ({
  status: i.status,
  acknowledgedBy: i.acknowledgedBy,
  acknowledgedAt: i.acknowledgedAt,
  closedBy: i.closedBy,
  closedAt: i.closedAt,
  resolution: i.resolution,
});
