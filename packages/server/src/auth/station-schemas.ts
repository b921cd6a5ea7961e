import { Type } from 'typebox';
import { DateTime, nameSchemas, Nullable, strict, Uuid } from '../platform/http/schemas.js';

// Shared floor tablets (ADR 0022): the station's record, its screen, and operator sign-in.
export const Station = Type.Object({
  id: Uuid,
  name: Type.String(),
  workCenterIds: Type.Array(Type.String()),
  tokenPrefix: Type.String(),
  createdBy: Nullable(Uuid),
  createdAt: DateTime,
  revokedAt: Nullable(DateTime),
  lastSeenAt: Nullable(DateTime),
});

export const NewStation = strict(
  Type.Object({
    name: Type.String({ minLength: 1, maxLength: 100 }),
    workCenterIds: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { minItems: 1, maxItems: 50 }),
  }),
);

export const StationCreated = Type.Object({ ...Station.properties, token: Type.String({ description: 'shown once' }) });

export const StationScreen = Type.Object({
  station: Type.Object({ id: Uuid, name: Type.String(), workCenterIds: Type.Array(Type.String()) }),
  operators: Type.Array(Type.Object({ id: Uuid, username: Type.String(), displayName: Nullable(Type.String()) })),
});

export const StationSignInBody = Type.Union([
  strict(Type.Object({ badge: Type.String({ minLength: 1, maxLength: 64 }) })),
  strict(Type.Object({ userId: Uuid, pin: Type.String({ minLength: 1, maxLength: 16 }) })),
]);

export const StationSignInAnswer = Type.Object({
  token: Type.String(),
  expiresAt: DateTime,
  user: Type.Object({ id: Uuid, username: Type.String(), displayName: Nullable(Type.String()), role: Type.String() }),
});

export const OperatorCredentialBody = strict(
  Type.Object({
    badge: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 48 }))),
    pin: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 16 }))),
  }),
);

export const OperatorCredential = Type.Object({
  userId: Uuid,
  hasBadge: Type.Optional(Type.Boolean()),
  hasPin: Type.Optional(Type.Boolean()),
});

nameSchemas({ Station, StationCreated, StationScreen, StationSignInAnswer, OperatorCredential });
