/** /queue: the dispatch list of a chosen work center, for operators at the machine. */
import { useState } from 'react';
import { useWorkCenters } from '../api/hooks';
import { ErrorBox, Loading } from '../components/Status';
import { QueueList } from './QueueList';

export function QueuePage() {
  const wcs = useWorkCenters();
  const [chosen, setChosen] = useState<string>(() => localStorage.getItem('kerf.queue.wc') ?? '');
  if (wcs.isPending) return <Loading what="work centers" />;
  if (wcs.error) return <ErrorBox error={wcs.error} />;
  const id = chosen || wcs.data[0]?.id || '';
  return (
    <div className="page">
      <h1>Queue</h1>
      <label htmlFor="queue-wc">Work center</label>{' '}
      <select
        id="queue-wc"
        value={id}
        onChange={(e) => {
          setChosen(e.target.value);
          localStorage.setItem('kerf.queue.wc', e.target.value);
        }}
      >
        {wcs.data.map((w) => (
          <option key={w.id} value={w.id}>
            {w.id} — {w.name}
          </option>
        ))}
      </select>
      {id && <QueueList workCenterId={id} max={50} />}
    </div>
  );
}
