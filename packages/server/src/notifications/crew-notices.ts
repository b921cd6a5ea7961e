import { crewAt } from '../auth/station-crew.js';
import type { Db } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';
import { notifyUser, type NewNotification } from './service.js';

/**
 * Tells the people signed in at a work center's stations about a change to their work (the
 * queue reordered by a supervisor, a rush job arriving), in the caller's transaction: the
 * in-app notification and its event commit with the change or not at all, and Web Push picks
 * the event up from the outbox (so each person is told once).
 */
export async function notifyCrew(tx: Db, events: EventBus, workCenterId: string, notice: NewNotification) {
  const people = await crewAt(tx, workCenterId);
  for (const userId of people) {
    const notification = await notifyUser(tx, userId, notice);
    await events.record(tx, { type: 'notification.created', notification });
  }
  return people.length;
}
