/** The side panel of a drag: where the bar goes, the server's verdict, Confirm/Cancel. */
import type { MoveAnswer } from '../../api/models';
import { fmt, shopZone } from '../../format';

export interface MoveState {
  jobNumber: string;
  operationCode: string;
  target: { start: string; workCenterId: string };
  phase: 'dragging' | 'checking' | 'verdict' | 'refused' | 'committing' | 'committed';
  answer?: MoveAnswer;
  message?: string;
}

interface Props {
  move: MoveState | null;
  onConfirm: () => void;
  onCancel: () => void;
  onClose: () => void;
}

export function MovePanel({ move, onConfirm, onCancel, onClose }: Props) {
  if (!move) {
    return (
      <aside className="move-panel idle" aria-label="Move">
        <p>
          Drag a bar to another time or work center: the server checks the move and shows its consequences here before
          anything changes.
        </p>
      </aside>
    );
  }
  const { answer } = move;
  const newlyLate = answer?.consequences.lateJobs.filter((j) => !j.wasLate) ?? [];
  return (
    <aside className="move-panel" aria-label="Move" aria-live="polite" data-phase={move.phase}>
      <h2>
        Move {move.jobNumber} {move.operationCode}
      </h2>
      <p>
        To <b>{move.target.workCenterId}</b> at <b>{fmt(move.target.start)}</b> {shopZone()}
      </p>
      {move.phase === 'dragging' && <p className="muted">Drop to check the move.</p>}
      {move.phase === 'checking' && <p role="status">Checking with the server…</p>}
      {move.phase === 'refused' && (
        <div className="verdict refused" role="alert">
          <p>
            <b>Refused:</b> {move.message}
          </p>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      )}
      {(move.phase === 'verdict' || move.phase === 'committing') && answer && (
        <div className="verdict ok">
          <p>
            <b>The move is possible.</b> {answer.consequences.retimed.length} other operation(s) are retimed;{' '}
            {newlyLate.length} job(s) become late.
          </p>
          {answer.consequences.lateJobs.length > 0 && (
            <ul className="late-list">
              {answer.consequences.lateJobs.slice(0, 10).map((j) => (
                <li key={j.jobNumber}>
                  {j.jobNumber}: late by {Math.round(j.lateByMinutes / 60)} h{j.wasLate ? ' (already late)' : ''}
                </li>
              ))}
            </ul>
          )}
          <div className="actions">
            <button type="button" className="primary" onClick={onConfirm} disabled={move.phase === 'committing'}>
              Confirm move
            </button>
            <button type="button" onClick={onCancel} disabled={move.phase === 'committing'}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {move.phase === 'committed' && (
        <div className="verdict committed" role="status">
          <p>Moved. {answer?.consequences.retimed.length ?? 0} other operation(s) were retimed.</p>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      )}
    </aside>
  );
}
