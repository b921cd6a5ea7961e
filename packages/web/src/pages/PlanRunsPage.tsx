/** /plan-runs: start a run, follow it live over the WebSocket, review the draft, publish or discard. */
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { client, ok } from '../api/client';
import type { ProgressPoint } from '../api/models';
import { useEvents } from '../api/ws';
import { Sparkline } from '../components/Sparkline';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { fmt } from '../format';
import { PlanDiffView } from './PlanDiffView';

const OBJECTIVES = ['weighted_tardiness', 'makespan', 'lexicographic'] as const;

export function PlanRunsPage() {
  const [seconds, setSeconds] = useState(10);
  const [objective, setObjective] = useState<(typeof OBJECTIVES)[number]>('weighted_tardiness');
  const [runId, setRunId] = useState<string | null>(null);
  const [live, setLive] = useState<ProgressPoint[]>([]);
  const [startError, setStartError] = useState<unknown>(null);

  const run = useQuery({
    queryKey: ['plan-run', runId],
    queryFn: () => ok(client.GET('/api/v1/plan-runs/{id}', { params: { path: { id: runId ?? '' } } })),
    enabled: runId !== null,
    refetchInterval: (q) => (q.state.data && !['queued', 'running'].includes(q.state.data.status) ? false : 2000),
  });
  const recent = useQuery({
    queryKey: ['plan-runs'],
    queryFn: () => ok(client.GET('/api/v1/plan-runs', { params: { query: { limit: 10 } } })),
  });

  useEvents(['plan-runs'], (e) => {
    if (e.type === 'plan-run.progress' && e.runId === runId)
      setLive((l) => [...l, { elapsedMs: e.elapsedMs, bestObjective: e.bestObjective }]);
    if (e.type === 'plan-run.finished' && e.runId === runId) {
      void run.refetch();
      void recent.refetch();
    }
  });

  const start = async (e: FormEvent) => {
    e.preventDefault();
    setStartError(null);
    try {
      const answer = await ok(client.POST('/api/v1/plan-runs', { body: { timeLimitSeconds: seconds, objective } }));
      setLive([]);
      setRunId(answer.id);
    } catch (err) {
      setStartError(err);
    }
  };

  const points = live.length > 0 ? live : (run.data?.progress ?? []);
  const status = run.data?.status ?? (runId ? 'queued' : null);
  const best = points[points.length - 1]?.bestObjective;

  return (
    <div className="page plan-runs">
      <h1>Plan runs</h1>
      <form className="inline-form" onSubmit={(e) => void start(e)} aria-label="Start a plan run">
        <label htmlFor="time-limit">Time limit (seconds)</label>
        <input
          id="time-limit"
          type="number"
          min={1}
          max={3600}
          value={seconds}
          onChange={(e) => setSeconds(Number(e.target.value))}
        />
        <label htmlFor="objective">Objective</label>
        <select
          id="objective"
          value={objective}
          onChange={(e) => setObjective(e.target.value as (typeof OBJECTIVES)[number])}
        >
          {OBJECTIVES.map((o) => (
            <option key={o} value={o}>
              {o.replace('_', ' ')}
            </option>
          ))}
        </select>
        <button type="submit" className="primary" disabled={status === 'running' || status === 'queued'}>
          Start plan run
        </button>
      </form>
      {startError !== null && <ErrorBox error={startError} />}
      {runId && (
        <section className="run" aria-label="Current run" aria-live="polite">
          <h2>
            Run <span data-testid="run-status">{status}</span>
            {status === 'queued' && run.data?.queuePosition ? (
              // Runs wait while the shop's concurrent runs are taken (KERF_PLAN_RUNS_MAX_CONCURRENT).
              <small data-testid="queue-position"> — #{run.data.queuePosition} in the queue</small>
            ) : null}
          </h2>
          {run.data?.error && <ErrorBox error={new Error(run.data.error)} />}
          <p>
            {points.length} improvement(s){best !== undefined ? `, best objective ${best}` : ''}
          </p>
          <Sparkline points={points} />
          <ol className="progress-list">
            {points.slice(-8).map((p) => (
              <li key={p.elapsedMs}>
                {(p.elapsedMs / 1000).toFixed(1)} s: {p.bestObjective}
              </li>
            ))}
          </ol>
          {run.data?.planId && run.data.status === 'done' && <PlanDiffView planId={run.data.planId} />}
        </section>
      )}
      <section aria-label="Recent runs">
        <h2>Recent runs</h2>
        {recent.isPending && <Loading what="runs" />}
        {recent.error && <ErrorBox error={recent.error} />}
        {recent.data?.items.length === 0 && <Empty>No plan runs yet.</Empty>}
        {recent.data && recent.data.items.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>Started</th>
                <th>Status</th>
                <th>Objective</th>
                <th>Finished</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {recent.data.items.map((r) => (
                <tr key={r.id}>
                  <td>{fmt(r.startedAt)}</td>
                  <td>{r.status === 'queued' && r.queuePosition ? `queued (#${r.queuePosition})` : r.status}</td>
                  <td>{r.objective}</td>
                  <td>{r.finishedAt ? fmt(r.finishedAt) : '—'}</td>
                  <td>
                    <button type="button" onClick={() => (setLive([]), setRunId(r.id))}>
                      Open
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
