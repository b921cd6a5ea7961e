/**
 * The replay loop: sends the offline queue in sequence order whenever there is a chance the
 * network is back (the `online` event, focus, a timer, each new transaction). Background Sync
 * is not relied on (Safari lacks it; it replays only after network failures). One tab at a
 * time sends (a Web Lock), pages of at most PAGE transactions; a page is removed from the
 * queue only after the server has answered for it, so a lost answer means a resend, which the
 * server answers `duplicate`.
 */
import { issueSent, pending, queuedIssues, settle, type Problem, type Queued, type QueuedIssue } from './outbox';

export const PAGE = 100;

export type Send = (batch: Queued[]) => Promise<Array<{ id: string; status: string; message: string; field?: string }>>;

export interface ReplayState {
  sending: boolean;
  /** when the last attempt failed, why (network, station refused...) */
  lastError: string | null;
  lastSentAt: number | null;
}

export class Replayer {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private retryAt = 0;
  private backoffMs = 1_000;
  state: ReplayState = { sending: false, lastError: null, lastSentAt: null };
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly send: Send,
    private readonly onProblems: (p: Problem[]) => void = () => undefined,
    /** sends one queued issue report; throws when it could not be delivered */
    private readonly sendIssue?: (issue: QueuedIssue) => Promise<void>,
  ) {}

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  start(): () => void {
    const kick = () => void this.kick(true);
    const onVisible = () => document.visibilityState === 'visible' && kick();
    window.addEventListener('online', kick);
    window.addEventListener('focus', kick);
    document.addEventListener('visibilitychange', onVisible);
    this.timer = setInterval(() => void this.kick(), 5_000);
    void this.kick(true);
    return () => {
      window.removeEventListener('online', kick);
      window.removeEventListener('focus', kick);
      document.removeEventListener('visibilitychange', onVisible);
      clearInterval(this.timer);
    };
  }

  /** Sends what is queued; `now` skips the back-off wait (a new transaction, the network back). */
  kick(now = false): Promise<void> {
    if (now) this.retryAt = 0;
    if (Date.now() < this.retryAt) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.withLock(() => this.drain()).finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.kick();
      }
    });
    return this.running;
  }

  private async withLock(work: () => Promise<void>): Promise<void> {
    if (typeof navigator !== 'undefined' && navigator.locks) {
      await navigator.locks.request('kerf-floor-replay', work);
    } else await work();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await pending(PAGE);
      if (batch.length === 0) return this.drainIssues();
      this.set({ sending: true });
      try {
        const results = await this.send(batch);
        const problems = await settle(batch, results);
        this.backoffMs = 1_000;
        this.set({ sending: false, lastError: null, lastSentAt: Date.now() });
        if (problems.length) this.onProblems(problems);
      } catch (err) {
        const status = (err as { status?: number }).status;
        if (status === 400 || status === 413) {
          // The server refused the page as a whole: each transaction in it becomes a problem the
          // operator sees (never dropped silently), and the queue behind it moves on.
          const message = err instanceof Error ? err.message : String(err);
          const problems = await settle(
            batch,
            batch.map((q) => ({ id: q.id, status: 'rejected', message })),
          );
          this.onProblems(problems);
          continue;
        }
        // Offline or the server down: try again later (sooner when the network comes back).
        this.retryAt = Date.now() + this.backoffMs;
        this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
        this.set({ sending: false, lastError: err instanceof Error ? err.message : String(err) });
        return;
      }
    }
  }

  /** Issue reports after the transactions (a report may name an operation started offline). */
  private async drainIssues(): Promise<void> {
    if (!this.sendIssue) return;
    for (const issue of await queuedIssues()) {
      try {
        await this.sendIssue(issue);
        await issueSent(issue.clientId);
      } catch (err) {
        this.retryAt = Date.now() + this.backoffMs;
        this.set({ lastError: err instanceof Error ? err.message : String(err) });
        return;
      }
    }
  }

  private set(patch: Partial<ReplayState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
