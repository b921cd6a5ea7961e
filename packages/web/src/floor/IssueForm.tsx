/**
 * Reporting a problem from the machine: quality (with photos), downtime (the reason tree) or a
 * material shortage. The report is queued like a transaction (sent now when the network is
 * there, later otherwise) and supervisors are notified by the server.
 */
import { useState } from 'react';
import { bad, good } from './feedback';
import type { FloorReason } from './floor-api';
import { queueIssue, type QueuedIssue } from './outbox';
import { resizePhoto } from './photo-resize';
import { ReasonGrid } from './ReasonGrid';
import type { Operator } from './session';

const KINDS = [
  { kind: 'quality', label: 'Quality' },
  { kind: 'downtime', label: 'Machine down' },
  { kind: 'material', label: 'Material' },
] as const;

export function IssueForm({
  workCenterId,
  operationId,
  operator,
  reasons,
  onQueued,
  onCancel,
}: {
  workCenterId: string;
  operationId: string | null;
  operator: Operator;
  reasons: readonly FloorReason[];
  onQueued: () => void;
  onCancel: () => void;
}) {
  const [kind, setKind] = useState<QueuedIssue['kind']>(operationId ? 'quality' : 'downtime');
  const [reason, setReason] = useState<string | undefined>();
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<QueuedIssue['photos']>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needsOperation = kind === 'quality' && !operationId;

  const addPhotos = async (files: FileList | null) => {
    if (!files) return;
    setBusy(true);
    try {
      const added = await Promise.all([...files].slice(0, 4 - photos.length).map(resizePhoto));
      setPhotos((p) => [...p, ...added].slice(0, 4));
    } catch (err) {
      setError(`The photo could not be read: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (!reason) return;
    setBusy(true);
    try {
      await queueIssue({
        clientId: crypto.randomUUID(),
        kind,
        reason,
        workCenterId,
        ...(operationId ? { operationId } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
        employee: operator.user.id,
        at: new Date().toISOString(),
        photos,
      });
      good();
      onQueued();
    } catch (err) {
      bad();
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="fl-dialog fl-issue" role="dialog" aria-label="Report a problem">
      <h2>Report a problem at {workCenterId}</h2>
      <div className="fl-tabs" role="tablist">
        {KINDS.map((k) => (
          <button
            key={k.kind}
            role="tab"
            aria-selected={kind === k.kind}
            className={kind === k.kind ? 'fl-tab fl-tab-on' : 'fl-tab'}
            onClick={() => {
              setKind(k.kind);
              setReason(undefined);
            }}
          >
            {k.label}
          </button>
        ))}
      </div>
      {needsOperation && <p className="fl-error">Open the operation first: a quality problem belongs to one.</p>}
      <ReasonGrid reasons={reasons.filter((r) => r.kind === kind)} selected={reason} onPick={setReason} />
      <label className="fl-field">
        What happened (optional)
        <textarea value={note} maxLength={2000} rows={3} onChange={(e) => setNote(e.target.value)} />
      </label>
      <label className="fl-secondary fl-photo">
        Add a photo ({photos.length}/4)
        <input
          type="file"
          accept="image/*"
          capture="environment"
          multiple
          hidden
          disabled={photos.length >= 4}
          onChange={(e) => void addPhotos(e.target.files)}
        />
      </label>
      {error && (
        <p role="alert" className="fl-error">
          {error}
        </p>
      )}
      <div className="fl-dialog-actions">
        <button className="fl-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button className="fl-primary" disabled={busy || !reason || needsOperation} onClick={() => void submit()}>
          Send report
        </button>
      </div>
    </section>
  );
}
