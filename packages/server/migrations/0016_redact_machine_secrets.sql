-- Machine connection secrets are write-only (docs/adr/0013): audit rows written before that hold them
-- in clear. Replaces every non-empty value under a secret-named key of `connection` by the marker the
-- API shows; the names are those of src/machines/connection-secrets.ts.

CREATE FUNCTION kerf_redact_secrets(j JSONB) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
  IF jsonb_typeof(j) = 'object' THEN
    RETURN (
      SELECT coalesce(jsonb_object_agg(k, CASE
          WHEN k ~* '(password|passphrase|passwd|secret|token|privatekey|apikey|credential)'
           AND k !~* '(file|path|dir)$'
           AND jsonb_typeof(v) <> 'null' AND v <> '""'::jsonb
          THEN '"********"'::jsonb
          ELSE kerf_redact_secrets(v) END), '{}'::jsonb)
      FROM jsonb_each(j) AS e(k, v));
  ELSIF jsonb_typeof(j) = 'array' THEN
    RETURN (
      SELECT coalesce(jsonb_agg(kerf_redact_secrets(v) ORDER BY n), '[]'::jsonb)
      FROM jsonb_array_elements(j) WITH ORDINALITY AS a(v, n));
  END IF;
  RETURN j;
END
$fn$;

UPDATE audit_log SET
  before = CASE WHEN jsonb_typeof(before -> 'connection') = 'object'
    THEN jsonb_set(before, '{connection}', kerf_redact_secrets(before -> 'connection')) ELSE before END,
  after = CASE WHEN jsonb_typeof(after -> 'connection') = 'object'
    THEN jsonb_set(after, '{connection}', kerf_redact_secrets(after -> 'connection')) ELSE after END
WHERE entity = 'machine';

DROP FUNCTION kerf_redact_secrets(JSONB);
