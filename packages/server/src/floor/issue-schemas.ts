import { Type } from 'typebox';
import { DateTime, nameSchemas, Nullable, OneOf, Offset, limitOf, strict, Uuid } from '../platform/http/schemas.js';
import { MAX_PHOTO_BASE64, MAX_PHOTOS, PHOTO_TYPES } from './issue-photos.js';

export const ISSUE_KINDS = ['quality', 'downtime', 'material'] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];
export const ISSUE_STATUSES = ['open', 'acknowledged', 'closed'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

export const MAX_NOTE = 2000;

/**
 * The JSON body of a report at its largest: four photos at the byte limit in base64, plus the
 * note and the fields around them. The server's default (1 MB, platform/http/json-body.ts) would
 * refuse one photo; only this route takes more.
 */
export const ISSUE_BODY_LIMIT = MAX_PHOTOS * (MAX_PHOTO_BASE64 + 100) + 64 * 1024;

export const IssuePhotoInput = strict(
  Type.Object({
    contentType: OneOf(PHOTO_TYPES, { description: 'what the client says it is; the bytes must agree' }),
    data: Type.String({
      maxLength: MAX_PHOTO_BASE64,
      pattern: '^[A-Za-z0-9+/]*={0,2}$',
      description: 'the image bytes in base64 (at most 2 MB decoded); the floor app scales to 1600 px first',
    }),
  }),
);

export const IssueReport = strict(
  Type.Object({
    clientId: Type.String({
      format: 'uuid',
      description: 'made by the tablet; sending the same report again answers the first one (200)',
    }),
    kind: OneOf(ISSUE_KINDS),
    reason: Type.String({
      minLength: 1,
      maxLength: 50,
      description: 'reason code of the same kind (GET /api/v1/floor/reasons); any active node of the downtime tree',
    }),
    workCenterId: Type.String({ minLength: 1, maxLength: 50 }),
    operationId: Type.Optional(Type.String({ format: 'uuid', description: 'routing step; required for quality' })),
    machineId: Type.Optional(
      Type.String({ format: 'uuid', description: 'for downtime the work center’s machine when left out' }),
    ),
    note: Type.Optional(Type.String({ maxLength: MAX_NOTE })),
    employee: Type.Optional(
      Type.String({
        maxLength: 64,
        description: 'badge or user id of who reports; required from a station’s own token (offline replay)',
      }),
    ),
    at: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'when the tablet took the report (device clock); a station replay is checked against it',
      }),
    ),
    photos: Type.Optional(Type.Array(IssuePhotoInput, { maxItems: MAX_PHOTOS })),
  }),
);

export const IssueListQuery = strict(
  Type.Object({
    status: Type.Optional(OneOf(ISSUE_STATUSES)),
    workCenterId: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    kind: Type.Optional(OneOf(ISSUE_KINDS)),
    limit: Type.Optional(limitOf(200, 50)),
    offset: Type.Optional(Offset),
  }),
);

export const IssuePhotoParams = Type.Object({ id: Uuid, n: Type.Integer({ minimum: 0, maximum: MAX_PHOTOS - 1 }) });

export const IssueResolution = strict(Type.Object({ resolution: Type.Optional(Type.String({ maxLength: MAX_NOTE })) }));

const Person = Type.Object({ id: Type.String(), name: Type.String() });

export const IssuePhoto = Type.Object({
  n: Type.Integer({ description: 'the photo’s place in the report, 0-3' }),
  contentType: OneOf(PHOTO_TYPES),
  size: Type.Integer({ description: 'bytes' }),
  width: Nullable(Type.Integer()),
  height: Nullable(Type.Integer()),
  url: Type.String({ description: 'GET it for the image bytes' }),
});

export const FloorIssue = Type.Object({
  id: Uuid,
  clientId: Uuid,
  kind: OneOf(ISSUE_KINDS),
  status: OneOf(ISSUE_STATUSES),
  reason: Type.Object({ code: Type.String(), label: Type.String(), parentCode: Nullable(Type.String()) }),
  workCenterId: Type.String(),
  operation: Nullable(
    Type.Object({
      id: Uuid,
      jobId: Uuid,
      jobNumber: Type.String(),
      sequence: Type.Integer(),
      operationCode: Type.String(),
    }),
  ),
  machineId: Nullable(Uuid),
  note: Nullable(Type.String()),
  reportedBy: Person,
  stationId: Nullable(Uuid),
  reportedAt: DateTime,
  clientAt: Nullable(DateTime),
  acknowledgedBy: Nullable(Person),
  acknowledgedAt: Nullable(DateTime),
  closedBy: Nullable(Person),
  closedAt: Nullable(DateTime),
  resolution: Nullable(Type.String()),
  photos: Type.Array(IssuePhoto),
});

export const IssueMachineState = Type.Object({
  machineId: Uuid,
  code: Type.String(),
  name: Type.String(),
  state: Type.String({ description: 'running | idle | setup | alarm | offline | stopped (offline: never heard from)' }),
  since: Nullable(DateTime),
  lastSeen: Nullable(DateTime),
});

export const FloorIssueDetail = Type.Object({
  ...FloorIssue.properties,
  /** the linked machine's state now (downtime, or any report naming a machine) */
  machine: Nullable(IssueMachineState),
});

export const FloorIssuePage = Type.Object({
  items: Type.Array(FloorIssue),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

nameSchemas({ FloorIssue, FloorIssueDetail, IssuePhoto, IssueMachineState, IssueReport });
