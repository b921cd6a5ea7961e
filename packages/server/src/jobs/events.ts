import type { EventChannels } from '../platform/event-channels.js';

// The jobs module's durable events, recorded by its commands inside their transactions.
declare module '../platform/events.js' {
  interface KerfEvents {
    /** sheets left stock (a posted nest, a remnant cut again); `quantity` is what was taken */
    'stock.consumed': { materialId: string; quantity: number; reason: string };
    /** sheets came (back) into stock: a deleted nest's sheets, a new remnant */
    'stock.added': { materialId: string; quantity: number; reason: string };
    /** a routing step's run time per unit changed (real cut times from nesting) */
    'routing-step.retimed': { routingId: string; jobId: string; runMinutesPerUnit: number; reason: string };
    /** the floor's good count of a step changed, and with it maybe the job's completed quantity */
    'job.quantity-completed': { jobId: string; routingId: string; stepGood: number; quantityCompleted: number };
  }
}

// A retimed step changes what the planner shows; stock changes reach screens through their reads.
export const jobEventChannels: EventChannels<
  'stock.consumed' | 'stock.added' | 'routing-step.retimed' | 'job.quantity-completed'
> = {
  'stock.consumed': null,
  'stock.added': null,
  'routing-step.retimed': 'schedule',
  'job.quantity-completed': 'schedule',
};
