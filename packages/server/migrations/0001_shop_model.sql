-- Kerf shop model: master data, demand, schedule, auth and audit.
-- Forward-only. Runs unchanged on PGlite and PostgreSQL 15+.

CREATE TABLE departments (
  id            VARCHAR(50) PRIMARY KEY,
  name          VARCHAR(200) NOT NULL,
  description   TEXT,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE work_centers (
  id                          VARCHAR(50) PRIMARY KEY,
  name                        VARCHAR(200) NOT NULL,
  department_id               VARCHAR(50) NOT NULL REFERENCES departments(id),
  machine_type                VARCHAR(100) NOT NULL,
  capacity_minutes_per_shift  INTEGER NOT NULL DEFAULT 480 CHECK (capacity_minutes_per_shift > 0),
  efficiency_factor           NUMERIC(3,2) NOT NULL DEFAULT 0.85 CHECK (efficiency_factor > 0 AND efficiency_factor <= 2),
  setup_category              VARCHAR(50),
  is_bottleneck               BOOLEAN NOT NULL DEFAULT FALSE,
  is_active                   BOOLEAN NOT NULL DEFAULT TRUE,
  iot_device_id               VARCHAR(100),
  sigmanest_machine_id        VARCHAR(100),
  version                     INTEGER NOT NULL DEFAULT 1,
  created_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at                  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_work_centers_department ON work_centers(department_id);
CREATE INDEX idx_work_centers_type ON work_centers(machine_type);

-- A shift belongs to the weekday it starts on; end_time <= start_time means it ends the next day.
CREATE TABLE shift_calendars (
  id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name            VARCHAR(100) NOT NULL,
  work_center_id  VARCHAR(50) NOT NULL REFERENCES work_centers(id) ON DELETE CASCADE,
  day_of_week     INTEGER NOT NULL CHECK (day_of_week BETWEEN 0 AND 6),
  shift_number    INTEGER NOT NULL CHECK (shift_number BETWEEN 1 AND 3),
  start_time      TIME NOT NULL,
  end_time        TIME NOT NULL,
  is_active       BOOLEAN NOT NULL DEFAULT TRUE,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (work_center_id, day_of_week, shift_number)
);

-- work_center_id NULL means plant-wide.
CREATE TABLE calendar_exceptions (
  id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  work_center_id  VARCHAR(50) REFERENCES work_centers(id) ON DELETE CASCADE,
  exception_date  DATE NOT NULL,
  exception_type  VARCHAR(20) NOT NULL CHECK (exception_type IN ('holiday', 'maintenance', 'shutdown')),
  description     TEXT,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_calendar_exceptions_date ON calendar_exceptions(exception_date);

CREATE TABLE customers (
  id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  code          VARCHAR(50) NOT NULL UNIQUE,
  name          VARCHAR(200) NOT NULL,
  contact_email VARCHAR(200),
  notes         TEXT,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE materials (
  id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  code            VARCHAR(50) NOT NULL,
  description     TEXT,
  thickness       NUMERIC(8,4) NOT NULL CHECK (thickness > 0),
  sheet_width     NUMERIC(8,2) NOT NULL CHECK (sheet_width > 0),
  sheet_length    NUMERIC(8,2) NOT NULL CHECK (sheet_length > 0),
  quantity        INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),
  unit_cost       NUMERIC(10,2),
  location        VARCHAR(100),
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (code, sheet_width, sheet_length, location)
);
CREATE INDEX idx_materials_code ON materials(code);

CREATE TABLE jobs (
  id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  job_number    VARCHAR(50) NOT NULL UNIQUE,
  customer_id   UUID REFERENCES customers(id),
  product       VARCHAR(200) NOT NULL,
  quantity      INTEGER NOT NULL CHECK (quantity > 0),
  due_date      TIMESTAMPTZ NOT NULL,
  priority      INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 4),
  status        VARCHAR(20) NOT NULL DEFAULT 'planned'
                CHECK (status IN ('planned', 'released', 'in_progress', 'complete', 'on_hold', 'cancelled')),
  notes         TEXT,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_jobs_due ON jobs(due_date);
CREATE INDEX idx_jobs_status ON jobs(status);
CREATE INDEX idx_jobs_customer ON jobs(customer_id);

CREATE TABLE parts (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  job_id           UUID NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  part_number      VARCHAR(100) NOT NULL,
  revision         VARCHAR(20) NOT NULL DEFAULT 'A',
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  material_code    VARCHAR(50) NOT NULL,
  thickness        NUMERIC(8,4) NOT NULL CHECK (thickness > 0),
  dxf_path         TEXT,
  grain_direction  VARCHAR(4) NOT NULL DEFAULT 'NONE' CHECK (grain_direction IN ('X', 'Y', 'NONE')),
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (job_id, part_number, revision)
);

CREATE TABLE job_routings (
  id                        UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  job_id                    UUID NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  sequence                  INTEGER NOT NULL CHECK (sequence > 0),
  operation_code            VARCHAR(50) NOT NULL,
  work_center_type          VARCHAR(100) NOT NULL,
  preferred_work_center_id  VARCHAR(50) REFERENCES work_centers(id),
  setup_minutes             NUMERIC(8,2) NOT NULL DEFAULT 0 CHECK (setup_minutes >= 0),
  run_minutes_per_unit      NUMERIC(8,4) NOT NULL CHECK (run_minutes_per_unit > 0),
  quantity                  INTEGER NOT NULL CHECK (quantity > 0),
  total_minutes             NUMERIC(12,2) GENERATED ALWAYS AS (setup_minutes + run_minutes_per_unit * quantity) STORED,
  setup_category            VARCHAR(50),
  dependencies              JSONB NOT NULL DEFAULT '[]'::jsonb,
  notes                     TEXT,
  version                   INTEGER NOT NULL DEFAULT 1,
  created_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (job_id, sequence)
);
CREATE INDEX idx_job_routings_job ON job_routings(job_id);

CREATE TABLE users (
  id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  username       VARCHAR(100) NOT NULL UNIQUE,
  display_name   VARCHAR(200),
  role           VARCHAR(30) NOT NULL CHECK (role IN ('operator', 'supervisor', 'production_manager', 'admin')),
  password_hash  TEXT NOT NULL,
  is_active      BOOLEAN NOT NULL DEFAULT TRUE,
  version        INTEGER NOT NULL DEFAULT 1,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_hash   CHAR(64) PRIMARY KEY,
  user_id      UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at   TIMESTAMPTZ NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name          VARCHAR(100) NOT NULL,
  key_prefix    VARCHAR(16) NOT NULL,
  key_hash      CHAR(64) NOT NULL UNIQUE,
  scopes        JSONB NOT NULL DEFAULT '[]'::jsonb,
  created_by    UUID REFERENCES users(id),
  expires_at    TIMESTAMPTZ,
  revoked_at    TIMESTAMPTZ,
  last_used_at  TIMESTAMPTZ,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE schedule_slots (
  id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  routing_id      UUID NOT NULL REFERENCES job_routings(id) ON DELETE CASCADE,
  work_center_id  VARCHAR(50) NOT NULL REFERENCES work_centers(id),
  planned_start   TIMESTAMPTZ NOT NULL,
  planned_end     TIMESTAMPTZ NOT NULL,
  actual_start    TIMESTAMPTZ,
  actual_end      TIMESTAMPTZ,
  status          VARCHAR(20) NOT NULL DEFAULT 'scheduled'
                  CHECK (status IN ('scheduled', 'queued', 'in_progress', 'complete', 'delayed', 'cancelled')),
  operator_id     UUID REFERENCES users(id),
  delay_reason    VARCHAR(100),
  notes           TEXT,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (planned_end > planned_start)
);
CREATE INDEX idx_schedule_slots_workc_start ON schedule_slots(work_center_id, planned_start);
CREATE INDEX idx_schedule_slots_status ON schedule_slots(status) WHERE status != 'complete';
CREATE INDEX idx_schedule_slots_routing ON schedule_slots(routing_id);

CREATE TABLE audit_log (
  id           BIGSERIAL PRIMARY KEY,
  at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  actor_type   VARCHAR(10) NOT NULL CHECK (actor_type IN ('user', 'api_key', 'system')),
  actor_id     VARCHAR(100),
  actor_name   VARCHAR(200),
  action       VARCHAR(20) NOT NULL,
  entity       VARCHAR(50) NOT NULL,
  entity_id    VARCHAR(100) NOT NULL,
  before       JSONB,
  after        JSONB
);
CREATE INDEX idx_audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX idx_audit_log_at ON audit_log(at);
