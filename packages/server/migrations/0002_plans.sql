-- Plans: a plan run produces a draft plan; publishing makes it the plan the floor follows.

CREATE TABLE plans (
  id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  status              VARCHAR(20) NOT NULL DEFAULT 'draft'
                      CHECK (status IN ('draft', 'published', 'superseded', 'discarded')),
  objective           VARCHAR(30) NOT NULL,
  time_zero           TIMESTAMPTZ NOT NULL,
  weighted_tardiness  NUMERIC(14,2) NOT NULL,
  late_jobs           INTEGER NOT NULL,
  makespan_end        TIMESTAMPTZ,
  setup_minutes       INTEGER NOT NULL,
  operations          INTEGER NOT NULL,
  valid               BOOLEAN NOT NULL,
  violations          JSONB NOT NULL DEFAULT '[]'::jsonb,
  created_by          VARCHAR(200),
  published_by        VARCHAR(200),
  published_at        TIMESTAMPTZ,
  version             INTEGER NOT NULL DEFAULT 1,
  created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- At most one published plan at a time.
CREATE UNIQUE INDEX idx_plans_one_published ON plans ((status)) WHERE status = 'published';

CREATE TABLE plan_slots (
  plan_id         UUID NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  routing_id      UUID NOT NULL REFERENCES job_routings(id) ON DELETE CASCADE,
  work_center_id  VARCHAR(50) NOT NULL REFERENCES work_centers(id),
  setup_start     TIMESTAMPTZ NOT NULL,
  planned_start   TIMESTAMPTZ NOT NULL,
  planned_end     TIMESTAMPTZ NOT NULL,
  is_fixed        BOOLEAN NOT NULL DEFAULT FALSE,
  PRIMARY KEY (plan_id, routing_id)
);
CREATE INDEX idx_plan_slots_wc ON plan_slots(plan_id, work_center_id, planned_start);

CREATE TABLE plan_runs (
  id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  status              VARCHAR(20) NOT NULL DEFAULT 'running'
                      CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
  trigger             VARCHAR(20) NOT NULL DEFAULT 'manual' CHECK (trigger IN ('manual', 'nightly')),
  objective           VARCHAR(30) NOT NULL,
  time_limit_seconds  INTEGER NOT NULL,
  horizon_days        INTEGER NOT NULL,
  frozen_minutes      INTEGER NOT NULL,
  plan_id             UUID REFERENCES plans(id) ON DELETE SET NULL,
  progress            JSONB NOT NULL DEFAULT '[]'::jsonb,
  stats               JSONB,
  error               TEXT,
  requested_by        VARCHAR(200),
  started_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at         TIMESTAMPTZ
);
CREATE INDEX idx_plan_runs_started ON plan_runs(started_at);
