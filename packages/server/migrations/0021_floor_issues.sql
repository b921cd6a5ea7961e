-- Problems reported from the floor (issue 13 item 8, ADR 0024): quality, downtime and material
-- shortage, each with its reason code, who reported it from which station, and the supervisor's
-- handling (acknowledged, closed with a resolution). client_id is the tablet's id for the report,
-- so an offline queue that sends it again finds the first one instead of making a second.
CREATE TABLE floor_issues (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id UUID NOT NULL UNIQUE,
  kind VARCHAR(12) NOT NULL CHECK (kind IN ('quality', 'downtime', 'material')),
  reason_code VARCHAR(50) NOT NULL REFERENCES floor_reasons(code),
  operation_id UUID,
  work_center_id VARCHAR(50) NOT NULL,
  machine_id UUID,
  note TEXT CHECK (note IS NULL OR char_length(note) <= 2000),
  reported_by UUID NOT NULL REFERENCES users(id),
  reported_by_name VARCHAR(100) NOT NULL,
  station_id UUID,
  client_at TIMESTAMPTZ,
  reported_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  status VARCHAR(12) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'closed')),
  acknowledged_by UUID,
  acknowledged_by_name VARCHAR(100),
  acknowledged_at TIMESTAMPTZ,
  closed_by UUID,
  closed_by_name VARCHAR(100),
  closed_at TIMESTAMPTZ,
  resolution TEXT CHECK (resolution IS NULL OR char_length(resolution) <= 2000),
  CHECK (kind <> 'quality' OR operation_id IS NOT NULL),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
-- The supervisor's list: what is still open, newest first, optionally for one work center.
CREATE INDEX floor_issues_by_status ON floor_issues (status, reported_at DESC);
CREATE INDEX floor_issues_by_work_center ON floor_issues (work_center_id, reported_at DESC);

CREATE TABLE floor_issue_photos (
  issue_id UUID NOT NULL REFERENCES floor_issues(id) ON DELETE CASCADE,
  n SMALLINT NOT NULL CHECK (n BETWEEN 0 AND 3),
  content_type VARCHAR(20) NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  size INTEGER NOT NULL CHECK (size > 0 AND size <= 2097152),
  width INTEGER,
  height INTEGER,
  bytes BYTEA NOT NULL,
  PRIMARY KEY (issue_id, n)
);
