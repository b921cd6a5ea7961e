-- Job status transitions (ADR 0014): an on_hold job remembers the status it was held from, so
-- it resumes there without a new release, and a held planned job cannot come back released.
ALTER TABLE jobs ADD COLUMN held_from VARCHAR(20)
  CHECK (held_from IN ('planned', 'released', 'in_progress'));

-- Plan runs wait in a bounded queue when the shop's concurrent-run limit is reached.
ALTER TABLE plan_runs DROP CONSTRAINT plan_runs_status_check;
ALTER TABLE plan_runs ADD CONSTRAINT plan_runs_status_check
  CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled'));
