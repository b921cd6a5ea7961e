-- What-if scenarios: the open work re-planned under changes that are not (yet) real.
CREATE TABLE scenarios (
  id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name          VARCHAR(200) NOT NULL,
  status        VARCHAR(20) NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  changes       JSONB NOT NULL,
  base_plan_id  UUID REFERENCES plans(id) ON DELETE SET NULL,
  kpis          JSONB,
  result        JSONB,
  error         TEXT,
  created_by    VARCHAR(200),
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at   TIMESTAMPTZ
);
