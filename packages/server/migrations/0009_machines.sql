-- Machines and their data: registry, device credentials for the MQTT broker, raw history
-- (metrics and state intervals), current status and hourly rollups. See docs/machines.md.
--
-- One script for three storage layouts, chosen when it runs:
--   * PGlite (embedded): plain tables; raw history stays small there.
--   * PostgreSQL: raw tables partitioned by day (RANGE on time) with a DEFAULT partition so a
--     row is never refused; daily partitions are created ahead and dropped after retention by
--     the machines maintenance job (src/machines/history/partitions.ts), which also moves rows
--     out of the default partition.
--   * PostgreSQL with the timescaledb extension created: plain tables turned into hypertables
--     (1-day chunks); compression, retention and the continuous aggregate are set up by the
--     maintenance job because a continuous aggregate cannot be created inside a transaction.
--
-- Dedupe: a MachineEvent is identified by (machine, source, sequence). On disk the unique key is
-- (machine_id, metric, time, source, sequence): a unique index on a partitioned table must hold
-- the partition key, and a redelivered event carries the same metric and time, so this one index
-- both refuses duplicates (INSERT ... ON CONFLICT DO NOTHING) and serves range reads per metric.

CREATE TABLE machines (
  id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- MachineEvent.machineId: the work center code the machine reports under
  code            VARCHAR(50) NOT NULL UNIQUE,
  name            VARCHAR(200) NOT NULL,
  work_center_id  VARCHAR(50) REFERENCES work_centers(id) ON DELETE SET NULL,
  department_id   VARCHAR(50) NOT NULL REFERENCES departments(id),
  protocol        VARCHAR(20) NOT NULL CHECK (protocol IN ('mtconnect', 'opcua', 'mqtt', 'sparkplug')),
  -- protocol settings (agent URL, endpoint and node map, topic, Sparkplug group/edge node/device)
  connection      JSONB NOT NULL DEFAULT '{}'::jsonb,
  enabled         BOOLEAN NOT NULL DEFAULT TRUE,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_machines_department ON machines(department_id);
CREATE INDEX idx_machines_work_center ON machines(work_center_id);

-- Credentials of devices and gateways publishing to the embedded broker. A device may publish
-- and subscribe only under its allowed topic prefixes (e.g. 'shopfloor/weld/WELD-01/').
CREATE TABLE mqtt_devices (
  username        VARCHAR(100) PRIMARY KEY,
  -- scrypt hash, same format as user passwords (auth/password.ts)
  password_hash   TEXT NOT NULL,
  allowed_topics  TEXT[] NOT NULL DEFAULT '{}',
  machine_id      UUID REFERENCES machines(id) ON DELETE CASCADE,
  enabled         BOOLEAN NOT NULL DEFAULT TRUE,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The last known status per machine: survives restarts, and its row lock serialises state
-- transitions of one machine across Kerf instances.
CREATE TABLE machine_status (
  machine_id      UUID PRIMARY KEY REFERENCES machines(id) ON DELETE CASCADE,
  state           VARCHAR(10) NOT NULL CHECK (state IN ('running', 'idle', 'setup', 'alarm', 'offline', 'stopped')),
  since           TIMESTAMPTZ NOT NULL,
  part_count      BIGINT,
  program         TEXT,
  job_id          UUID,
  active_alarms   JSONB NOT NULL DEFAULT '[]'::jsonb,
  last_seen       TIMESTAMPTZ NOT NULL,
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Hourly rollup of numeric samples (and the last value of any kind), maintained by the ingest
-- batch in the same statement that stores the raw rows, so it counts each stored row once.
CREATE TABLE machine_metrics_hourly (
  machine_id      UUID NOT NULL,
  metric          VARCHAR(100) NOT NULL,
  bucket          TIMESTAMPTZ NOT NULL,
  samples         INTEGER NOT NULL,
  num_samples     INTEGER NOT NULL,
  sum_num         DOUBLE PRECISION,
  min_num         DOUBLE PRECISION,
  max_num         DOUBLE PRECISION,
  last_time       TIMESTAMPTZ NOT NULL,
  last_num        DOUBLE PRECISION,
  last_text       TEXT,
  PRIMARY KEY (machine_id, metric, bucket)
);
CREATE INDEX idx_machine_metrics_hourly_bucket ON machine_metrics_hourly(bucket);

DO $$
DECLARE
  layout TEXT;
  metrics_cols TEXT := '
    time           TIMESTAMPTZ NOT NULL,
    machine_id     UUID NOT NULL,
    department_id  VARCHAR(50) NOT NULL,
    kind           VARCHAR(6) NOT NULL CHECK (kind IN (''state'', ''count'', ''metric'', ''alarm'')),
    metric         VARCHAR(100) NOT NULL,
    value_num      DOUBLE PRECISION,
    value_text     TEXT,
    job_id         UUID,
    operator_id    UUID,
    source         VARCHAR(200) NOT NULL,
    sequence       BIGINT NOT NULL';
  states_cols TEXT := '
    machine_id     UUID NOT NULL,
    department_id  VARCHAR(50) NOT NULL,
    state          VARCHAR(10) NOT NULL CHECK (state IN (''running'', ''idle'', ''setup'', ''alarm'', ''offline'', ''stopped'')),
    started_at     TIMESTAMPTZ NOT NULL,
    ended_at       TIMESTAMPTZ,
    job_id         UUID,
    source         VARCHAR(200) NOT NULL,
    sequence       BIGINT NOT NULL';
BEGIN
  IF version() LIKE '%PGlite%' THEN
    layout := 'plain';
  ELSIF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    layout := 'timescaledb';
  ELSE
    layout := 'partitioned';
  END IF;

  IF layout = 'partitioned' THEN
    EXECUTE 'CREATE TABLE machine_metrics (' || metrics_cols || ') PARTITION BY RANGE (time)';
    EXECUTE 'CREATE TABLE machine_metrics_default PARTITION OF machine_metrics DEFAULT';
    EXECUTE 'CREATE TABLE machine_state_events (' || states_cols || ') PARTITION BY RANGE (started_at)';
    EXECUTE 'CREATE TABLE machine_state_events_default PARTITION OF machine_state_events DEFAULT';
  ELSE
    EXECUTE 'CREATE TABLE machine_metrics (' || metrics_cols || ')';
    EXECUTE 'CREATE TABLE machine_state_events (' || states_cols || ')';
  END IF;

  EXECUTE 'CREATE UNIQUE INDEX machine_metrics_dedupe ON machine_metrics (machine_id, metric, time, source, sequence)';
  EXECUTE 'CREATE UNIQUE INDEX machine_state_events_dedupe ON machine_state_events (machine_id, started_at, source, sequence)';
  EXECUTE 'CREATE INDEX idx_machine_state_events_open ON machine_state_events (machine_id) WHERE ended_at IS NULL';

  IF layout = 'partitioned' THEN
    -- Cheap time-range pruning inside a day partition; rows arrive in time order.
    EXECUTE 'CREATE INDEX idx_machine_metrics_time ON machine_metrics USING brin (time)';
  ELSIF layout = 'timescaledb' THEN
    EXECUTE 'SELECT create_hypertable(''machine_metrics'', ''time'', chunk_time_interval => interval ''1 day'')';
    EXECUTE 'SELECT create_hypertable(''machine_state_events'', ''started_at'', chunk_time_interval => interval ''1 day'')';
  ELSE
    EXECUTE 'CREATE INDEX idx_machine_metrics_time ON machine_metrics (time)';
  END IF;
END $$;

-- Which layout this database got, for the maintenance job and the docs' ops section.
CREATE TABLE machine_storage (
  id        BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (id),
  layout    VARCHAR(20) NOT NULL
);
INSERT INTO machine_storage (layout)
SELECT CASE
  WHEN version() LIKE '%PGlite%' THEN 'plain'
  WHEN EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN 'timescaledb'
  ELSE 'partitioned'
END;
