-- Breaks of a shift, as local wall-clock spans [{"start": "HH:MM", "end": "HH:MM"}, ...] (a span
-- before the shift start lies on the next day, as for a night shift). Working time excludes them,
-- so a shift's capacity is its length less its breaks (ADR 0016). A column, not a table: breaks
-- are read and written only with their shift, and the shift's version and audit then cover them.
ALTER TABLE shift_calendars ADD COLUMN breaks JSONB NOT NULL DEFAULT '[]'::jsonb
  CHECK (jsonb_typeof(breaks) = 'array');
