-- Schedule-window reads (Gantt, dashboards) filter by time across all work centers.
CREATE INDEX idx_schedule_slots_window ON schedule_slots(planned_start, planned_end);
