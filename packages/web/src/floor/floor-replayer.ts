/**
 * The app's one replay loop (replay.ts) wired to the API: transaction pages and queued problem
 * reports go with the station's token; refused answers become a message on screen.
 */
import { bad } from './feedback';
import * as api from './floor-api';
import type { QueuedIssue } from './outbox';
import { Replayer } from './replay';
import { loadStation } from './session';

async function sendIssue(issue: QueuedIssue): Promise<void> {
  const station = loadStation();
  if (!station) throw new Error('this tablet has no station token');
  const res = await fetch('/api/v1/floor/issues', {
    method: 'POST',
    headers: { authorization: `Bearer ${station.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(issue),
  });
  // A refusal (4xx) will not get better by sending it again: it is dropped with a message;
  // a server or network failure is retried.
  if (res.status >= 500) throw new Error(`the server answered ${res.status}`);
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { message?: string };
    window.dispatchEvent(
      new CustomEvent('kerf-floor-message', { detail: `Report refused: ${body.message ?? res.status}` }),
    );
  }
}

export const replayer = new Replayer(
  (batch) => api.sendTransactions(batch, loadStation()),
  (problems) => {
    bad();
    window.dispatchEvent(
      new CustomEvent('kerf-floor-message', {
        detail: `${problems.length} not applied: ${problems[0]?.message ?? ''} (see Sync)`,
      }),
    );
  },
  sendIssue,
);
