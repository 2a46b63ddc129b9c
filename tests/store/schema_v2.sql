-- The schema an alertdigest build of schema version 2 (silences) created, verbatim from
-- plugin/store/sqlite_store.cc at d2bf6b5: sqlite_store_test builds a v2 file from it to test the
-- in-place upgrade. Never edit it to follow the current schema.
PRAGMA application_id=1094996820;
PRAGMA user_version=2;
CREATE TABLE IF NOT EXISTS alerts (
  fingerprint INTEGER PRIMARY KEY,
  labels BLOB NOT NULL,
  annotations BLOB NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  ends_at_is_timeout INTEGER NOT NULL,
  generator_url TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS groups (
  group_key TEXT PRIMARY KEY,
  receiver TEXT NOT NULL,
  route_key TEXT NOT NULL,
  group_labels BLOB NOT NULL,
  next_flush_at INTEGER NOT NULL,
  has_flushed INTEGER NOT NULL,
  members BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS nflog (
  receiver TEXT NOT NULL,
  group_key TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  firing BLOB NOT NULL,
  resolved BLOB NOT NULL,
  episode_message_id TEXT NOT NULL,
  episode_subject TEXT NOT NULL,
  PRIMARY KEY (receiver, group_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  group_key TEXT NOT NULL,
  receiver TEXT NOT NULL,
  subject TEXT NOT NULL,
  envelope_from TEXT NOT NULL,
  recipients TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  state INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  sent_at INTEGER NOT NULL DEFAULT 0
);
-- The message bytes never change: apart from the state row, so that recording an attempt
-- rewrites a few bytes, not the whole message.
CREATE TABLE IF NOT EXISTS outbox_data (
  id INTEGER PRIMARY KEY,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS outbox_sent ON outbox (sent_at) WHERE state = 1;
CREATE TABLE IF NOT EXISTS spool (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source TEXT NOT NULL,
  kind INTEGER NOT NULL,
  labels BLOB NOT NULL,
  annotations BLOB NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  ends_at_is_timeout INTEGER NOT NULL,
  generator_url TEXT NOT NULL,
  event_type TEXT NOT NULL,
  author TEXT NOT NULL,
  comment TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  source TEXT NOT NULL,
  type TEXT NOT NULL,
  labels BLOB NOT NULL,
  author TEXT NOT NULL,
  comment TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_at ON events (at);
CREATE TABLE IF NOT EXISTS dead_recipients (
  outbox_id INTEGER NOT NULL,
  recipient TEXT NOT NULL,
  error TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (outbox_id, recipient)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS silences (
  id TEXT PRIMARY KEY,
  matchers TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  comment TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
