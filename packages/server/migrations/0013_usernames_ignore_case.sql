-- User names are unique ignoring case: "ADMIN" beside "admin" is one person to everyone who
-- reads a list or an audit log (issue #11, ADR 0012). A database may already hold such twins:
-- one account keeps its name (an enabled one before a disabled one, so this cannot lock out the
-- only admin; then the oldest); each other twin is renamed "<name>.dup-<n>", disabled and logged
-- out, and the audit log says so, for an admin to review and re-enable.
WITH ranked AS (
  SELECT id, username,
         row_number() OVER (PARTITION BY lower(username) ORDER BY is_active DESC, created_at, id) AS n
  FROM users
), renamed AS (
  UPDATE users u
     SET username = left(r.username, 90) || '.dup-' || r.n,
         is_active = false,
         version = u.version + 1,
         updated_at = now()
    FROM ranked r
   WHERE r.id = u.id AND r.n > 1
  RETURNING u.id, r.username AS old_name, u.username AS new_name
), logged_out AS (
  DELETE FROM sessions s USING renamed r WHERE s.user_id = r.id
)
INSERT INTO audit_log (actor_type, actor_id, actor_name, action, entity, entity_id, before, after)
SELECT 'system', 'system', 'migration 0013', 'update', 'user', id::text,
       jsonb_build_object('username', old_name, 'isActive', true),
       jsonb_build_object('username', new_name, 'isActive', false)
  FROM renamed;

CREATE UNIQUE INDEX idx_users_username_lower ON users (lower(username));
