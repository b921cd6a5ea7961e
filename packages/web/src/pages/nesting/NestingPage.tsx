/**
 * /nesting: the Sigmanest (SimTrans) sync. Last sync per direction, the connection, pending /
 * failed / dead outbox rows with SimTrans's reasons, retry and discard (machine:config), and
 * rejected feedback packets or files. API: docs/nesting.md.
 */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, client as api, ok } from '../../api/client';
import { useAuth } from '../../auth';
import { SaveStatus, useSave } from '../../components/Form';
import { Empty, ErrorBox, Loading } from '../../components/Status';
import { fmt } from '../../format';
import { Link } from '../../router';

const notThere = (err: unknown) => err instanceof ApiError && err.status === 404;
const retry = (n: number, err: unknown) => !notThere(err) && n < 2;
const STATUSES = ['failed', 'dead', 'pending', 'sent', 'discarded', ''] as const;

export function NestingPage() {
  const { can } = useAuth();
  const client = useQueryClient();
  const save = useSave();
  const [filter, setFilter] = useState<(typeof STATUSES)[number]>('failed');
  const status = useQuery({
    queryKey: ['nesting', 'status'],
    queryFn: () => ok(api.GET('/api/v1/nesting/status')),
    refetchInterval: 15_000,
    retry,
  });
  const outbox = useQuery({
    queryKey: ['nesting', 'outbox', filter],
    queryFn: () =>
      ok(
        api.GET('/api/v1/nesting/outbox', { params: { query: { ...(filter ? { status: filter } : {}), limit: 100 } } }),
      ),
    retry,
    enabled: status.data !== undefined,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ['nesting'] });
  const canAct = can('machine:config');

  if (status.isPending) return <Loading what="the Sigmanest sync" />;
  if (notThere(status.error))
    return (
      <div className="page">
        <h1>Sigmanest sync</h1>
        <Empty>No data: this server has no Sigmanest integration yet.</Empty>
      </div>
    );
  if (status.error || !status.data) return <ErrorBox error={status.error} />;
  const s = status.data;
  return (
    <div className="page nesting">
      <h1>Sigmanest sync</h1>
      <p>
        Mode <b>{s.mode}</b>
        {s.district !== null ? ` · district ${s.district}` : ''} · connection{' '}
        <b className={s.connection.up ? 'ok' : 'late'} data-testid="nesting-connection">
          {s.connection.up ? 'up' : 'down'}
        </b>
        {s.connection.lastError ? ` (${s.connection.lastError})` : ''}
        {s.connection.nextAttemptAt ? ` · next attempt ${fmt(s.connection.nextAttemptAt)}` : ''}
        {canAct && (
          <>
            {' '}
            <button
              type="button"
              disabled={save.busy}
              onClick={() =>
                void save.run(
                  async () => {
                    const r = await ok(api.POST('/api/v1/nesting/sync'));
                    if (r.error) throw new Error(`Sync failed: ${r.error}`);
                  },
                  'Synchronised.',
                  refresh,
                )
              }
            >
              Sync now
            </button>
          </>
        )}
      </p>
      <SaveStatus state={save} />
      <div className="sync-cards">
        <section aria-labelledby="out-title" className="card">
          <h2 id="out-title">Kerf → SimTrans</h2>
          <dl>
            <dt>Last sync</dt>
            <dd data-testid="outbound-last">{fmt(s.outbound.lastSyncAt)}</dd>
            <dt>Pending</dt>
            <dd>{s.outbound.pending}</dd>
            <dt>Sent</dt>
            <dd>{s.outbound.sent}</dd>
            <dt>Failed (retrying)</dt>
            <dd>{s.outbound.failed}</dd>
            <dt>Dead letters</dt>
            <dd>{s.outbound.dead}</dd>
            <dt>Discarded</dt>
            <dd>{s.outbound.discarded}</dd>
          </dl>
          {s.outbound.lastError && <p className="status error">{s.outbound.lastError}</p>}
        </section>
        <section aria-labelledby="in-title" className="card">
          <h2 id="in-title">SimTrans → Kerf</h2>
          <dl>
            <dt>Last sync</dt>
            <dd data-testid="inbound-last">{fmt(s.inbound.lastSyncAt)}</dd>
            <dt>Packets applied</dt>
            <dd>{s.inbound.packetsApplied}</dd>
            <dt>Packets rejected</dt>
            <dd>{s.inbound.packetsRejected}</dd>
            <dt>Last packet</dt>
            <dd>{s.inbound.lastPacketId ?? '—'}</dd>
          </dl>
          {s.inbound.lastError && <p className="status error">{s.inbound.lastError}</p>}
        </section>
      </div>

      <section aria-labelledby="outbox-title" data-testid="outbox-section">
        <h2 id="outbox-title">Outbox</h2>
        <label>
          Show{' '}
          <select value={filter} onChange={(e) => setFilter(e.target.value as (typeof STATUSES)[number])}>
            {STATUSES.map((x) => (
              <option key={x} value={x}>
                {x === 'dead' ? 'dead letters' : x || 'all'}
              </option>
            ))}
          </select>
        </label>
        {outbox.error ? (
          <ErrorBox error={outbox.error} />
        ) : !outbox.data ? (
          <Loading what="the outbox" />
        ) : outbox.data.items.length === 0 ? (
          <Empty>Nothing {filter || 'in the outbox'}.</Empty>
        ) : (
          <table data-testid="outbox">
            <thead>
              <tr>
                <th>#</th>
                <th>Change</th>
                <th>Job</th>
                <th>TransID</th>
                <th>Status</th>
                <th>Attempts</th>
                <th>Reason</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {outbox.data.items.map((o) => (
                <tr key={o.id} className={`outbox-${o.status}`}>
                  <td>{o.id}</td>
                  <td>
                    {o.kind}
                    <br />
                    <small>{fmt(o.createdAt)}</small>
                  </td>
                  <td>{o.jobId ? <Link to={`/jobs/${o.jobId}`}>{o.jobNumber ?? o.jobId}</Link> : '—'}</td>
                  <td>{o.transId}</td>
                  <td>
                    {o.status}
                    {o.status === 'failed' && o.nextAttemptAt ? <small> next {fmt(o.nextAttemptAt)}</small> : null}
                  </td>
                  <td>{o.attempts}</td>
                  <td>
                    {o.lastError ?? ''}
                    {o.errors.length > 0 && (
                      <ul className="reasons">
                        {o.errors.map((e) => (
                          <li key={`${e.transId}${e.at}`}>
                            {e.transType} {e.transId}: {e.reason}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="row-actions">
                    {canAct && (o.status === 'failed' || o.status === 'dead') && (
                      <button
                        type="button"
                        aria-label={`Retry outbox row ${o.id}`}
                        onClick={() =>
                          void save.run(
                            () => api.POST('/api/v1/nesting/outbox/{id}/retry', { params: { path: { id: o.id } } }),
                            `Row ${o.id} will be sent again.`,
                            refresh,
                          )
                        }
                      >
                        Retry
                      </button>
                    )}
                    {canAct && (o.status === 'failed' || o.status === 'dead' || o.status === 'pending') && (
                      <button
                        type="button"
                        aria-label={`Discard outbox row ${o.id}`}
                        onClick={() =>
                          void save.run(
                            () => api.POST('/api/v1/nesting/outbox/{id}/discard', { params: { path: { id: o.id } } }),
                            `Row ${o.id} discarded.`,
                            refresh,
                          )
                        }
                      >
                        Discard
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="rejected-title">
        <h2 id="rejected-title">Rejected feedback</h2>
        {s.recentRejections.length === 0 ? (
          <Empty>No feedback packet or file was rejected.</Empty>
        ) : (
          <ul>
            {s.recentRejections.map((r) => (
              <li key={r.id}>
                {fmt(r.at)} {r.source}: {r.reason}
              </li>
            ))}
          </ul>
        )}
      </section>
      <p className="muted">The nests carrying a job's parts are listed on the job's page.</p>
    </div>
  );
}
