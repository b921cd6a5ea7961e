/** Draft against published: KPI deltas, moved jobs, Publish/Discard (schedule:approve only). */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from '../api/client';
import type { Plan, PlanDiff } from '../api/types';
import { useAuth } from '../auth';
import { ErrorBox, Loading } from '../components/Status';
import { fmt } from '../format';

const KPI_LABELS: Record<string, string> = {
  weightedTardiness: 'Weighted tardiness',
  lateJobs: 'Late jobs',
  makespanEnd: 'Makespan end',
  setupMinutes: 'Setup minutes',
};

export function PlanDiffView({ planId }: { planId: string }) {
  const { can } = useAuth();
  const client = useQueryClient();
  const plan = useQuery({ queryKey: ['plan', planId], queryFn: () => get<Plan>(`/plans/${planId}`) });
  const diff = useQuery({ queryKey: ['plan-diff', planId], queryFn: () => get<PlanDiff>(`/plans/${planId}/diff`) });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const act = async (action: 'publish' | 'discard') => {
    if (!plan.data) return;
    setBusy(true);
    setError(null);
    try {
      await post(`/plans/${planId}/${action}`, action === 'publish' ? { version: plan.data.version } : {});
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
          {Object.entries(KPI_LABELS).map(([key, label]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td>{String(kpis.draft[key] ?? '—')}</td>
              <td>{kpis.published ? String(kpis.published[key] ?? '—') : 'none published'}</td>
              <td>{kpis.delta?.[key] !== undefined ? String(kpis.delta[key]) : '—'}</td>
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
