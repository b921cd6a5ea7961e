import { and, asc, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { routingStep } from '../jobs/routing-job-view.js';
import { findMachine } from '../machines/machine-service.js';
import type { MachineStatus } from '../machines/status-types.js';
import type { Db } from '../platform/db.js';
import { AppError, notFound } from '../platform/errors.js';
import type { PhotoType } from './issue-photos.js';
import type { IssueKind, IssueStatus } from './issue-schemas.js';
import { floorIssuePhotos, floorIssues } from './issue-tables.js';
import { floorReasons } from './tables.js';

/** Reads the current status of machines; the machines module's status cache is one. */
export interface MachineStatusReader {
  read(refs: { id: string; code: string; departmentId: string }[]): Promise<MachineStatus[]>;
}

export interface IssuePhotoView {
  n: number;
  contentType: PhotoType;
  size: number;
  width: number | null;
  height: number | null;
  url: string;
}

export interface IssueView {
  id: string;
  clientId: string;
  kind: IssueKind;
  status: IssueStatus;
  reason: { code: string; label: string; parentCode: string | null };
  workCenterId: string;
  operation: { id: string; jobId: string; jobNumber: string; sequence: number; operationCode: string } | null;
  machineId: string | null;
  note: string | null;
  reportedBy: { id: string; name: string };
  stationId: string | null;
  reportedAt: Date;
  clientAt: Date | null;
  acknowledgedBy: { id: string; name: string } | null;
  acknowledgedAt: Date | null;
  closedBy: { id: string; name: string } | null;
  closedAt: Date | null;
  resolution: string | null;
  photos: IssuePhotoView[];
}

export interface IssueMachineView {
  machineId: string;
  code: string;
  name: string;
  state: string;
  since: string | null;
  lastSeen: string | null;
}

export interface IssueFilter {
  status?: IssueStatus;
  workCenterId?: string;
  kind?: IssueKind;
  limit: number;
  offset: number;
}

const person = (id: string | null, name: string | null) => (id ? { id, name: name ?? id } : null);

async function issueRows(db: Db, where: SQL | undefined, page?: { limit: number; offset: number }) {
  const query = db
    .select({
      issue: floorIssues,
      reasonLabel: floorReasons.label,
      reasonParent: floorReasons.parentCode,
      jobId: routingStep.jobId,
      jobNumber: routingStep.jobNumber,
      sequence: routingStep.sequence,
      operationCode: routingStep.operationCode,
    })
    .from(floorIssues)
    .innerJoin(floorReasons, eq(floorReasons.code, floorIssues.reasonCode))
    .leftJoin(routingStep, eq(routingStep.routingId, floorIssues.operationId))
    .where(where)
    .orderBy(desc(floorIssues.reportedAt), desc(floorIssues.id));
  const rows = page ? await query.limit(page.limit).offset(page.offset) : await query;
  const ids = rows.map((r) => r.issue.id);
  const photos =
    ids.length === 0
      ? []
      : await db
          .select({
            issueId: floorIssuePhotos.issueId,
            n: floorIssuePhotos.n,
            contentType: floorIssuePhotos.contentType,
            size: floorIssuePhotos.size,
            width: floorIssuePhotos.width,
            height: floorIssuePhotos.height,
          })
          .from(floorIssuePhotos)
          .where(inArray(floorIssuePhotos.issueId, ids))
          .orderBy(asc(floorIssuePhotos.issueId), asc(floorIssuePhotos.n));
  return rows.map(({ issue: i, ...r }): IssueView => ({
    id: i.id,
    clientId: i.clientId,
    // The table's CHECK constraints hold kind and status to these words.
    kind: i.kind as IssueKind,
    status: i.status as IssueStatus,
    reason: { code: i.reasonCode, label: r.reasonLabel, parentCode: r.reasonParent },
    workCenterId: i.workCenterId,
    operation:
      i.operationId && r.jobId && r.jobNumber !== null && r.sequence !== null && r.operationCode !== null
        ? {
            id: i.operationId,
            jobId: r.jobId,
            jobNumber: r.jobNumber,
            sequence: r.sequence,
            operationCode: r.operationCode,
          }
        : null,
    machineId: i.machineId,
    note: i.note,
    reportedBy: { id: i.reportedBy, name: i.reportedByName },
    stationId: i.stationId,
    reportedAt: i.reportedAt,
    clientAt: i.clientAt,
    acknowledgedBy: person(i.acknowledgedBy, i.acknowledgedByName),
    acknowledgedAt: i.acknowledgedAt,
    closedBy: person(i.closedBy, i.closedByName),
    closedAt: i.closedAt,
    resolution: i.resolution,
    photos: photos
      .filter((p) => p.issueId === i.id)
      .map((p) => ({
        n: p.n,
        contentType: p.contentType as PhotoType,
        size: p.size,
        width: p.width,
        height: p.height,
        url: `/api/v1/floor/issues/${i.id}/photos/${p.n}`,
      })),
  }));
}

/** One issue with its photos' metadata (never their bytes). */
export async function issueView(db: Db, id: string): Promise<IssueView> {
  const row = (await issueRows(db, eq(floorIssues.id, id)))[0];
  if (!row) throw notFound('issue', id);
  return row;
}

/** Issues newest first, by status, work center and kind. */
export async function listIssues(db: Db, filter: IssueFilter): Promise<{ items: IssueView[]; total: number }> {
  const conditions: SQL[] = [];
  if (filter.status) conditions.push(eq(floorIssues.status, filter.status));
  if (filter.workCenterId) conditions.push(eq(floorIssues.workCenterId, filter.workCenterId));
  if (filter.kind) conditions.push(eq(floorIssues.kind, filter.kind));
  const where = conditions.length > 0 ? and(...conditions) : undefined;
  const items = await issueRows(db, where, filter);
  const total = (await db.select({ n: count() }).from(floorIssues).where(where))[0]?.n ?? 0;
  return { items, total };
}

/** The issue and, when it names a machine, that machine's state now (what a supervisor walks up to). */
export async function issueDetail(
  db: Db,
  status: MachineStatusReader,
  id: string,
): Promise<IssueView & { machine: IssueMachineView | null }> {
  const issue = await issueView(db, id);
  if (!issue.machineId) return { ...issue, machine: null };
  const machine = await findMachine(db, issue.machineId).catch((err: unknown) => {
    // A machine removed from the registry since: the report keeps its id, there is no state to show.
    if (err instanceof AppError && err.kind === 'not_found') return undefined;
    throw err;
  });
  if (!machine) return { ...issue, machine: null };
  const now = (await status.read([machine]))[0]!;
  return {
    ...issue,
    machine: {
      machineId: machine.id,
      code: machine.code,
      name: machine.name,
      state: now.state,
      since: now.since,
      lastSeen: now.lastSeen,
    },
  };
}

/** A photo's bytes and type. */
export async function issuePhoto(db: Db, id: string, n: number): Promise<{ contentType: string; bytes: Buffer }> {
  const row = (
    await db
      .select({ contentType: floorIssuePhotos.contentType, bytes: floorIssuePhotos.bytes })
      .from(floorIssuePhotos)
      .where(and(eq(floorIssuePhotos.issueId, id), eq(floorIssuePhotos.n, n)))
  )[0];
  if (!row) throw notFound('photo', `${n} of issue ${id}`);
  return row;
}
