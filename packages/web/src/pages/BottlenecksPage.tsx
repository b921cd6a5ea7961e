/** /bottlenecks: work centers ranked by the server's analysis, load against capacity per day. */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { client, ok } from '../api/client';
import { LoadChart } from '../components/LoadChart';
import { LoadHeatmap } from '../components/LoadHeatmap';
import { shopZone } from '../format';
import { Empty, ErrorBox, Loading } from '../components/Status';

export function BottlenecksPage() {
  const q = useQuery({
    queryKey: ['bottlenecks'],
    queryFn: () => ok(client.GET('/api/v1/bottlenecks')),
    staleTime: 30_000,
  });
  const [chosen, setChosen] = useState<string | null>(null);
  if (q.isPending) return <Loading what="the bottleneck analysis" />;
  if (q.error) return <ErrorBox error={q.error} />;
  const wcs = q.data.workCenters;
  if (wcs.length === 0) return <Empty>No work centers to analyse.</Empty>;
  const current = wcs.find((w) => w.id === chosen) ?? wcs[0];
  const dark = document.documentElement.dataset.theme === 'dark';
  return (
    <div className="page">
      <h1>Bottlenecks</h1>
      <p className="muted">
        {q.data.from.slice(0, 10)} – {q.data.to.slice(0, 10)} (days in {shopZone()})
      </p>
      <section aria-labelledby="heat-title">
        <h2 id="heat-title">Utilisation per work center and day</h2>
        <LoadHeatmap centers={wcs} dark={dark} onChoose={setChosen} />
      </section>
      {current && (
        <section aria-labelledby="chart-title">
          <h2 id="chart-title">
            Load against capacity: {current.id} <small>{current.name}</small>
          </h2>
          <LoadChart days={current.days} dark={dark} title={`Planned load and capacity per day of ${current.id}`} />
          <p>{current.reason}</p>
        </section>
      )}
      <table>
        <caption>Work centers ranked (choose one to chart it)</caption>
        <thead>
          <tr>
            <th>Rank</th>
            <th>Work center</th>
            <th>Utilisation</th>
            <th>Peak day</th>
            <th>Late jobs on its critical path</th>
            <th>Bottleneck</th>
          </tr>
        </thead>
        <tbody>
          {wcs.map((w) => (
            <tr key={w.id} className={w.id === current?.id ? 'chosen' : undefined}>
              <td>{w.rank}</td>
              <td>
                <button type="button" className="link" onClick={() => setChosen(w.id)}>
                  {w.id}
                </button>{' '}
                <small>{w.name}</small>
              </td>
              <td>{w.utilisationPct === null ? '—' : `${w.utilisationPct} %`}</td>
              <td>{w.peakDay ? `${w.peakDay.key} (${w.peakDay.utilisationPct ?? '—'} %)` : '—'}</td>
              <td>{w.lateJobsCritical}</td>
              <td>{w.isBottleneck ? 'yes' : w.suggestBottleneck ? 'suggested' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
