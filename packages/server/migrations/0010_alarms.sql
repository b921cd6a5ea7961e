-- Alarms, alarm rules, in-app notifications and replanning suggestions (docs/alarms.md).

-- One row per alarm occurrence of a machine. At most one open (uncleared) row per (machine, code):
-- a source re-raising an active alarm updates nothing; a clear closes the open row.
CREATE TABLE machine_alarms (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  machine_id       UUID NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
  code             VARCHAR(200) NOT NULL,
  severity         VARCHAR(10) NOT NULL CHECK (severity IN ('fault', 'warning')),
  message          TEXT NOT NULL DEFAULT '',
  source           VARCHAR(200) NOT NULL,
  raised_at        TIMESTAMPTZ NOT NULL,
  acknowledged_at  TIMESTAMPTZ,
  acknowledged_by  VARCHAR(200),
  cleared_at       TIMESTAMPTZ,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX uq_machine_alarms_open ON machine_alarms(machine_id, code) WHERE cleared_at IS NULL;
CREATE INDEX idx_machine_alarms_raised ON machine_alarms(raised_at DESC);
CREATE INDEX idx_machine_alarms_machine ON machine_alarms(machine_id, raised_at DESC);

-- The built-in rules; their settings are edited through the API (machine:config), never added or removed.
CREATE TABLE alarm_rules (
  id                 VARCHAR(50) PRIMARY KEY,
  kind               VARCHAR(30) NOT NULL CHECK (kind IN ('machine_down', 'bottleneck_fault')),
  name               VARCHAR(200) NOT NULL,
  enabled            BOOLEAN NOT NULL DEFAULT TRUE,
  threshold_minutes  INTEGER NOT NULL DEFAULT 0 CHECK (threshold_minutes BETWEEN 0 AND 10080),
  notify_roles       JSONB NOT NULL DEFAULT '["supervisor", "production_manager"]',
  version            INTEGER NOT NULL DEFAULT 1,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO alarm_rules (id, kind, name, threshold_minutes) VALUES
  ('machine-down', 'machine_down', 'Machine down (alarm, offline or stopped) longer than the threshold', 15),
  ('bottleneck-fault', 'bottleneck_fault', 'Fault alarm on a bottleneck work center', 0);

-- A rule firing for one machine. The partial unique index is what keeps a persisting condition
-- from notifying twice, on one instance or several.
CREATE TABLE alarm_rule_firings (
  id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  rule_id          VARCHAR(50) NOT NULL REFERENCES alarm_rules(id) ON DELETE CASCADE,
  machine_id       UUID NOT NULL REFERENCES machines(id) ON DELETE CASCADE,
  condition_since  TIMESTAMPTZ NOT NULL,
  fired_at         TIMESTAMPTZ NOT NULL,
  resolved_at      TIMESTAMPTZ
);
CREATE UNIQUE INDEX uq_alarm_rule_firings_open ON alarm_rule_firings(rule_id, machine_id) WHERE resolved_at IS NULL;

-- In-app notifications addressed to a role or to one user; read state is per user.
CREATE TABLE notifications (
  id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  recipient_role     VARCHAR(30),
  recipient_user_id  UUID REFERENCES users(id) ON DELETE CASCADE,
  kind               VARCHAR(50) NOT NULL,
  title              VARCHAR(300) NOT NULL,
  body               TEXT NOT NULL,
  link               VARCHAR(500),
  firing_id          UUID REFERENCES alarm_rule_firings(id) ON DELETE SET NULL,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK ((recipient_role IS NULL) <> (recipient_user_id IS NULL))
);
CREATE INDEX idx_notifications_role ON notifications(recipient_role, created_at DESC);
CREATE INDEX idx_notifications_user ON notifications(recipient_user_id, created_at DESC);

CREATE TABLE notification_reads (
  notification_id  UUID NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
  user_id          UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  read_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (notification_id, user_id)
);

-- A machine down or back, offered to the planner; plans are never changed by it. One open
-- suggestion per (work center, reason).
CREATE TABLE replan_suggestions (
  id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  work_center_id  VARCHAR(50) NOT NULL REFERENCES work_centers(id) ON DELETE CASCADE,
  machine_id      UUID REFERENCES machines(id) ON DELETE SET NULL,
  reason          VARCHAR(20) NOT NULL CHECK (reason IN ('machine_down', 'machine_back')),
  since           TIMESTAMPTZ NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  closed_at       TIMESTAMPTZ,
  closed_by       VARCHAR(200),
  close_reason    VARCHAR(20) CHECK (close_reason IN ('dismissed', 'superseded'))
);
CREATE UNIQUE INDEX uq_replan_suggestions_open ON replan_suggestions(work_center_id, reason) WHERE closed_at IS NULL;
