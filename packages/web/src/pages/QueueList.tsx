/** The dispatch queue of one work center (GET /work-centers/{id}/queue). */
import { useQuery } from '@tanstack/react-query';
import { client, ok } from '../api/client';
import { Empty, ErrorBox, Loading } from '../components/Status';
import { fmt } from '../format';

export function QueueList({ workCenterId, max = 5 }: { workCenterId: string; max?: number }) {
  const q = useQuery({
    queryKey: ['queue', workCenterId],
    queryFn: () => ok(client.GET('/api/v1/work-centers/{id}/queue', { params: { path: { id: workCenterId } } })),
    staleTime: 15_000,
  });
  if (q.isPending) return <Loading what="the queue" />;
  if (q.error) return <ErrorBox error={q.error} />;
  if (q.data.items.length === 0) return <Empty>{q.data.message ?? 'Nothing queued.'}</Empty>;
  return (
    <ol className="queue">
      {q.data.items.slice(0, max).map((i) => (
        <li key={i.slotId} className={i.slackMinutes < 0 ? 'late' : undefined}>
          <b>{i.jobNumber}</b> {i.operationCode} · {Math.round(i.processingMinutes)} min · starts {fmt(i.plannedStart)}{' '}
          · due {fmt(i.dueDate)}
          {i.running ? ' · running' : ''}
          {i.slackMinutes < 0 ? ' · late' : ''}
        </li>
      ))}
      {q.data.total > max && <li className="muted">…and {q.data.total - max} more</li>}
    </ol>
  );
}
