import type { Actor } from '../auth/actor.js';
import type { KerfEvent } from '../platform/events.js';
import { addressedTo } from './service.js';

/** Per-user filter of the WebSocket fan-out: a notification reaches only the users it is addressed to. */
export function eventVisibleTo(event: KerfEvent, actor: Actor): boolean {
  return event.type === 'notification.created' ? addressedTo(event.notification, actor) : true;
}
