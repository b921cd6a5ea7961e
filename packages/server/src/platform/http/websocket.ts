import type { FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { authenticateCredential } from '../../auth/authenticate.js';
import type { Permission } from '../../auth/permissions.js';
import { SESSION_ENDED, sessionWatch } from '../../auth/session-watch.js';
import { eventVisibleTo } from '../../notifications/visibility.js';
import type { AppContext } from '../context.js';
import { channelsOf } from '../events.js';
import { actorOf, bearerToken } from './route-access.js';

/** Every WebSocket channel and the permission it needs; a channel not listed is refused. */
export const CHANNELS: Record<string, Permission> = {
  'plan-runs': 'schedule:view',
  schedule: 'schedule:view',
  machines: 'machine:view',
  alarms: 'machine:view',
  // per user: each socket receives only the notifications addressed to its user or role
  notifications: 'schedule:view',
};

/** Channels with a parameter: `machines:{departmentId}`, `machine:{code}`. */
const PARAMETRISED: { prefix: string; permission: Permission }[] = [
  { prefix: 'machines:', permission: 'machine:view' },
  { prefix: 'machine:', permission: 'machine:view' },
];

function permissionOf(channel: string): Permission | undefined {
  const fixed = CHANNELS[channel];
  if (fixed) return fixed;
  const p = PARAMETRISED.find((c) => channel.startsWith(c.prefix) && channel.length > c.prefix.length);
  return p?.permission;
}

/**
 * The WebSocket plugin, registered before the access gate (route-access.ts) so that its request
 * hooks run first: it then knows a refused upgrade (401/403) is one and hangs up the raw socket
 * after the answer. Registered after the gate, a refused upgrade left the server's socket open
 * for good, one per bad token, and held up shutdown.
 */
export async function registerWebSocketPlugin(app: FastifyInstance): Promise<void> {
  await app.register(websocket);
}

/**
 * `GET /api/v1/ws` (token in the Authorization header, or `?access_token=` from browsers).
 * Clients send `{"subscribe": ["plan-runs"]}` and then receive `{"channel", "event"}` messages.
 * The socket closes with 4401 when its session or key ends (logout, revocation, a disabled user,
 * expiry) and with 4403 when its role or scopes change (auth/session-watch.ts).
 */
export async function registerWebSocket(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const sessions = sessionWatch(ctx.database.db);
  app.addHook('onClose', async () => sessions.stop());
  app.get(
    '/api/v1/ws',
    { websocket: true, config: { access: 'schedule:view' }, schema: { tags: ['events'], hide: true } },
    (socket, req) => {
      const actor = actorOf(req);
      const token = bearerToken(req) ?? '';
      let unwatch: (() => void) | undefined;
      let closed = false;
      // The gate just authenticated this token (a cache hit): this adds its expiry to watch for.
      authenticateCredential(ctx.database.db, token).then(
        (credential) => {
          if (closed) return;
          if (!credential) return socket.close(SESSION_ENDED.code, SESSION_ENDED.reason);
          unwatch = sessions.watch({
            token,
            actor,
            expiresAt: credential.expiresAt,
            end: (code, reason) => socket.close(code, reason),
          });
        },
        () => socket.close(1011, 'could not check the session; reconnect'),
      );
      const subscribed = new Set<string>();
      const send = (msg: unknown) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
      };
      const unsubscribe = ctx.events.subscribe((event) => {
        // Once per socket, on the most specific subscribed channel.
        const channel = channelsOf(event).find((c) => subscribed.has(c));
        if (channel && eventVisibleTo(event, actor)) send({ channel, event });
      });
      socket.on('message', (raw: Buffer) => {
        let msg: { subscribe?: unknown };
        try {
          msg = JSON.parse(raw.toString()) as { subscribe?: unknown };
        } catch {
          return send({ type: 'error', message: 'messages must be JSON like {"subscribe": ["plan-runs"]}' });
        }
        const wanted = Array.isArray(msg.subscribe) ? msg.subscribe.map(String) : [];
        for (const channel of wanted) {
          const permission = permissionOf(channel);
          if (!permission)
            send({
              type: 'error',
              channel,
              message: `unknown channel ${channel}; known: ${[...Object.keys(CHANNELS), ...PARAMETRISED.map((p) => `${p.prefix}{id}`)].join(', ')}`,
            });
          else if (!actor.permissions.has(permission))
            send({ type: 'error', channel, message: `channel ${channel} needs the permission ${permission}` });
          else subscribed.add(channel);
        }
        send({ type: 'subscribed', channels: [...subscribed] });
      });
      socket.on('close', () => {
        closed = true;
        unsubscribe();
        unwatch?.();
      });
    },
  );
}
