-- Floor feedback (issue 13, ADR 0026): good parts the floor reported per routing step, and the
-- job's completed quantity (what its last steps have finished). Written only by the jobs
-- module's command (jobs/completed-quantity.ts); the floor's own counts stay in floor_operations.
ALTER TABLE job_routings ADD COLUMN quantity_completed INTEGER NOT NULL DEFAULT 0 CHECK (quantity_completed >= 0);
ALTER TABLE jobs ADD COLUMN quantity_completed INTEGER NOT NULL DEFAULT 0 CHECK (quantity_completed >= 0);
