-- Share of the work centers' working time (time zero to the plan's end) that the plan keeps busy.
ALTER TABLE plans ADD COLUMN utilization_pct NUMERIC(5,2);
