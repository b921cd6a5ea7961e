-- MQTT device credentials managed through the API, CLI and admin screen (docs/machines.md,
-- "Devices"). The username stays the login name and primary key; the id is what URLs name, so a
-- user name with ':' or '.' never has to be escaped in a path.
ALTER TABLE mqtt_devices ADD COLUMN id UUID NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX idx_mqtt_devices_id ON mqtt_devices(id);
-- when the password was last replaced (NULL: never rotated since it was created)
ALTER TABLE mqtt_devices ADD COLUMN rotated_at TIMESTAMPTZ;
