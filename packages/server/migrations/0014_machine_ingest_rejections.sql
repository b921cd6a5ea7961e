-- Machine data Kerf refused (undecodable MQTT payloads, malformed events, unknown or disabled
-- machines, rows the database refused, publishes outside a device's topics), per device, so an
-- operator can see which device sends what is wrong. Written by machines/ingest/rejection-log.ts.
--
-- `device` is the MQTT username when known, else the event's source (connector, edge gateway),
-- else the topic's publisher part (shopfloor/{dept}/{machine}, spBv1.0/{group}/{node}).

CREATE TABLE machine_ingest_rejections (
  device     VARCHAR(200) NOT NULL,
  reason     VARCHAR(40) NOT NULL,
  count      BIGINT NOT NULL,
  first_at   TIMESTAMPTZ NOT NULL,
  last_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (device, reason)
);

-- The last reasons per device (the writer keeps the newest 20 of each).
CREATE TABLE machine_ingest_rejection_samples (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device     VARCHAR(200) NOT NULL,
  reason     VARCHAR(40) NOT NULL,
  message    TEXT NOT NULL,
  topic      TEXT,
  machine    VARCHAR(200),
  at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_machine_ingest_rejection_samples_device ON machine_ingest_rejection_samples (device, id DESC);
