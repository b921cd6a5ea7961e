/** Draft against published: KPI deltas, moved jobs, Publish/Discard (schedule:approve only). */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { client as api, ok } from '../api/client';
import { useAuth } from '../auth';
import { ErrorBox, Loading } from '../components/Status';
import { fmt } from '../format';

const KPI_LABELS = {
  weightedTardiness: 'Weighted tardiness',
  lateJobs: 'Late jobs',
  makespanEnd: 'Makespan end',
  setupMinutes: 'Setup minutes',
} as const;
const DELTA_OF = {
  weightedTardiness: 'weightedTardiness',
  lateJobs: 'lateJobs',
  makespanEnd: 'makespanMinutes',
  setupMinutes: 'setupMinutes',
} as const;

export function PlanDiffView({ planId }: { planId: string }) {
  const { can } = useAuth();
  const client = useQueryClient();
  const plan = useQuery({
    queryKey: ['plan', planId],
    queryFn: () => ok(api.GET('/api/v1/plans/{id}', { params: { path: { id: planId } } })),
  });
  const diff = useQuery({
    queryKey: ['plan-diff', planId],
    queryFn: () => ok(api.GET('/api/v1/plans/{id}/diff', { params: { path: { id: planId } } })),
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const act = async (action: 'publish' | 'discard') => {
    if (!plan.data) return;
    setBusy(true);
    setError(null);
    try {
      const path = { params: { path: { id: planId } } };
      if (action === 'publish')
        await api.POST('/api/v1/plans/{id}/publish', { ...path, body: { version: plan.data.version } });
      else await api.POST('/api/v1/plans/{id}/discard', { ...path, body: {} });
      await client.invalidateQueries({ queryKey: ['plan', planId] });
      void client.invalidateQueries({ queryKey: ['schedule-slots'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (plan.isPending || diff.isPending) return <Loading what="the draft plan" />;
  if (plan.error || diff.error) return <ErrorBox error={plan.error ?? diff.error} />;
  const { kpis } = diff.data;
  const moved = diff.data.jobs.filter((j) => j.movedOperations > 0).slice(0, 25);
  return (
    <div className="plan-diff">
      <h3>
        Plan {planId.slice(0, 8)} — <span data-testid="plan-status">{plan.data.status}</span>
      </h3>
      <table className="kpis">
        <caption>Draft against the published plan</caption>
        <thead>
          <tr>
            <th>KPI</th>
            <th>Draft</th>
            <th>Published</th>
            <th>Change</th>
          </tr>
        </thead>
        <tbody>
          {(Object.keys(KPI_LABELS) as (keyof typeof KPI_LABELS)[]).map((key) => (
            <tr key={key}>
              <th scope="row">{KPI_LABELS[key]}</th>
              <td>{String(kpis.draft[key] ?? '—')}</td>
              <td>{kpis.published ? String(kpis.published[key] ?? '—') : 'none published'}</td>
              <td>{kpis.delta ? String(kpis.delta[DELTA_OF[key]] ?? '—') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {diff.data.movedJobs} job(s) moved: {diff.data.laterJobs} later, {diff.data.earlierJobs} earlier.
      </p>
      {moved.length > 0 && (
        <details>
          <summary>Moved jobs (first {moved.length})</summary>
          <ul>
            {moved.map((j) => (
              <li key={j.jobId}>
                {j.jobNumber}: ends {fmt(j.draftEnd)} (was {fmt(j.publishedEnd)}), due {fmt(j.dueDate)}
                {j.lateInDraft ? ' — late' : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
      {error !== null && <ErrorBox error={error} />}
      {can('schedule:approve') && plan.data.status === 'draft' && (
        <div className="actions">
          <button type="button" className="primary" disabled={busy} onClick={() => void act('publish')}>
            Publish plan
          </button>
          <button type="button" disabled={busy} onClick={() => void act('discard')}>
            Discard
          </button>
        </div>
      )}
    </div>
  );
}
