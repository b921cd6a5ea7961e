-- Web Push (issue 13, ADR 0025), owned by the notifications module.

-- The installation's VAPID key pair (RFC 8292), made once on first start. One row: concurrent
-- first starts both insert, the second insert does nothing, and both read the same pair.
-- The private key never leaves the server (KERF_VAPID_* in the environment replace this row).
CREATE TABLE push_vapid_keys (
  id SMALLINT PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  public_key VARCHAR(100) NOT NULL,
  private_key VARCHAR(100) NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A browser's PushSubscription, per user and device. The endpoint is the push service's
-- capability URL: unique, so the same browser subscribing again takes the row over.
CREATE TABLE push_subscriptions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id VARCHAR(100) NOT NULL,
  endpoint TEXT NOT NULL UNIQUE,
  p256dh VARCHAR(100) NOT NULL,
  auth VARCHAR(40) NOT NULL,
  user_agent VARCHAR(300),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_success_at TIMESTAMPTZ,
  failures INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

-- Which notifications have been pushed: the worker that inserts the row sends, any other
-- instance (or a redelivery after a crash) finds it and does not, so one notification is
-- pushed once. Rows older than a week are deleted by the sender.
CREATE TABLE push_dispatches (
  notification_id UUID PRIMARY KEY,
  claimed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
