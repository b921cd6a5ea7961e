-- Sigmanest SimTrans integration (docs/nesting.md, ADR 0006).

-- TransIDs are 10 characters in SimTrans: 'K' + 7 hex digits here, + 2 base-36 digits per TransAct row.
CREATE SEQUENCE nesting_trans_seq;

-- Written in the same transaction as the Kerf change; drained by the sync worker.
CREATE TABLE nesting_outbox (
  id               BIGSERIAL PRIMARY KEY,
  kind             VARCHAR(30) NOT NULL,
  job_id           UUID REFERENCES jobs(id) ON DELETE SET NULL,
  payload          JSONB NOT NULL,
  trans_id         VARCHAR(8) NOT NULL UNIQUE
                   DEFAULT ('K' || lpad(to_hex(nextval('nesting_trans_seq')), 7, '0')),
  status           VARCHAR(12) NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'sent', 'failed', 'dead', 'discarded')),
  attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_error       TEXT,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  sent_at          TIMESTAMPTZ,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_nesting_outbox_due ON nesting_outbox(status, next_attempt_at, id);
CREATE INDEX idx_nesting_outbox_job ON nesting_outbox(job_id);

-- TransAct rows SimTrans flagged with ErrorTag, with the logged reason.
CREATE TABLE nesting_errors (
  id          BIGSERIAL PRIMARY KEY,
  outbox_id   BIGINT NOT NULL REFERENCES nesting_outbox(id) ON DELETE CASCADE,
  trans_id    VARCHAR(10) NOT NULL,
  trans_type  VARCHAR(10) NOT NULL,
  reason      TEXT NOT NULL,
  -- the TransAct row (AutoInc) the error was read from: reading it twice records it once
  source_row  BIGINT NOT NULL,
  at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (trans_id, source_row)
);
CREATE INDEX idx_nesting_errors_outbox ON nesting_errors(outbox_id);

-- Materials Kerf has already created in SigmaNEST (SN60 is sent once per material).
CREATE TABLE nesting_known_materials (
  material  VARCHAR(50) PRIMARY KEY,
  sent_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE nesting_sync_state (
  direction       VARCHAR(10) PRIMARY KEY CHECK (direction IN ('outbound', 'inbound')),
  last_sync_at    TIMESTAMPTZ,
  last_error      TEXT,
  last_error_at   TIMESTAMPTZ,
  -- while the link is down: when the worker tries again
  next_attempt_at TIMESTAMPTZ,
  -- one instance runs a cycle at a time (several Kerf replicas on one PostgreSQL)
  lease_owner     VARCHAR(200),
  lease_until     TIMESTAMPTZ
);
INSERT INTO nesting_sync_state (direction) VALUES ('outbound'), ('inbound');

-- One row per applied (or rejected) feedback packet: a packet is applied at most once.
CREATE TABLE nest_packets (
  packet_id   VARCHAR(60) PRIMARY KEY,
  source      VARCHAR(200) NOT NULL,
  status      VARCHAR(10) NOT NULL CHECK (status IN ('applied', 'rejected')),
  programs    INTEGER NOT NULL DEFAULT 0,
  reason      TEXT,
  at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE nest_rejections (
  id      BIGSERIAL PRIMARY KEY,
  source  VARCHAR(200) NOT NULL,
  reason  TEXT NOT NULL,
  at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A nest = one SigmaNEST program run (ProgramName, RepeatID) on one sheet.
CREATE TABLE nest_results (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  program_name     VARCHAR(100) NOT NULL,
  repeat_id        INTEGER NOT NULL,
  status           VARCHAR(10) NOT NULL CHECK (status IN ('posted', 'deleted')),
  sheet_name       VARCHAR(100),
  material         VARCHAR(50),
  thickness        NUMERIC(8,4),
  sheet_width      NUMERIC(10,3),
  sheet_length     NUMERIC(10,3),
  sheet_qty        INTEGER NOT NULL DEFAULT 1 CHECK (sheet_qty >= 0),
  utilization      NUMERIC(6,4),
  scrap_fraction   NUMERIC(6,4),
  cut_time_seconds NUMERIC(12,2),
  pierce_count     INTEGER,
  cut_length       NUMERIC(14,3),
  nc_file          TEXT,
  machine          VARCHAR(100),
  -- the materials row whose stock this nest consumed (given back on delete)
  stock_material_id UUID REFERENCES materials(id) ON DELETE SET NULL,
  packet_id        VARCHAR(60) NOT NULL,
  posted_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (program_name, repeat_id)
);

CREATE TABLE nest_parts (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  nest_id          UUID NOT NULL REFERENCES nest_results(id) ON DELETE CASCADE,
  job_id           UUID REFERENCES jobs(id) ON DELETE SET NULL,
  wo_number        VARCHAR(50) NOT NULL,
  part_name        VARCHAR(100) NOT NULL,
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  cut_time_seconds NUMERIC(12,2),
  cut_length       NUMERIC(14,3),
  pierce_count     INTEGER,
  part_length      NUMERIC(10,3),
  part_width       NUMERIC(10,3)
);
CREATE INDEX idx_nest_parts_nest ON nest_parts(nest_id);
CREATE INDEX idx_nest_parts_job ON nest_parts(job_id);

-- Laser work of a job becomes schedulable once its nests are posted: the real cut time and
-- the release time (when the NC programs exist) per job.
CREATE TABLE nest_job_times (
  job_id           UUID PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
  routing_id       UUID REFERENCES job_routings(id) ON DELETE SET NULL,
  cut_seconds      NUMERIC(12,2) NOT NULL,
  ready_at         TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
