-- Domain events outbox (ADR 0015): a command writes its change, its audit row and its event in
-- one transaction; the drainer delivers rows with published_at NULL in id order and marks them.
CREATE TABLE domain_events (
  id BIGSERIAL PRIMARY KEY,
  type VARCHAR(100) NOT NULL,
  payload JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  published_at TIMESTAMPTZ
);

-- What the drainer looks for: small, since delivered rows leave it at once.
CREATE INDEX domain_events_pending ON domain_events (id) WHERE published_at IS NULL;
-- Retention deletes delivered rows by age.
CREATE INDEX domain_events_published_at ON domain_events (published_at) WHERE published_at IS NOT NULL;
