/**
 * What a supervisor signed in on a tablet sees besides the queue: the open problem reports
 * of the floor (live: a new report arrives over the WebSocket) and every tablet's transactions
 * the server refused or found in conflict.
 */
import { useEffect } from 'react';
import { ok } from '../api/client';
import type { components } from '../api/schema';
import { fmt } from '../format';
import { useCachedRead } from './cached-read';
import { floorProblems } from './floor-api';
import { operatorApi } from './session';

type Issue = components['schemas']['FloorIssue'];

const openIssues = (): Promise<Issue[]> =>
  ok(operatorApi.GET('/api/v1/floor/issues', { params: { query: { status: 'open' } } })).then((r) => r.items);

export function SupervisorPanel({ liveTick }: { liveTick: number }) {
  const issues = useCachedRead('supervisor:issues', openIssues);
  const problems = useCachedRead('supervisor:problems', floorProblems);
  const refreshIssues = issues.refresh;
  const refreshProblems = problems.refresh;
  useEffect(() => {
    if (liveTick > 0) {
      void refreshIssues();
      void refreshProblems();
    }
  }, [liveTick, refreshIssues, refreshProblems]);

  return (
    <section className="fl-supervisor" aria-label="Supervisor">
      <h2>Open problem reports</h2>
      {issues.error && <p className="fl-error">{issues.error}</p>}
      <ul className="fl-issues">
        {(issues.data ?? []).map((i) => (
          <li key={i.id} data-testid="supervisor-issue" className={`fl-issue-${i.kind}`}>
            <strong>{i.reason.label}</strong> at {i.workCenterId}
            {i.operation && ` (${i.operation.jobNumber} ${i.operation.sequence} ${i.operation.operationCode})`} ·{' '}
            {fmt(i.reportedAt)} · {i.reportedBy.name}
            {i.note && <span> — {i.note}</span>}
            {i.photos.length > 0 && <span> · {i.photos.length} photo(s)</span>}
          </li>
        ))}
        {issues.data?.length === 0 && <li>None open.</li>}
      </ul>
      <h2>Refused on tablets (48 h)</h2>
      <ul className="fl-problems">
        {(problems.data ?? []).slice(0, 50).map((p) => (
          <li key={p.id} className={`fl-problem fl-${p.status}`}>
            <strong>{p.status}</strong> {p.type} · {fmt(p.receivedAt)}: {p.message}
          </li>
        ))}
        {problems.data?.length === 0 && <li>None.</li>}
      </ul>
    </section>
  );
}
