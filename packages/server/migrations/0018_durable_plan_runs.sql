-- Plan runs are claimed job rows (ADR 0018): any instance queues, a worker claims a row,
-- heartbeats while it solves and finishes it; any instance may ask for a cancel. A run whose
-- owner stopped heartbeating is recovered as failed.
ALTER TABLE plan_runs ADD COLUMN claimed_by VARCHAR(200);
ALTER TABLE plan_runs ADD COLUMN heartbeat_at TIMESTAMPTZ;
ALTER TABLE plan_runs ADD COLUMN cancel_requested_at TIMESTAMPTZ;
-- When the run entered the queue (clock_timestamp() under the admission lock, so queue order
-- is admission order); started_at stays the moment it began solving.
ALTER TABLE plan_runs ADD COLUMN queued_at TIMESTAMPTZ NOT NULL DEFAULT now();
-- Who the per-user limit counts it against: 'user:<id>', 'api_key:<id>', 'system:<id>'.
ALTER TABLE plan_runs ADD COLUMN requested_by_key VARCHAR(250);
-- The solver's seed travels with the row: the worker that claims it may be another instance.
ALTER TABLE plan_runs ADD COLUMN seed INTEGER;

-- Runs left running or queued by an instance before this migration have no owner that
-- heartbeats: they ended when that process stopped.
UPDATE plan_runs
   SET status = 'failed', error = 'the Kerf instance running it stopped (upgrade to durable plan runs)',
       finished_at = now()
 WHERE status IN ('queued', 'running');

-- The worker claims the oldest queued run; admission and recovery read the active ones.
CREATE INDEX plan_runs_queue_idx ON plan_runs (queued_at, id) WHERE status = 'queued';
CREATE INDEX plan_runs_running_idx ON plan_runs (heartbeat_at) WHERE status = 'running';
