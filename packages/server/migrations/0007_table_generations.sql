-- A change counter per table, bumped by triggers on every write, whoever writes. Read caches
-- compare it before serving a cached page, so no write path can leave a cache stale, on one
-- process or across replicas.
CREATE TABLE table_generations (
  table_name  VARCHAR(63) PRIMARY KEY,
  gen         BIGINT NOT NULL DEFAULT 0
);

CREATE FUNCTION kerf_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO table_generations (table_name, gen) VALUES (TG_TABLE_NAME, 1)
  ON CONFLICT (table_name) DO UPDATE SET gen = table_generations.gen + 1;
  RETURN NULL;
END $$;

DO $$
DECLARE t TEXT;
BEGIN
  FOREACH t IN ARRAY ARRAY['departments', 'work_centers', 'shift_calendars', 'calendar_exceptions', 'customers',
                           'materials', 'jobs', 'job_routings', 'schedule_slots']
  LOOP
    EXECUTE format('INSERT INTO table_generations (table_name, gen) VALUES (%L, 0) ON CONFLICT DO NOTHING', t);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
                    FOR EACH STATEMENT EXECUTE FUNCTION kerf_bump_generation()', 'bump_gen_' || t, t);
  END LOOP;
END $$;
