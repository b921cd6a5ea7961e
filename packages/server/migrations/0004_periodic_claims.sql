-- Periodic work (nightly plan run, ...): the instance that claims a period runs it; others skip.
CREATE TABLE periodic_claims (
  job         VARCHAR(50) NOT NULL,
  period      VARCHAR(50) NOT NULL,
  claimed_by  VARCHAR(200) NOT NULL,
  claimed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (job, period)
);
