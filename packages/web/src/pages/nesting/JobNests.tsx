/** The nests carrying a job's parts (GET /jobs/{id}/nests), with NC file resolution on demand. */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError, client, ok } from '../../api/client';
import type { NcFile } from '../../api/models';
import { Empty, ErrorBox, Loading } from '../../components/Status';
import { fmt } from '../../format';

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)} %`);

export function JobNests({ jobId }: { jobId: string }) {
  const nests = useQuery({
    queryKey: ['job-nests', jobId],
    queryFn: () => ok(client.GET('/api/v1/jobs/{id}/nests', { params: { path: { id: jobId } } })),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 2,
  });
  const [nc, setNc] = useState<Record<string, NcFile | string>>({});
  if (nests.isPending) return <Loading what="nests" />;
  if (nests.error instanceof ApiError && nests.error.status === 404) return <Empty>No nest data on this server.</Empty>;
  if (nests.error) return <ErrorBox error={nests.error} />;
  if (nests.data.nests.length === 0) return <Empty>No nest carries this job's parts yet.</Empty>;
  const check = (id: string) =>
    ok(client.GET('/api/v1/nesting/nests/{id}/nc-file', { params: { path: { id } } })).then(
      (f) => setNc((m) => ({ ...m, [id]: f })),
      (err: unknown) => setNc((m) => ({ ...m, [id]: err instanceof Error ? err.message : String(err) })),
    );
  return (
    <table data-testid="job-nests">
      <thead>
        <tr>
          <th>Program</th>
          <th>Sheet</th>
          <th>Utilisation</th>
          <th>Cut time</th>
          <th>This job's parts</th>
          <th>Other jobs</th>
          <th>NC file</th>
        </tr>
      </thead>
      <tbody>
        {nests.data.nests.map((n) => {
          const f = nc[n.id];
          return (
            <tr key={n.id} className={n.status === 'deleted' ? 'muted' : ''}>
              <td>
                {n.programName}/{n.repeatId} {n.status === 'deleted' ? '(deleted)' : ''}
                <br />
                <small>
                  {n.machine ?? ''} {fmt(n.postedAt)}
                </small>
              </td>
              <td>
                {n.sheetName ?? `${n.material ?? ''} ${n.thickness ?? ''}`} × {n.sheetQty ?? 1}
              </td>
              <td>{pct(n.utilization)}</td>
              <td>{n.cutTimeSeconds === null ? '—' : `${(n.cutTimeSeconds / 60).toFixed(1)} min`}</td>
              <td>{n.jobParts.map((p) => `${p.partNumber} × ${p.quantity}`).join(', ')}</td>
              <td>{n.otherJobs.join(', ') || '—'}</td>
              <td>
                {n.ncFile ?? '—'}{' '}
                {n.ncFile && !f && (
                  <button
                    type="button"
                    onClick={() => void check(n.id)}
                    aria-label={`Find NC file of ${n.programName}`}
                  >
                    Find
                  </button>
                )}
                {typeof f === 'string' && <span className="late">{f}</span>}
                {f && typeof f !== 'string' && (
                  <span className={f.exists ? 'ok' : 'late'}>{f.exists ? f.path : f.reason}</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
