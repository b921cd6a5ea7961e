import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Objective } from '@kerf/solver';
import type { Actor } from '../auth/actor.js';
import type { Db } from '../platform/db.js';
import { AppError, invalid, notFound } from '../platform/errors.js';
import type { EventBus } from '../platform/events.js';
import { INSTANCE_ID } from '../platform/instance.js';
import { plans, planRuns, type ProgressPoint } from './plan-tables.js';
import { admitPlanRun, DEFAULT_PLAN_RUN_LIMITS, type PlanRunLimits } from './plan-run-queue.js';
import { solvePlanRun, type LocalRun } from './plan-run-solve.js';

export interface PlanRunRequest {
  objective: Objective;
  timeLimitSeconds: number;
  horizonDays: number;
  frozenMinutes: number;
  seed?: number;
  trigger?: 'manual' | 'nightly';
}

export interface PlanRunServiceDeps {
  db: Db;
  events: EventBus;
  timeZone: string;
  /** shop-wide: counted over the plan_runs table, so they hold across instances */
  limits?: PlanRunLimits;
  /** this process in claimed_by (default INSTANCE_ID) */
  instanceId?: string;
  /** this process claims and solves runs (KERF_ROLES has `worker`); otherwise it only queues them */
  worker: boolean;
  /** the planning clock (t0 of a run); heartbeats use the database's clock */
  now?: () => number;
  /** how often a solving run heartbeats (and sees a cancel), and an idle worker polls; default 2 s */
  heartbeatMs?: number;
  /** a running run whose heartbeat is older than this has lost its instance; default 3 heartbeats */
  staleAfterMs?: number;
}

type Row = typeof planRuns.$inferSelect;
const ACTIVE = ['queued', 'running'];
const TERMINAL = new Set(['done', 'failed', 'cancelled']);
// Serialises admission and claims of all instances on one database (pg_advisory_xact_lock(int, int):
// this constant and the schema, so test schemas sharing a server do not wait on each other).
const PLAN_RUN_LOCK = 4242_0018;
const lockPlanRuns = sql`SELECT pg_advisory_xact_lock(${PLAN_RUN_LOCK}, hashtext(current_schema()))`;

/** A run's owner for the per-user limit: a user, an API key, or Kerf itself (nightly). */
const ownerOf = (actor: Actor) => `${actor.type}:${actor.id}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Plan runs as claimed job rows (ADR 0018). Any instance admits a run into plan_runs under a
 * shop-wide lock; a worker instance claims it, solves it in a worker thread while it heartbeats
 * the row, and finishes the row. A cancel from any instance is a column the owner sees within
 * a heartbeat; a run whose owner stopped heartbeating is recovered as failed.
 */
export class PlanRunService {
  private readonly db: Db;
  private readonly limits: PlanRunLimits;
  readonly instanceId: string;
  private readonly heartbeatMs: number;
  private readonly staleAfterMs: number;
  /** runs this process solves: their worker threads, so a cancel can stop them */
  private readonly local = new Map<string, LocalRun>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private tickAgain = false;
  private stopped = false;

  constructor(private readonly deps: PlanRunServiceDeps) {
    this.db = deps.db;
    this.limits = deps.limits ?? DEFAULT_PLAN_RUN_LIMITS;
    this.instanceId = deps.instanceId ?? INSTANCE_ID;
    this.heartbeatMs = deps.heartbeatMs ?? 2_000;
    this.staleAfterMs = deps.staleAfterMs ?? 3 * this.heartbeatMs;
  }

  /**
   * Admits a run and returns at once: `running` when this worker took it in the same
   * transaction (the shop had room), else `queued` with its place (429 beyond the queue or
   * the per-user limit, counted over every instance's runs).
   */
  async start(
    actor: Actor,
    req: PlanRunRequest,
  ): Promise<{ id: string; status: 'running' | 'queued'; queuePosition: number | null }> {
    const limits = this.limits;
    if (req.timeLimitSeconds > limits.maxSeconds) {
      throw invalid(
        'timeLimitSeconds',
        `${req.timeLimitSeconds} seconds asked; a plan run may take at most ${limits.maxSeconds} seconds (KERF_PLAN_RUN_MAX_SECONDS)`,
        'time_limit_too_long',
      );
    }
    const id = randomUUID();
    const owner = ownerOf(actor);
    const row = await this.db.transaction(async (tx) => {
      await tx.execute(lockPlanRuns);
      const active = await tx
        .select({ id: planRuns.id, status: planRuns.status, owner: planRuns.requestedByKey })
        .from(planRuns)
        .where(inArray(planRuns.status, ACTIVE));
      const room = admitPlanRun(active, owner, limits) === 'running';
      const run = room && this.deps.worker && !this.stopped;
      const [inserted] = await tx
        .insert(planRuns)
        .values({
          id,
          status: run ? 'running' : 'queued',
          objective: req.objective,
          timeLimitSeconds: req.timeLimitSeconds,
          horizonDays: req.horizonDays,
          frozenMinutes: req.frozenMinutes,
          seed: req.seed ?? null,
          trigger: req.trigger ?? 'manual',
          requestedBy: actor.name,
          requestedByKey: owner,
          queuedAt: sql`clock_timestamp()`,
          ...(run ? { claimedBy: this.instanceId, heartbeatAt: sql`now()` } : {}),
        })
        .returning();
      return inserted!;
    });
    if (row.status === 'running') this.solve(row);
    else this.kick();
    return {
      id,
      status: row.status as 'running' | 'queued',
      queuePosition: row.status === 'queued' ? await this.queuePosition(id) : null,
    };
  }

  /**
   * Cancels a run from any instance: a queued one is recorded cancelled before this returns;
   * a running one is asked to stop (its owner sees it within a heartbeat, stops the search and
   * stores what it has found; the run then ends cancelled).
   */
  async cancel(id: string): Promise<'cancelled' | 'cancelling'> {
    const outcome = await this.db.transaction(async (tx) => {
      const run = (await tx.select().from(planRuns).where(eq(planRuns.id, id)).for('update').limit(1))[0];
      if (!run) throw notFound('plan run', id);
      if (run.status === 'queued') {
        await tx
          .update(planRuns)
          .set({
            status: 'cancelled',
            error: 'cancelled while queued',
            cancelRequestedAt: sql`now()`,
            finishedAt: sql`now()`,
          })
          .where(eq(planRuns.id, id));
        return 'cancelled' as const;
      }
      if (run.status !== 'running') {
        throw new AppError('conflict', 'not_running', `plan run ${id} is ${run.status}, not queued or running`);
      }
      await tx
        .update(planRuns)
        .set({ cancelRequestedAt: sql`now()` })
        .where(eq(planRuns.id, id));
      return 'cancelling' as const;
    });
    if (outcome === 'cancelled') {
      this.deps.events.publish({ type: 'plan-run.finished', runId: id, status: 'cancelled', planId: null });
    } else {
      // Ours: no need to wait for the next heartbeat.
      this.local.get(id)?.cancel();
    }
    return outcome;
  }

  async get(id: string) {
    const run = (await this.db.select().from(planRuns).where(eq(planRuns.id, id)).limit(1))[0];
    if (!run) throw notFound('plan run', id);
    const plan = run.planId
      ? (await this.db.select().from(plans).where(eq(plans.id, run.planId)).limit(1))[0]
      : undefined;
    return {
      ...run,
      queuePosition: run.status === 'queued' ? await this.queuePosition(run.id) : null,
      valid: plan?.valid ?? null,
      violations: plan?.violations ?? [],
      objectiveValues: plan
        ? {
            weightedTardiness: plan.weightedTardiness,
            lateJobs: plan.lateJobs,
            makespanEnd: plan.makespanEnd,
            setupMinutes: plan.setupMinutes,
            utilizationPct: plan.utilizationPct,
            operations: plan.operations,
          }
        : null,
    };
  }

  async list(limit: number) {
    const rows = await this.db.select().from(planRuns).orderBy(desc(planRuns.startedAt)).limit(limit);
    const line = await this.queueLine();
    return rows.map((r) => ({ ...r, queuePosition: line.get(r.id) ?? null }));
  }

  /** Starts claiming runs (and recovering those of stopped instances) until stop(). */
  startWorker(): void {
    if (!this.deps.worker || this.timer || this.stopped) return;
    this.timer = setInterval(() => this.kick(), this.heartbeatMs);
    this.timer.unref();
    this.kick();
  }

  /**
   * Marks failed every running run whose owner stopped heartbeating (not the ones this process
   * solves). Failed, not re-queued: a run that took its process down (memory) would take the
   * next one down too (ADR 0018). Returns the recovered ids.
   */
  async recoverStale(): Promise<string[]> {
    const mine = [...this.local.keys()];
    const recovered = await this.db
      .update(planRuns)
      .set({
        status: 'failed',
        error: sql`'the Kerf instance running it (' || coalesce(claimed_by, 'unknown') || ') stopped: no heartbeat for '
          || floor(extract(epoch FROM now() - coalesce(heartbeat_at, started_at)))::int || ' s'`,
        finishedAt: sql`now()`,
      })
      .where(
        and(
          eq(planRuns.status, 'running'),
          sql`coalesce(heartbeat_at, started_at) < now() - make_interval(secs => ${this.staleAfterMs / 1000})`,
          mine.length ? notInArray(planRuns.id, mine) : undefined,
        ),
      )
      .returning({ id: planRuns.id });
    for (const { id } of recovered) {
      this.deps.events.publish({ type: 'plan-run.finished', runId: id, status: 'failed', planId: null });
    }
    return recovered.map((r) => r.id);
  }

  /** Resolves when the run has ended, whichever instance runs it (tests, the benchmark). */
  async waitFor(id: string): Promise<void> {
    for (;;) {
      await this.local.get(id)?.done;
      const row = (await this.db.select({ status: planRuns.status }).from(planRuns).where(eq(planRuns.id, id)))[0];
      if (!row || TERMINAL.has(row.status)) return;
      await sleep(50);
    }
  }

  /** Resolves when no run is queued or running anywhere and this process solves nothing. */
  async waitForAll(): Promise<void> {
    for (;;) {
      await Promise.all([...this.local.values()].map((r) => r.done));
      const active = await this.db
        .select({ id: planRuns.id })
        .from(planRuns)
        .where(inArray(planRuns.status, ACTIVE))
        .limit(1);
      if (active.length === 0 && this.local.size === 0) return;
      await sleep(50);
    }
  }

  /**
   * Stops claiming, cancels the runs this process solves and waits until they have stored
   * what they found. Queued runs stay queued for another worker.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    for (const run of this.local.values()) run.cancel();
    await this.ticking;
    while (this.local.size > 0) await Promise.all([...this.local.values()].map((r) => r.done));
  }

  /** Runs this process solves right now (tests). */
  localRunIds(): string[] {
    return [...this.local.keys()];
  }

  private kick(): void {
    if (!this.deps.worker || this.stopped) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = (async () => {
      do {
        this.tickAgain = false;
        try {
          await this.recoverStale();
          for (let row = await this.claim(); row; row = await this.claim()) this.solve(row);
        } catch (err) {
          // The next tick retries; a failing database must not take the process down.
          process.stderr.write(`plan runs: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      } while (this.tickAgain && !this.stopped);
    })().finally(() => (this.ticking = undefined));
  }

  /** Claims the oldest queued run if the shop has room for one more solving. */
  private async claim(): Promise<Row | undefined> {
    if (this.stopped) return undefined;
    return this.db.transaction(async (tx) => {
      await tx.execute(lockPlanRuns);
      const running = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(planRuns)
        .where(eq(planRuns.status, 'running'));
      if (running[0]!.n >= this.limits.maxConcurrent) return undefined;
      const next = await tx
        .select({ id: planRuns.id })
        .from(planRuns)
        .where(eq(planRuns.status, 'queued'))
        .orderBy(asc(planRuns.queuedAt), asc(planRuns.id))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!next[0]) return undefined;
      // started_at is when the run began solving, so a run's row shows its real duration.
      const [row] = await tx
        .update(planRuns)
        .set({ status: 'running', claimedBy: this.instanceId, heartbeatAt: sql`now()`, startedAt: sql`now()` })
        .where(eq(planRuns.id, next[0].id))
        .returning();
      return row;
    });
  }

  private solve(row: Row): void {
    const run = solvePlanRun(
      {
        db: this.db,
        events: this.deps.events,
        timeZone: this.deps.timeZone,
        instanceId: this.instanceId,
        heartbeatMs: this.heartbeatMs,
        now: this.deps.now ?? Date.now,
      },
      row,
    );
    this.local.set(row.id, run);
    void run.done.finally(() => {
      this.local.delete(row.id);
      // A slot is free: the next queued run starts now, not at the next poll.
      this.kick();
    });
  }

  private async queueLine(): Promise<Map<string, number>> {
    const queued = await this.db
      .select({ id: planRuns.id })
      .from(planRuns)
      .where(eq(planRuns.status, 'queued'))
      .orderBy(asc(planRuns.queuedAt), asc(planRuns.id));
    return new Map(queued.map((r, i) => [r.id, i + 1]));
  }

  private async queuePosition(id: string): Promise<number | null> {
    return (await this.queueLine()).get(id) ?? null;
  }
}

export type { ProgressPoint };
