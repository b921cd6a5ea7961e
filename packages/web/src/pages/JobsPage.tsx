/** /jobs and /jobs/:id: the job list, and a job's routing (with dependencies) and slots. */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { client, getAll, ok } from '../api/client';
import { useJobs } from '../api/hooks';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { fmt } from '../format';
import { Link } from '../router';
import { JobNests } from './nesting/JobNests';

export function JobsPage() {
  const jobs = useJobs();
  const [q, setQ] = useState('');
  if (jobs.isPending) return <Loading what="jobs" />;
  if (jobs.error) return <ErrorBox error={jobs.error} />;
  const needle = q.trim().toLowerCase();
  const shown = jobs.data
    .filter((j) => !needle || `${j.jobNumber} ${j.product} ${j.status}`.toLowerCase().includes(needle))
    .slice(0, 200);
  return (
    <div className="page">
      <h1>Jobs</h1>
      <label htmlFor="job-search">Search</label>{' '}
      <input
        id="job-search"
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="job number, product, status"
      />
      <p className="muted">
        {shown.length} of {jobs.data.length} shown
      </p>
      {shown.length === 0 ? (
        <Empty>No job matches.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Job</th>
              <th>Product</th>
              <th>Qty</th>
              <th>Due</th>
              <th>Priority</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((j) => (
              <tr key={j.id}>
                <td>
                  <Link to={`/jobs/${j.id}`}>{j.jobNumber}</Link>
                </td>
                <td>{j.product}</td>
                <td>{j.quantity}</td>
                <td>{fmt(j.dueDate)}</td>
                <td>{j.priority}</td>
                <td>{j.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function JobDetailPage({ id }: { id: string }) {
  const job = useQuery({
    queryKey: ['job', id],
    queryFn: () => ok(client.GET('/api/v1/jobs/{id}', { params: { path: { id } } })),
  });
  const slots = useQuery({
    queryKey: ['schedule-slots', 'job', id],
    queryFn: () =>
      getAll((page) => client.GET('/api/v1/schedule-slots', { params: { query: { jobId: id, ...page } } })),
  });
  if (job.isPending) return <Loading what="the job" />;
  if (job.error) return <ErrorBox error={job.error} />;
  const j = job.data;
  const slotOf = new Map((slots.data ?? []).map((s) => [s.routingId, s]));
  return (
    <div className="page">
      <p>
        <Link to="/jobs">← Jobs</Link>
      </p>
      <h1>
        {j.jobNumber} <small>{j.status}</small>
      </h1>
      <p>
        {j.product} · quantity {j.quantity} · due {fmt(j.dueDate)} · priority {j.priority}
      </p>
      <h2>Routing</h2>
      {slots.error && <ErrorBox error={slots.error} />}
      {j.routings.length === 0 ? (
        <Empty>This job has no routing steps.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Step</th>
              <th>Operation</th>
              <th>Work center type</th>
              <th>Minutes</th>
              <th>After steps</th>
              <th>Scheduled</th>
            </tr>
          </thead>
          <tbody>
            {[...j.routings]
              .sort((a, b) => a.sequence - b.sequence)
              .map((r) => {
                const s = slotOf.get(r.id);
                const deps = r.dependsOn;
                return (
                  <tr key={r.id}>
                    <td>{r.sequence}</td>
                    <td>{r.operationCode}</td>
                    <td>{r.workCenterType}</td>
                    <td>{Math.round(r.totalMinutes)}</td>
                    <td>{deps.length ? deps.join(', ') : '—'}</td>
                    <td>
                      {s
                        ? `${s.workCenterId} ${fmt(s.plannedStart)} → ${fmt(s.plannedEnd)} (${s.status})`
                        : 'not scheduled'}
                    </td>
                  </tr>
                );
              })}
          </tbody>
        </table>
      )}
      <h2>Nests</h2>
      <JobNests jobId={j.id} />
    </div>
  );
}
