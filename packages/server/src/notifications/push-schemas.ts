import { Type, type Static } from 'typebox';
import { DateTime, nameSchemas, Nullable, strict, Uuid } from '../platform/http/schemas.js';

// Web Push (ADR 0025). The subscription is what the browser's PushSubscription.toJSON() gives.
export const PushPublicKey = Type.Object({
  publicKey: Type.String({
    description: 'the VAPID public key, base64url: PushManager.subscribe({ applicationServerKey })',
  }),
});

const Base64Url = (maxLength: number, description: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+={0,2}$', description });

export const PushSubscriptionBody = strict(
  Type.Object({
    deviceId: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'the device the browser runs on (the floor app’s device id); one subscription per user and device',
    }),
    subscription: strict(
      Type.Object({
        endpoint: Type.String({ minLength: 1, maxLength: 2048, description: 'the push service URL (https)' }),
        expirationTime: Type.Optional(Nullable(Type.Number())),
        keys: strict(
          Type.Object({
            p256dh: Base64Url(100, 'the browser’s P-256 public key, 65 bytes uncompressed'),
            auth: Base64Url(40, 'the 16-byte authentication secret'),
          }),
        ),
      }),
    ),
  }),
);
export type PushSubscriptionBodyT = Static<typeof PushSubscriptionBody>;

export const PushEndpointBody = strict(Type.Object({ endpoint: Type.String({ minLength: 1, maxLength: 2048 }) }));

// The keys are not given back: the auth secret is the browser's, and the caller already has it.
export const PushSubscriptionView = Type.Object({
  id: Uuid,
  deviceId: Type.String(),
  endpoint: Type.String(),
  userAgent: Nullable(Type.String()),
  createdAt: DateTime,
  lastSuccessAt: Nullable(DateTime),
  failures: Type.Integer(),
});
export type PushSubscriptionViewT = Static<typeof PushSubscriptionView>;

nameSchemas({ PushPublicKey, PushSubscriptionBody, PushSubscriptionView });
