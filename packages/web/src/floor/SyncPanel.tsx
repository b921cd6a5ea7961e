/**
 * The tablet's outbox: what waits to be sent, what the server refused or found in conflict (an
 * operation finished on another tablet, moved, cancelled), and how many went through. Nothing
 * refused disappears until the operator has seen it and dismissed it.
 */
import { fmt } from '../format';
import { dismiss, type OutboxView } from './outbox-store';

export function SyncPanel({
  outbox,
  onSendNow,
  onClose,
}: {
  outbox: OutboxView;
  onSendNow: () => void;
  onClose: () => void;
}) {
  return (
    <section className="fl-sync" aria-label="Sync">
      <header className="fl-op-head">
        <button className="fl-back" onClick={onClose} aria-label="Back">
          ←
        </button>
        <h2>Sync</h2>
      </header>
      <p data-testid="sync-tally">
        {outbox.pending.length} waiting · {outbox.tally.applied} applied · {outbox.tally.duplicate} already there ·{' '}
        {outbox.problems.length} to check
      </p>
      {outbox.lastError && <p className="fl-warning">Last try: {outbox.lastError}</p>}
      <button className="fl-primary" onClick={onSendNow} disabled={outbox.sending}>
        {outbox.sending ? 'Sending…' : 'Send now'}
      </button>
      {outbox.problems.length > 0 && (
        <>
          <h3>Not applied</h3>
          <ul className="fl-problems">
            {outbox.problems.map((p) => (
              <li key={p.id} className={`fl-problem fl-${p.status}`} data-testid="sync-problem">
                <strong>{p.status === 'conflict' ? 'Conflict' : 'Refused'}</strong> {p.label} by {p.employeeName} at{' '}
                {fmt(p.at)}: {p.message}
                <button className="fl-secondary" onClick={() => void dismiss(p.id)}>
                  Seen
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {outbox.pending.length > 0 && (
        <>
          <h3>Waiting</h3>
          <ol className="fl-pending">
            {outbox.pending.slice(0, 50).map((t) => (
              <li key={t.id}>
                #{t.seq} {t.label} · {fmt(t.at)}
              </li>
            ))}
            {outbox.pending.length > 50 && <li>… and {outbox.pending.length - 50} more</li>}
          </ol>
        </>
      )}
    </section>
  );
}
