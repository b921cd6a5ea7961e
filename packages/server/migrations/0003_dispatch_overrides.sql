-- Dispatch: a supervisor's manual order of one work center's queue. One row per work center;
-- the queue follows it while the slots it was made for are unchanged (slot_versions).

CREATE TABLE dispatch_queue_orders (
  work_center_id  VARCHAR(50) PRIMARY KEY REFERENCES work_centers(id) ON DELETE CASCADE,
  slot_ids        JSONB NOT NULL,
  slot_versions   JSONB NOT NULL,
  reason          TEXT NOT NULL,
  set_by          VARCHAR(200) NOT NULL,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
