import type { FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { channelsFor, type EventChannels } from '../event-channels.js';
import type { EventBus, KerfEvent } from '../events.js';
import { actorOf, bearerToken, type RequestActor, type RouteAccess } from './route-access.js';

/** Which permission each WebSocket channel needs; declared by the modules, merged by the composition root. */
export interface ChannelAccess {
  /** channels by name */
  fixed: Record<string, RouteAccess>;
  /** channels with a parameter, e.g. `machine:{code}` */
  prefixed: { prefix: string; permission: RouteAccess }[];
}

export interface WebSocketDeps {
  events: EventBus;
  /** where each event goes */
  channels: EventChannels;
  access: ChannelAccess;
  holds(actor: RequestActor, permission: RouteAccess): boolean;
  /** whether this actor may see this event (e.g. a notification addressed to someone else) */
  visible(event: KerfEvent, actor: RequestActor): boolean;
  /**
   * Watches the socket's credential; calls `end` when it ends (logout, revocation, expiry, a
   * changed role). Resolves to the function that stops watching.
   */
  watchCredential(token: string, actor: RequestActor, end: (code: number, reason: string) => void): Promise<() => void>;
}

function permissionOf(access: ChannelAccess, channel: string): RouteAccess | undefined {
  const fixed = access.fixed[channel];
  if (fixed) return fixed;
  const p = access.prefixed.find((c) => channel.startsWith(c.prefix) && channel.length > c.prefix.length);
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
export async function registerWebSocket(app: FastifyInstance, deps: WebSocketDeps): Promise<void> {
  app.get(
    '/api/v1/ws',
    { websocket: true, config: { access: 'schedule:view' }, schema: { tags: ['events'], hide: true } },
    (socket, req) => {
      const actor = actorOf(req);
      const token = bearerToken(req) ?? '';
      let unwatch: (() => void) | undefined;
      let closed = false;
      deps
        .watchCredential(token, actor, (code, reason) => socket.close(code, reason))
        .then(
          (stop) => {
            if (closed) stop();
            else unwatch = stop;
          },
          () => socket.close(1011, 'could not check the session; reconnect'),
        );
      const subscribed = new Set<string>();
      const send = (msg: unknown) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
      };
      const unsubscribe = deps.events.subscribe((event) => {
        // Once per socket, on the most specific subscribed channel.
        const channel = channelsFor(deps.channels, event).find((c) => subscribed.has(c));
        if (channel && deps.visible(event, actor)) send({ channel, event });
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
          const permission = permissionOf(deps.access, channel);
          if (!permission)
            send({
              type: 'error',
              channel,
              message: `unknown channel ${channel}; known: ${[...Object.keys(deps.access.fixed), ...deps.access.prefixed.map((p) => `${p.prefix}{id}`)].join(', ')}`,
            });
          else if (permission !== 'public' && !deps.holds(actor, permission))
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
