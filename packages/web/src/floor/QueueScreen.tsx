/**
 * A work center's queue on the tablet: big cards in dispatch order, each with what the
 * operator needs to choose (job, customer, part, material and thickness, done / left, due and
 * priority, ready or what it waits on). Tapping a card opens it; work the queue does not offer
 * yet can be opened but only a supervisor can start it.
 */
import { fmt } from '../format';
import type { CachedRead } from './cached-read';
import type { FloorQueue, QueueItem } from './floor-api';
import { withPending, type FloorStatus } from './op-state';
import type { Queued } from './outbox';

const STATUS_LABEL: Record<FloorStatus, string> = {
  not_started: 'Not started',
  running: 'Running',
  paused: 'Paused',
  finished: 'Finished',
};

export function localState(item: QueueItem, pending: readonly Queued[]) {
  return withPending(
    { status: item.floorStatus, good: item.good, scrap: item.scrap },
    pending.filter((t) => t.operationId === item.operationId),
  );
}

export function QueueScreen({
  queue,
  pending,
  selected,
  onOpen,
}: {
  queue: CachedRead<FloorQueue>;
  pending: readonly Queued[];
  selected: string | null;
  onOpen: (item: QueueItem) => void;
}) {
  const q = queue.data;
  if (!q)
    return <p className="fl-hint">{queue.error ? `Cannot load the queue: ${queue.error}` : 'Loading the queue…'}</p>;
  return (
    <section className="fl-queue" aria-label={`Queue of ${q.workCenter.id}`}>
      {!queue.fresh && queue.at && <p className="fl-offline-note">Offline: the queue as of {fmt(queue.at)}</p>}
      {q.message && <p className="fl-error">{q.message}</p>}
      {q.items.length === 0 && <p className="fl-hint">Nothing queued here.</p>}
      <ol>
        {q.items.map((item) => {
          const s = localState(item, pending);
          const part = item.parts[0];
          return (
            <li key={item.slotId}>
              <button
                className={`fl-card fl-${s.status}${selected === item.operationId ? ' fl-selected' : ''}${item.ready ? '' : ' fl-waiting'}`}
                onClick={() => onOpen(item)}
                data-operation={item.operationId}
              >
                <span className="fl-card-top">
                  <span className="fl-pos">{item.position}</span>
                  <strong>{item.jobNumber}</strong>
                  <span>
                    {item.sequence} {item.operationCode}
                  </span>
                  <span className={`fl-chip fl-chip-${s.status}`}>{STATUS_LABEL[s.status]}</span>
                </span>
                <span className="fl-card-mid">
                  {item.customer ?? '—'}
                  {part && (
                    <>
                      {' · '}
                      {part.partNumber} rev {part.revision} · {part.material} {part.thickness}
                    </>
                  )}
                </span>
                <span className="fl-card-bottom">
                  <span>
                    {s.good} done · {Math.max(0, item.quantity - s.good)} left of {item.quantity}
                  </span>
                  <span className={item.priority <= 1 ? 'fl-rush' : ''}>
                    P{item.priority} · due {fmt(item.dueDate)}
                  </span>
                </span>
                {!item.ready && <span className="fl-wait">Waiting on {item.waitingOn.join(', ')}</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
