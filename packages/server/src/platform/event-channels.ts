import type { KerfEventOf, KerfEventType } from './events.js';

/**
 * Where an event goes on the WebSocket: one channel, several (most specific first), or none
 * (events only other modules listen to). Each module declares the rule for each of its events;
 * the composition root merges them and the compiler checks that no event is left out.
 */
export type ChannelRule<K extends KerfEventType> = string | null | ((event: KerfEventOf<K>) => string[]);

export type EventChannels<K extends KerfEventType = KerfEventType> = { [T in K]: ChannelRule<T> };

/** Every channel an event is published on, most specific first ([] for none). */
export function channelsFor(rules: EventChannels, event: KerfEventOf<KerfEventType>): string[] {
  const rule = rules[event.type] as ChannelRule<KerfEventType>;
  if (rule === null) return [];
  return typeof rule === 'string' ? [rule] : rule(event);
}
