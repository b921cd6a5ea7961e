/**
 * Web Push for the person signed in on this device: the browser's push subscription (made with
 * the server's VAPID public key) is registered for them (POST /api/v1/push/subscriptions); the
 * service worker shows what arrives. On a shared tablet the subscription moves to whoever
 * subscribes last. iOS delivers Web Push only to an app added to the Home Screen; the in-app
 * list and the WebSocket stay the fallback.
 */
import { ok } from '../api/client';
import { deviceId } from './outbox';
import { operatorApi } from './session';

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

export const pushSupported = () =>
  typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** Asks for permission and subscribes; answers what to tell the person. */
export async function subscribeToPush(): Promise<string> {
  if (!pushSupported())
    return 'This browser cannot receive push notifications here (on iPad/iPhone: add Kerf to the Home Screen first).';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'Notifications are blocked for Kerf in this browser’s settings.';
  const { publicKey } = await ok(operatorApi.GET('/api/v1/push/public-key', {}));
  const registration = await navigator.serviceWorker.ready;
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  const json = subscription.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
  await ok(
    operatorApi.POST('/api/v1/push/subscriptions', {
      body: { deviceId: await deviceId(), subscription: { endpoint: json.endpoint, keys: json.keys } },
    }),
  );
  return 'Notifications are on for you on this device.';
}
