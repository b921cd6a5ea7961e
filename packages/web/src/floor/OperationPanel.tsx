/**
 * One operation at the machine: what it is (job, part, material, drawing or NC file, notes,
 * where the parts go next), how far it is, and the buttons for what may happen next. Every
 * button queues a transaction (offline first); the panel shows the result at once and the
 * server's answer when it comes.
 */
import { useEffect, useState } from 'react';
import { fmt } from '../format';
import { useCachedRead } from './cached-read';
import { good as beep } from './feedback';
import { operationOf, type FloorReason, type QueueItem } from './floor-api';
import { actions, withPending, type Action } from './op-state';
import type { NewTx, Queued } from './outbox';
import { QuantityDialog, type Counted } from './QuantityDialog';
import { ReasonGrid } from './ReasonGrid';
import { isSupervisor, operatorName, type Operator } from './session';

export function OperationPanel({
  item,
  operator,
  pending,
  reasons,
  lastSentAt,
  warning,
  onRecord,
  onReportIssue,
  onClose,
}: {
  item: QueueItem;
  operator: Operator;
  pending: readonly Queued[];
  reasons: readonly FloorReason[];
  lastSentAt: number | null;
  /** e.g. "this traveler was printed before the routing changed" */
  warning: string | null;
  onRecord: (tx: NewTx) => Promise<unknown>;
  onReportIssue: () => void;
  onClose: () => void;
}) {
  const view = useCachedRead(`op:${item.operationId}`, () => operationOf(item.operationId));
  const [dialog, setDialog] = useState<null | 'pause' | 'count' | 'finish'>(null);
  const [pauseReason, setPauseReason] = useState<string | undefined>();
  const { refresh } = view;
  useEffect(() => {
    if (lastSentAt) void refresh();
  }, [lastSentAt, refresh]);

  const server = view.data ?? { status: item.floorStatus, good: item.good, scrap: item.scrap, working: [] };
  const mine = pending.filter((t) => t.operationId === item.operationId);
  const s = withPending({ status: server.status, good: server.good, scrap: server.scrap }, mine);
  // On it: the server says so, or this tablet has queued a start/resume for me since.
  let onIt = server.working.some((w) => w.employeeId === operator.user.id);
  for (const t of mine.filter((x) => x.employee === operator.user.id)) {
    if (t.type === 'start' || t.type === 'resume') onIt = true;
    if (t.type === 'pause' || t.type === 'finish') onIt = false;
  }
  const supervisor = isSupervisor(operator);
  const left = Math.max(0, item.quantity - s.good);

  const record = async (type: NewTx['type'], extra: Partial<NewTx> = {}, label: string = type) => {
    await onRecord({
      type,
      operationId: item.operationId,
      employee: operator.user.id,
      employeeName: operatorName(operator),
      label: `${label} ${item.jobNumber} ${item.sequence} ${item.operationCode}`,
      ...extra,
    });
    beep();
  };

  const act = (a: Action) => {
    if (a === 'start' || a === 'join') {
      void record('start', !item.ready && supervisor ? { override: true } : {}, a);
    } else if (a === 'resume') void record('resume');
    else setDialog(a);
  };

  const counted = (type: 'count' | 'finish') => async (c: Counted) => {
    setDialog(null);
    await record(type, { good: c.good, scrap: c.scrap, ...(c.reason ? { reason: c.reason } : {}) });
  };

  const label: Record<Action, string> = {
    start: item.ready ? 'Start' : supervisor ? 'Start anyway (supervisor)' : 'Start',
    join: 'Join',
    pause: 'Pause',
    resume: 'Resume',
    count: 'Count parts',
    finish: 'Finish',
  };
  const blocked = (a: Action) => (a === 'start' || a === 'join') && !item.ready && !supervisor;

  return (
    <section className="fl-op" aria-label={`Operation ${item.jobNumber} ${item.sequence}`}>
      <header className="fl-op-head">
        <button className="fl-back" onClick={onClose} aria-label="Back to the queue">
          ←
        </button>
        <h2>
          {item.jobNumber} · {item.sequence} {item.operationCode}
        </h2>
        <span className={`fl-chip fl-chip-${s.status}`} data-testid="op-status">
          {s.status.replace('_', ' ')}
        </span>
      </header>
      {warning && (
        <p role="alert" className="fl-warning">
          {warning}
        </p>
      )}
      <dl className="fl-facts">
        <dt>Good</dt>
        <dd data-testid="op-good">{s.good}</dd>
        <dt>Scrap</dt>
        <dd data-testid="op-scrap">{s.scrap}</dd>
        <dt>Left</dt>
        <dd>
          {left} of {item.quantity}
        </dd>
        <dt>Customer</dt>
        <dd>{item.customer ?? '—'}</dd>
        <dt>Due</dt>
        <dd>
          {fmt(item.dueDate)} · P{item.priority}
        </dd>
        <dt>Planned</dt>
        <dd>
          {fmt(item.plannedStart)} – {fmt(item.plannedEnd)}
        </dd>
        {item.parts.map((p) => (
          <div key={p.partNumber} className="fl-part">
            <dt>Part</dt>
            <dd>
              {p.partNumber} rev {p.revision} · {p.quantity} pcs · {p.material} {p.thickness}
              {p.drawing && <span className="fl-drawing"> · drawing/NC {p.drawing}</span>}
            </dd>
          </div>
        ))}
        <dt>Next</dt>
        <dd>
          {item.next ? `${item.next.sequence} ${item.next.operationCode} at ${item.next.workCenter}` : 'last step'}
        </dd>
      </dl>
      {item.notes.length > 0 && (
        <ul className="fl-notes">
          {item.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {!item.ready && <p className="fl-wait">Not ready: waiting on {item.waitingOn.join(', ')}</p>}
      {mine.length > 0 && <p className="fl-hint">{mine.length} not yet sent to the server</p>}

      {dialog === null && (
        <div className="fl-actions">
          {actions(s.status, onIt).map((a) => (
            <button
              key={a}
              className={a === 'start' || a === 'resume' || a === 'join' ? 'fl-primary fl-go' : 'fl-primary'}
              disabled={blocked(a)}
              onClick={() => act(a)}
            >
              {label[a]}
            </button>
          ))}
          <button className="fl-secondary" onClick={onReportIssue}>
            Report a problem
          </button>
        </div>
      )}
      {dialog === 'pause' && (
        <div className="fl-dialog" role="dialog" aria-label="Why pause?">
          <h2>Why pause?</h2>
          <ReasonGrid
            reasons={reasons.filter((r) => r.kind === 'pause')}
            selected={pauseReason}
            onPick={setPauseReason}
          />
          <div className="fl-dialog-actions">
            <button className="fl-secondary" onClick={() => setDialog(null)}>
              Cancel
            </button>
            <button
              className="fl-primary"
              disabled={!pauseReason}
              onClick={() => {
                setDialog(null);
                void record('pause', { reason: pauseReason });
                setPauseReason(undefined);
              }}
            >
              Pause
            </button>
          </div>
        </div>
      )}
      {(dialog === 'count' || dialog === 'finish') && (
        <QuantityDialog
          title={dialog === 'finish' ? 'Finish: parts not yet booked' : 'Count parts'}
          confirm={dialog === 'finish' ? 'Finish' : 'Book'}
          initialGood={dialog === 'finish' ? left : 0}
          done={s.good + s.scrap}
          quantity={item.quantity}
          reasons={reasons}
          allowZero={dialog === 'finish'}
          onCancel={() => setDialog(null)}
          onConfirm={(c) => void counted(dialog)(c)}
        />
      )}
    </section>
  );
}
