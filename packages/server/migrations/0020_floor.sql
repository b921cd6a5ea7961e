-- Shop-floor execution (issue 13, ADR 0022). Credentials for shared tablets belong to auth:
-- stations (a device token per tablet), operator badges and PINs, and the history of who was
-- signed in on which station when (offline work is accepted only inside such a window).
CREATE TABLE floor_stations (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(100) NOT NULL,
  work_center_ids JSONB NOT NULL,
  token_prefix VARCHAR(16) NOT NULL,
  token_hash CHAR(64) NOT NULL UNIQUE,
  created_by UUID,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  revoked_at TIMESTAMPTZ,
  last_seen_at TIMESTAMPTZ
);

CREATE TABLE operator_credentials (
  user_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  badge VARCHAR(48) UNIQUE,
  pin_hash TEXT,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE station_sign_ins (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id UUID NOT NULL REFERENCES floor_stations(id) ON DELETE CASCADE,
  user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  session_hash CHAR(64) NOT NULL,
  signed_in_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL,
  signed_out_at TIMESTAMPTZ
);
CREATE INDEX station_sign_ins_lookup ON station_sign_ins (station_id, user_id, signed_in_at);

-- The floor module: every transaction received (the idempotency ledger and its outcome),
-- the progress of each operation (routing step), labor segments and attendance.
CREATE TABLE floor_reasons (
  code VARCHAR(50) PRIMARY KEY,
  kind VARCHAR(20) NOT NULL CHECK (kind IN ('pause', 'scrap', 'overrun', 'downtime', 'quality', 'material')),
  label VARCHAR(200) NOT NULL,
  parent_code VARCHAR(50) REFERENCES floor_reasons(code),
  is_active BOOLEAN NOT NULL DEFAULT true
);

INSERT INTO floor_reasons (code, kind, label, parent_code) VALUES
  ('BREAK', 'pause', 'Break', NULL),
  ('SHIFT_END', 'pause', 'End of shift', NULL),
  ('WAIT_MATERIAL', 'pause', 'Waiting for material', NULL),
  ('WAIT_CRANE', 'pause', 'Waiting for crane or forklift', NULL),
  ('WAIT_INSPECTION', 'pause', 'Waiting for inspection', NULL),
  ('OTHER_JOB', 'pause', 'Called to another job', NULL),
  ('SCRAP_SETUP', 'scrap', 'Setup piece', NULL),
  ('SCRAP_DIM', 'scrap', 'Out of tolerance', NULL),
  ('SCRAP_SURFACE', 'scrap', 'Scratch or dent', NULL),
  ('SCRAP_WELD', 'scrap', 'Weld defect', NULL),
  ('SCRAP_MATERIAL', 'scrap', 'Bad material', NULL),
  ('OVERRUN_SPARES', 'overrun', 'Spares made on purpose', NULL),
  ('OVERRUN_NEST', 'overrun', 'Extra parts on the nest', NULL),
  ('DOWN_MECH', 'downtime', 'Mechanical', NULL),
  ('DOWN_MECH_HYDRAULIC', 'downtime', 'Hydraulics', 'DOWN_MECH'),
  ('DOWN_MECH_TOOLING', 'downtime', 'Tooling broken', 'DOWN_MECH'),
  ('DOWN_ELEC', 'downtime', 'Electrical or control', NULL),
  ('DOWN_LASER_SOURCE', 'downtime', 'Laser source or optics', 'DOWN_ELEC'),
  ('DOWN_GAS', 'downtime', 'Assist gas', NULL),
  ('DOWN_PROGRAM', 'downtime', 'NC program problem', NULL),
  ('QUALITY_DRAWING', 'quality', 'Drawing unclear or wrong', NULL),
  ('QUALITY_PART', 'quality', 'Part does not match drawing', NULL),
  ('MATERIAL_SHORT', 'material', 'Material short', NULL),
  ('MATERIAL_WRONG', 'material', 'Wrong material or gauge', NULL);

CREATE TABLE floor_transactions (
  id UUID PRIMARY KEY,
  device_id VARCHAR(100) NOT NULL,
  seq INTEGER NOT NULL,
  type VARCHAR(20) NOT NULL,
  operation_id UUID,
  employee_id UUID,
  station_id UUID,
  sent_by VARCHAR(100) NOT NULL,
  client_at TIMESTAMPTZ,
  at TIMESTAMPTZ,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  good INTEGER,
  scrap INTEGER,
  reason VARCHAR(50),
  status VARCHAR(12) NOT NULL CHECK (status IN ('applied', 'rejected', 'conflict')),
  message TEXT,
  field VARCHAR(50)
);
CREATE INDEX floor_transactions_device ON floor_transactions (device_id, seq);
CREATE INDEX floor_transactions_operation ON floor_transactions (operation_id, at) WHERE status = 'applied';

CREATE TABLE floor_operations (
  routing_id UUID PRIMARY KEY,
  status VARCHAR(12) NOT NULL CHECK (status IN ('running', 'paused', 'finished')),
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ,
  good INTEGER NOT NULL DEFAULT 0 CHECK (good >= 0),
  scrap INTEGER NOT NULL DEFAULT 0 CHECK (scrap >= 0),
  pause_reason VARCHAR(50),
  overrun_reason VARCHAR(50),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE floor_labor (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  routing_id UUID NOT NULL,
  employee_id UUID NOT NULL,
  station_id UUID,
  started_at TIMESTAMPTZ NOT NULL,
  ended_at TIMESTAMPTZ,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX floor_labor_open ON floor_labor (employee_id) WHERE ended_at IS NULL;
CREATE INDEX floor_labor_routing ON floor_labor (routing_id);

CREATE TABLE floor_attendance (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  employee_id UUID NOT NULL,
  clock_in TIMESTAMPTZ NOT NULL,
  clock_out TIMESTAMPTZ,
  auto_closed BOOLEAN NOT NULL DEFAULT false,
  CHECK (clock_out IS NULL OR clock_out >= clock_in)
);
CREATE UNIQUE INDEX floor_attendance_one_open ON floor_attendance (employee_id) WHERE clock_out IS NULL;

-- A station's own requests (transactions replayed after its operator signed out) are audited
-- as the station.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_type_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_actor_type_check CHECK (actor_type IN ('user', 'api_key', 'station', 'system'));
