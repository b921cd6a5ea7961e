import { Type } from 'typebox';
import { DateTime, Nullable, strict, Uuid } from '../../platform/http/schemas.js';

export const Device = Type.Object({
  id: Uuid,
  username: Type.String(),
  allowedTopics: Type.Array(Type.String()),
  machineId: Nullable(Uuid),
  machineCode: Nullable(Type.String()),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  rotatedAt: Nullable(DateTime),
  createdAt: DateTime,
  updatedAt: DateTime,
});

/** A device with its password: the answer of create and rotate, the only time it is shown. */
export const DeviceWithPassword = Type.Object({
  ...Device.properties,
  password: Type.String({ description: 'shown once; Kerf keeps only its hash' }),
  mqttUrl: Nullable(Type.String({ description: "the embedded broker's address, when it runs" })),
});

export const DeviceCreate = strict(
  Type.Object({
    username: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' }),
    allowedTopics: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
        maxItems: 50,
        description: 'topic prefixes, e.g. "shopfloor/weld/WELD-01/"',
      }),
    ),
    machineId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'machine UUID or code: its topics when allowedTopics is absent',
      }),
    ),
  }),
);

export const DeviceIdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100, description: 'device UUID or user name' }),
});
