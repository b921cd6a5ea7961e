/** Conflicts of the window (GET /conflicts), linked to the Gantt: choosing one selects its bars. */
import { useQuery } from '@tanstack/react-query';
import { client, ok } from '../../api/client';
import { ErrorBox, Loading } from '../../components/Status';

export function ConflictsList({ from, to, onShow }: { from: Date; to: Date; onShow: (slotIds: string[]) => void }) {
  const q = useQuery({
    queryKey: ['conflicts', from.toISOString(), to.toISOString()],
    queryFn: () =>
      ok(client.GET('/api/v1/conflicts', { params: { query: { from: from.toISOString(), to: to.toISOString() } } })),
    staleTime: 15_000,
  });
  return (
    <details className="conflicts">
      <summary>Conflicts {q.data ? `(${q.data.total})` : ''}</summary>
      {q.isPending && <Loading what="conflicts" />}
      {q.error && <ErrorBox error={q.error} />}
      {q.data?.total === 0 && <p className="muted">No conflicts in these four weeks.</p>}
      <ul>
        {q.data?.items.slice(0, 100).map((c, i) => (
          <li key={`${c.kind}-${i}`} className={`severity-${c.severity}`}>
            <button type="button" className="link" onClick={() => onShow(c.slotIds)} disabled={c.slotIds.length === 0}>
              {c.kind.replace(/_/g, ' ')}
              {c.workCenterId ? ` · ${c.workCenterId}` : ''}
            </button>
            <p>{c.explanation}</p>
          </li>
        ))}
      </ul>
    </details>
  );
}
