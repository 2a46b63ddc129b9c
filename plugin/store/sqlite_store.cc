// SqliteStore: the Store on one SQLite file in WAL mode.
//
// Invariants: every Write() is one IMMEDIATE transaction; synchronous=FULL, so a returned ok
// survives a process kill and a power cut. Fingerprints are stored as the signed 64-bit
// reinterpretation of their value; an unset Timestamp (kNoTime) as 0. The file is tagged with
// application_id so we never write into somebody else's database.
//
// Schema versions (PRAGMA user_version): 1 alerts, groups, nflog, outbox, spool, events, dead
// recipients; 2 silences; 3 history and on-call state (episodes, digest_states, escalations,
// deferred). Every version so far only added tables and indexes, so kSchema (all CREATE … IF NOT
// EXISTS) is also the upgrade: Init runs it over an older file in one transaction and sets the
// version. A version that changes an existing table needs its own step in Init.
#include <fmt/format.h>

#include <cstring>
#include <mutex>

#include "core/log.h"
#include "store/label_codec.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace alertdigest {
namespace {

constexpr int64_t kApplicationId = 0x41445354;  // "ADST"
constexpr int kSchemaVersion = 3;               // 3: history and on-call state

constexpr const char* kSchema = R"sql(
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
-- 3: one row per firing episode of an alert (digests); ends_at 0 while the end is unknown.
CREATE TABLE IF NOT EXISTS episodes (
  fingerprint INTEGER NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  labels BLOB NOT NULL,
  annotations BLOB NOT NULL,
  PRIMARY KEY (fingerprint, starts_at)
);
-- ListEpisodes and PruneHistory both search by end: a digest window is recent, so the episodes
-- that ended in it plus the open ones (ends_at 0) are few. No index on starts_at: SQLite would
-- prefer it for the ORDER BY and walk the whole history before `to`.
CREATE INDEX IF NOT EXISTS episodes_ends ON episodes (ends_at);
CREATE TABLE IF NOT EXISTS digest_states (
  name TEXT PRIMARY KEY,
  last_run_at INTEGER NOT NULL,
  window_start INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS escalations (
  group_key TEXT PRIMARY KEY,
  policy TEXT NOT NULL,
  receiver TEXT NOT NULL,
  group_labels BLOB NOT NULL,
  episode INTEGER NOT NULL,
  episode_started_at INTEGER NOT NULL,
  firing BLOB NOT NULL,
  climb_started_at INTEGER NOT NULL,
  next_step INTEGER NOT NULL,
  repeats_sent INTEGER NOT NULL,
  next_due_at INTEGER NOT NULL,
  acked_at INTEGER NOT NULL,
  acked_by TEXT NOT NULL,
  ack_comment TEXT NOT NULL,
  ack_via TEXT NOT NULL,
  thread_message_id TEXT NOT NULL,
  thread_subject TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deferred (
  group_key TEXT NOT NULL,
  fingerprint INTEGER NOT NULL,
  interval TEXT NOT NULL,
  receiver TEXT NOT NULL,
  labels BLOB NOT NULL,
  first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL,
  PRIMARY KEY (group_key, fingerprint, interval)
);
CREATE INDEX IF NOT EXISTS deferred_last ON deferred (last_at);
)sql";

// The queries below write "unknown end" as the literal 0.
static_assert(kNoTime.time_since_epoch().count() == 0);

int64_t FpToDb(Fingerprint f) {
  int64_t v;
  std::memcpy(&v, &f.value, sizeof v);
  return v;
}
Fingerprint FpFromDb(int64_t v) {
  Fingerprint f;
  std::memcpy(&f.value, &v, sizeof v);
  return f;
}

std::string EncodeFps(const std::vector<Fingerprint>& fps) {
  std::string out(fps.size() * 8, '\0');
  for (size_t i = 0; i < fps.size(); ++i) std::memcpy(&out[i * 8], &fps[i].value, 8);
  return out;
}
std::vector<Fingerprint> DecodeFps(std::string_view b) {
  std::vector<Fingerprint> out(b.size() / 8);
  for (size_t i = 0; i < out.size(); ++i) std::memcpy(&out[i].value, b.data() + i * 8, 8);
  return out;
}

std::string JoinLines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}
std::vector<std::string> SplitLines(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      out.emplace_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

// An alert body is stored in six columns — labels, annotations, starts_at, ends_at,
// ends_at_is_timeout, generator_url — at parameter/column `first` onwards, in the alerts table
// and in the spool alike.
void BindAlertBody(sqlite::Statement& st, int first, const Alert& a) {
  st.BindBlob(first, EncodeLabels(a.labels))
      .BindBlob(first + 1, EncodeLabels(a.annotations))
      .Bind(first + 2, ToUnixMillis(a.starts_at))
      .Bind(first + 3, ToUnixMillis(a.ends_at))
      .Bind(first + 4, int64_t{a.ends_at_is_timeout})
      .Bind(first + 5, a.generator_url);
}

// A label set stored with EncodeLabels in column `col`; Corruption when it doesn't decode.
Status ReadLabels(const sqlite::Statement& row, int col, LabelSet* out) {
  auto labels = DecodeLabels(row.Text(col));
  if (!labels) return Status::Corruption("undecodable labels");
  *out = std::move(*labels);
  return Status::Ok();
}

Status ReadAlertBody(const sqlite::Statement& row, int first, Alert* a) {
  if (Status s = ReadLabels(row, first, &a->labels); !s.ok()) return s;
  if (Status s = ReadLabels(row, first + 1, &a->annotations); !s.ok()) return s;
  a->starts_at = FromUnixMillis(row.Int(first + 2));
  a->ends_at = FromUnixMillis(row.Int(first + 3));
  a->ends_at_is_timeout = row.Int(first + 4) != 0;
  a->generator_url = row.Text(first + 5);
  return Status::Ok();
}

// One row of "SELECT source, type, labels, author, comment, at FROM events".
Result<EventRecord> ReadEvent(const sqlite::Statement& row) {
  EventRecord e;
  e.source = row.Text(0);
  e.type = row.Text(1);
  if (Status s = ReadLabels(row, 2, &e.labels); !s.ok()) return s;
  e.author = row.Text(3);
  e.comment = row.Text(4);
  e.at = FromUnixMillis(row.Int(5));
  return e;
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<sqlite::Db> db) : db_(std::move(db)) {}

  Status Init(const std::string& path, const SqliteOpenOptions& options);
  Status Write(const WriteBatch& batch) override;
  Result<std::vector<Alert>> LoadAlerts() override;
  Result<std::vector<GroupRecord>> LoadGroups() override;
  Result<std::vector<NflogEntry>> LoadNflog() override;
  Result<std::vector<OutboxMessage>> DueOutbox(Timestamp now, int limit) override;
  Result<Timestamp> NextOutboxAttempt() override;
  Status MarkSent(const std::vector<int64_t>& ids, Timestamp at) override;
  Status MarkFailed(int64_t id, Timestamp next_attempt, const std::string& error,
                    bool dead) override;
  Result<OutboxStats> GetOutboxStats() override;
  Status RetryRecipients(int64_t id, const std::vector<std::string>& recipients,
                         Timestamp next_attempt, const std::string& error) override;
  Status AddDeadRecipients(const std::vector<DeadRecipient>& recipients) override;
  Result<int64_t> CountSentSince(Timestamp since) override;
  Result<std::vector<OutboxMessage>> ListOutbox(OutboxState state, int limit) override;
  Result<std::vector<DeadRecipient>> ListDeadRecipients(int limit) override;
  Status Requeue(int64_t id, Timestamp at) override;
  Status AppendSpool(const std::vector<SpoolEntry>& entries) override;
  Result<std::vector<SpoolEntry>> ReadSpool(int limit) override;
  Result<std::vector<EventRecord>> ListEvents(Timestamp since, int limit) override;
  Status PutSilence(const Silence& silence) override;
  Result<std::vector<Silence>> LoadSilences() override;
  Result<int64_t> DeleteSilencesEndedBefore(Timestamp cutoff) override;
  Result<std::vector<EpisodeRecord>> ListEpisodes(Timestamp from, Timestamp to) override;
  Result<std::vector<DeferredRecord>> ListDeferred(Timestamp from, Timestamp to) override;
  Result<std::vector<EventRecord>> ListEventsBetween(Timestamp from, Timestamp to) override;
  Status PruneHistory(Timestamp cutoff) override;
  Result<std::vector<DigestState>> LoadDigestStates() override;
  Result<std::vector<EscalationRecord>> LoadEscalations() override;

 private:
  // Runs one statement to completion (caller holds mu_).
  Status Run(sqlite::Statement* st) {
    Status s;
    while (st->Step(&s)) {
    }
    return s;
  }
  Status WriteLocked(const WriteBatch& batch);
  Result<int64_t> QueryInt(const std::string& sql);

  // Runs a SELECT (caller holds mu_): `bind` binds its parameters, `row` turns each row into a
  // T and may fail (Corruption for an undecodable row). Errors read "<what>: cause".
  template <typename T, typename Bind, typename Row>
  Result<std::vector<T>> SelectAll(const std::string& sql, Bind bind, Row row,
                                   std::string_view what) {
    auto st = db_->Prepare(sql);
    if (!st.ok()) return st.status().Wrap(std::string(what));
    bind(**st);
    std::vector<T> out;
    Status s;
    while ((*st)->Step(&s)) {
      Result<T> r = row(**st);
      if (!r.ok()) {
        (*st)->Reset();
        return r.status().Wrap(std::string(what));
      }
      out.push_back(std::move(r.value()));
    }
    if (!s.ok()) return s.Wrap(std::string(what));
    return out;
  }

  std::mutex mu_;
  std::unique_ptr<sqlite::Db> db_;  // guarded by mu_
};

Result<int64_t> SqliteStore::QueryInt(const std::string& sql) {
  auto st = db_->Prepare(sql);
  if (!st.ok()) return st.status();
  Status s;
  int64_t v = (*st)->Step(&s) ? (*st)->Int(0) : 0;
  if (!s.ok()) return s;
  (*st)->Reset();
  return v;
}

// An error met while opening `path`, in words that name the file and say what to do.
Status OpenError(const Status& s, const std::string& path) {
  switch (s.code()) {
    case Status::Code::kUnavailable:
      return Status::Unavailable(fmt::format(
          "open {}: the state file is locked by another process ({}); stop whatever holds it "
          "(a sqlite3 shell with an open transaction?) and start again",
          path, s.message()));
    case Status::Code::kCorruption:
      return Status::Corruption(fmt::format(
          "open {}: the state file is damaged ({}); refusing to touch it: restore it from a "
          "backup, or move it away to start with an empty state",
          path, s.message()));
    default:
      return s.Wrap("open " + path);
  }
}

Status SqliteStore::Init(const std::string& path, const SqliteOpenOptions& options) {
  // Reading the header first tells an alien or damaged file apart before we change anything.
  auto app_id = QueryInt("PRAGMA application_id");
  if (!app_id.ok()) return OpenError(app_id.status(), path);
  auto tables = QueryInt("SELECT count(*) FROM sqlite_master");
  if (!tables.ok()) return OpenError(tables.status(), path);
  if (*tables > 0 && *app_id != kApplicationId) {
    return Status::Corruption(
        fmt::format("open {}: not an alertdigest state database (refusing to touch it)", path));
  }
  auto version = QueryInt("PRAGMA user_version");
  if (!version.ok()) return OpenError(version.status(), path);
  if (*version > kSchemaVersion) {
    return Status::Corruption(
        fmt::format("open {}: written by a newer alertdigest (schema {}, this build knows {})",
                    path, *version, kSchemaVersion));
  }
  if (options.check_integrity && *tables > 0) {
    // A damaged page deep in the file passes the header checks above; quick_check reads every
    // page (about 1 s per GB) so that such a file is refused before anything is written to it.
    auto st = db_->Prepare("PRAGMA quick_check(1)");
    if (!st.ok()) return OpenError(st.status(), path);
    Status s;
    std::string verdict = (*st)->Step(&s) ? std::string((*st)->Text(0)) : "";
    (*st)->Reset();
    if (!s.ok()) return OpenError(s, path);
    if (verdict != "ok") {
      // e.g. "*** in database main ***\nPage 5: btreeInitPage() returns error code 11"
      if (auto nl = verdict.rfind('\n'); nl != std::string::npos) verdict.erase(0, nl + 1);
      return OpenError(Status::Corruption("quick_check: " + verdict), path);
    }
  }
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=OFF"}) {
    auto st = db_->Prepare(pragma);
    if (!st.ok()) return OpenError(st.status(), path);
    Status s;
    while ((*st)->Step(&s)) {
    }
    if (!s.ok()) return OpenError(s.Wrap(pragma), path);
  }
  // A new file gets the whole schema; an older one (version < kSchemaVersion) gets the tables
  // and indexes added since, and its new version, in the same transaction: a failed upgrade
  // leaves the file as the older build wrote it. A current file is not written to at all (the
  // pragmas write page 1 even when the value is the same): opening must never change a file
  // that later turns out to be damaged.
  sqlite::Transaction tx(*db_);
  if (Status s = tx.Begin(); !s.ok()) return OpenError(s.Wrap("initialise"), path);
  if (Status s = db_->Exec(kSchema); !s.ok()) return OpenError(s.Wrap("create schema"), path);
  if (*app_id != kApplicationId || *version != kSchemaVersion) {
    if (Status s = db_->Exec(fmt::format("PRAGMA application_id={}; PRAGMA user_version={}",
                                         kApplicationId, kSchemaVersion));
        !s.ok())
      return OpenError(s.Wrap("initialise"), path);
  }
  if (Status s = tx.Commit(); !s.ok()) return OpenError(s.Wrap("initialise"), path);
  if (*tables > 0 && *version < kSchemaVersion) {
    log::Info("upgraded state database",
              {{"path", path}, {"from_schema", *version}, {"to_schema", kSchemaVersion}});
  }
  return Status::Ok();
}

Status SqliteStore::Write(const WriteBatch& batch) {
  if (batch.empty()) return Status::Ok();
  std::lock_guard lock(mu_);
  sqlite::Transaction tx(*db_);
  if (Status s = tx.Begin(); !s.ok()) return s.Wrap("write state");
  if (Status s = WriteLocked(batch); !s.ok()) return s.Wrap("write state");
  return tx.Commit().Wrap("commit state");
}

Status SqliteStore::WriteLocked(const WriteBatch& b) {
  Status s;
  auto run = [&](sqlite::Statement* st) {
    while (st->Step(&s)) {
    }
    return s.ok();
  };
  if (!b.alerts().empty()) {
    auto st = db_->Prepare(
        "INSERT OR REPLACE INTO alerts (fingerprint, labels, annotations, starts_at, ends_at, "
        "ends_at_is_timeout, generator_url, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
    if (!st.ok()) return st.status();
    for (const auto& [fp, a] : b.alerts()) {
      (*st)->Reset().Bind(1, FpToDb(fp)).Bind(8, ToUnixMillis(a.updated_at));
      BindAlertBody(**st, 2, a);
      if (!run(*st)) return s;
    }
  }
  if (!b.deleted_alerts().empty()) {
    auto st = db_->Prepare("DELETE FROM alerts WHERE fingerprint = ?1");
    if (!st.ok()) return st.status();
    for (Fingerprint fp : b.deleted_alerts()) {
      if (!run(&(*st)->Reset().Bind(1, FpToDb(fp)))) return s;
    }
  }
  if (!b.groups().empty()) {
    auto st = db_->Prepare(
        "INSERT OR REPLACE INTO groups (group_key, receiver, route_key, group_labels, "
        "next_flush_at, has_flushed, members) VALUES (?1,?2,?3,?4,?5,?6,?7)");
    if (!st.ok()) return st.status();
    for (const auto& [key, g] : b.groups()) {
      (*st)
          ->Reset()
          .Bind(1, key)
          .Bind(2, g.receiver)
          .Bind(3, g.route_key)
          .BindBlob(4, EncodeLabels(g.group_labels))
          .Bind(5, ToUnixMillis(g.next_flush_at))
          .Bind(6, int64_t{g.has_flushed})
          .BindBlob(7, EncodeFps(g.members));
      if (!run(*st)) return s;
    }
  }
  if (!b.deleted_groups().empty()) {
    auto st = db_->Prepare("DELETE FROM groups WHERE group_key = ?1");
    if (!st.ok()) return st.status();
    for (const auto& key : b.deleted_groups()) {
      if (!run(&(*st)->Reset().Bind(1, key))) return s;
    }
  }
  if (!b.nflog().empty()) {
    auto st = db_->Prepare(
        "INSERT OR REPLACE INTO nflog (receiver, group_key, sent_at, firing, resolved, "
        "episode_message_id, episode_subject) VALUES (?1,?2,?3,?4,?5,?6,?7)");
    if (!st.ok()) return st.status();
    for (const NflogEntry& e : b.nflog()) {
      (*st)
          ->Reset()
          .Bind(1, e.receiver)
          .Bind(2, e.group_key)
          .Bind(3, ToUnixMillis(e.sent_at))
          .BindBlob(4, EncodeFps(e.firing))
          .BindBlob(5, EncodeFps(e.resolved))
          .Bind(6, e.episode_message_id)
          .Bind(7, e.episode_subject);
      if (!run(*st)) return s;
    }
  }
  if (!b.outbox().empty()) {
    auto st = db_->Prepare(
        "INSERT INTO outbox (message_id, kind, group_key, receiver, subject, envelope_from, "
        "recipients, created_at, next_attempt_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    if (!st.ok()) return st.status();
    auto data = db_->Prepare("INSERT INTO outbox_data (id, data) VALUES (?1, ?2)");
    if (!data.ok()) return data.status();
    for (const OutboxMessage& m : b.outbox()) {
      (*st)
          ->Reset()
          .Bind(1, m.message_id)
          .Bind(2, m.kind)
          .Bind(3, m.group_key)
          .Bind(4, m.receiver)
          .Bind(5, m.subject)
          .Bind(6, m.envelope_from)
          .Bind(7, JoinLines(m.recipients))
          .Bind(8, ToUnixMillis(m.created_at))
          .Bind(9, ToUnixMillis(m.next_attempt_at));
      if (!run(*st)) return s;
      (*data)->Reset().Bind(1, sqlite3_last_insert_rowid(db_->raw())).BindBlob(2, m.data);
      if (!run(*data)) return s;
    }
  }
  if (!b.spool_deletes().empty()) {
    auto st = db_->Prepare("DELETE FROM spool WHERE id = ?1");
    if (!st.ok()) return st.status();
    for (int64_t id : b.spool_deletes()) {
      if (!run(&(*st)->Reset().Bind(1, id))) return s;
    }
  }
  if (!b.events().empty()) {
    auto st = db_->Prepare(
        "INSERT INTO events (source, type, labels, author, comment, at) VALUES "
        "(?1,?2,?3,?4,?5,?6)");
    if (!st.ok()) return st.status();
    for (const EventRecord& e : b.events()) {
      (*st)
          ->Reset()
          .Bind(1, e.source)
          .Bind(2, e.type)
          .BindBlob(3, EncodeLabels(e.labels))
          .Bind(4, e.author)
          .Bind(5, e.comment)
          .Bind(6, ToUnixMillis(e.at));
      if (!run(*st)) return s;
    }
  }
  if (!b.episodes().empty()) {
    auto st = db_->Prepare(
        "INSERT OR REPLACE INTO episodes (fingerprint, starts_at, ends_at, labels, annotations) "
        "VALUES (?1,?2,?3,?4,?5)");
    if (!st.ok()) return st.status();
    for (const auto& [key, e] : b.episodes()) {
      (*st)
          ->Reset()
          .Bind(1, FpToDb(e.fingerprint))
          .Bind(2, ToUnixMillis(e.starts_at))
          .Bind(3, ToUnixMillis(e.ends_at))
          .BindBlob(4, EncodeLabels(e.labels))
          .BindBlob(5, EncodeLabels(e.annotations));
      if (!run(*st)) return s;
    }
  }
  if (!b.digest_states().empty()) {
    auto st = db_->Prepare(
        "INSERT OR REPLACE INTO digest_states (name, last_run_at, window_start) "
        "VALUES (?1,?2,?3)");
    if (!st.ok()) return st.status();
    for (const auto& [name, d] : b.digest_states()) {
      (*st)
          ->Reset()
          .Bind(1, name)
          .Bind(2, ToUnixMillis(d.last_run_at))
          .Bind(3, ToUnixMillis(d.window_start));
      if (!run(*st)) return s;
    }
  }
  if (!b.escalations().empty()) {
    auto st = db_->Prepare(
        "INSERT OR REPLACE INTO escalations (group_key, policy, receiver, group_labels, episode, "
        "episode_started_at, firing, climb_started_at, next_step, repeats_sent, next_due_at, "
        "acked_at, acked_by, ack_comment, ack_via, thread_message_id, thread_subject) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)");
    if (!st.ok()) return st.status();
    for (const auto& [key, e] : b.escalations()) {
      (*st)
          ->Reset()
          .Bind(1, key)
          .Bind(2, e.policy)
          .Bind(3, e.receiver)
          .BindBlob(4, EncodeLabels(e.group_labels))
          .Bind(5, e.episode)
          .Bind(6, ToUnixMillis(e.episode_started_at))
          .BindBlob(7, EncodeFps(e.firing))
          .Bind(8, ToUnixMillis(e.climb_started_at))
          .Bind(9, int64_t{e.next_step})
          .Bind(10, int64_t{e.repeats_sent})
          .Bind(11, ToUnixMillis(e.next_due_at))
          .Bind(12, ToUnixMillis(e.acked_at))
          .Bind(13, e.acked_by)
          .Bind(14, e.ack_comment)
          .Bind(15, e.ack_via)
          .Bind(16, e.thread_message_id)
          .Bind(17, e.thread_subject);
      if (!run(*st)) return s;
    }
  }
  if (!b.deleted_escalations().empty()) {
    auto st = db_->Prepare("DELETE FROM escalations WHERE group_key = ?1");
    if (!st.ok()) return st.status();
    for (const auto& key : b.deleted_escalations()) {
      if (!run(&(*st)->Reset().Bind(1, key))) return s;
    }
  }
  if (!b.deferred().empty()) {
    // A later hold of the same (group, alert, interval) keeps when it was first held back.
    auto st = db_->Prepare(
        "INSERT INTO deferred (group_key, fingerprint, interval, receiver, labels, first_at, "
        "last_at) VALUES (?1,?2,?3,?4,?5,?6,?7) "
        "ON CONFLICT (group_key, fingerprint, interval) DO UPDATE SET "
        "receiver = excluded.receiver, labels = excluded.labels, "
        "last_at = max(last_at, excluded.last_at)");
    if (!st.ok()) return st.status();
    for (const DeferredRecord& d : b.deferred()) {
      (*st)
          ->Reset()
          .Bind(1, d.group_key)
          .Bind(2, FpToDb(d.fingerprint))
          .Bind(3, d.interval)
          .Bind(4, d.receiver)
          .BindBlob(5, EncodeLabels(d.labels))
          .Bind(6, ToUnixMillis(d.first_at))
          .Bind(7, ToUnixMillis(d.last_at));
      if (!run(*st)) return s;
    }
  }
  return Status::Ok();
}

Result<std::vector<Alert>> SqliteStore::LoadAlerts() {
  std::lock_guard lock(mu_);
  return SelectAll<Alert>(
      "SELECT fingerprint, labels, annotations, starts_at, ends_at, ends_at_is_timeout, "
      "generator_url, updated_at FROM alerts",
      [](sqlite::Statement&) {},
      [&](const sqlite::Statement& row) -> Result<Alert> {
        Alert a;
        if (Status st = ReadAlertBody(row, 1, &a); !st.ok()) return st;
        a.updated_at = FromUnixMillis(row.Int(7));
        a.fingerprint = FpFromDb(row.Int(0));
        return a;
      },
      "load alerts");
}

Result<std::vector<GroupRecord>> SqliteStore::LoadGroups() {
  std::lock_guard lock(mu_);
  return SelectAll<GroupRecord>(
      "SELECT group_key, receiver, route_key, group_labels, next_flush_at, has_flushed, members "
      "FROM groups",
      [](sqlite::Statement&) {},
      [&](const sqlite::Statement& row) -> Result<GroupRecord> {
        GroupRecord g;
        g.group_key = row.Text(0);
        g.receiver = row.Text(1);
        g.route_key = row.Text(2);
        if (Status s = ReadLabels(row, 3, &g.group_labels); !s.ok()) return s;
        g.next_flush_at = FromUnixMillis(row.Int(4));
        g.has_flushed = row.Int(5) != 0;
        g.members = DecodeFps(row.Text(6));
        return g;
      },
      "load groups");
}

Result<std::vector<NflogEntry>> SqliteStore::LoadNflog() {
  std::lock_guard lock(mu_);
  return SelectAll<NflogEntry>(
      "SELECT receiver, group_key, sent_at, firing, resolved, episode_message_id, "
      "episode_subject FROM nflog",
      [](sqlite::Statement&) {},
      [&](const sqlite::Statement& row) -> Result<NflogEntry> {
        NflogEntry e;
        e.receiver = row.Text(0);
        e.group_key = row.Text(1);
        e.sent_at = FromUnixMillis(row.Int(2));
        e.firing = DecodeFps(row.Text(3));
        e.resolved = DecodeFps(row.Text(4));
        e.episode_message_id = row.Text(5);
        e.episode_subject = row.Text(6);
        return e;
      },
      "load notification log");
}

Result<std::vector<OutboxMessage>> SqliteStore::DueOutbox(Timestamp now, int limit) {
  std::lock_guard lock(mu_);
  return SelectAll<OutboxMessage>(
      "SELECT o.id, message_id, kind, group_key, receiver, subject, envelope_from, recipients, "
      "d.data, created_at, next_attempt_at, attempts, last_error FROM outbox o "
      "JOIN outbox_data d ON d.id = o.id "
      "WHERE state = 0 AND next_attempt_at <= ?1 ORDER BY next_attempt_at, o.id LIMIT ?2",
      [&](sqlite::Statement& st) { st.Bind(1, ToUnixMillis(now)).Bind(2, int64_t{limit}); },
      [&](const sqlite::Statement& row) -> Result<OutboxMessage> {
        OutboxMessage m;
        m.id = row.Int(0);
        m.message_id = row.Text(1);
        m.kind = row.Text(2);
        m.group_key = row.Text(3);
        m.receiver = row.Text(4);
        m.subject = row.Text(5);
        m.envelope_from = row.Text(6);
        m.recipients = SplitLines(row.Text(7));
        m.data = row.Text(8);
        m.created_at = FromUnixMillis(row.Int(9));
        m.next_attempt_at = FromUnixMillis(row.Int(10));
        m.attempts = static_cast<int>(row.Int(11));
        m.last_error = row.Text(12);
        return m;
      },
      "read outbox");
}

Result<Timestamp> SqliteStore::NextOutboxAttempt() {
  std::lock_guard lock(mu_);
  auto st = db_->Prepare("SELECT min(next_attempt_at) FROM outbox WHERE state = 0");
  if (!st.ok()) return st.status();
  Status s;
  Timestamp t = kNoTime;
  if ((*st)->Step(&s) && sqlite3_column_type((*st)->raw(), 0) != SQLITE_NULL)
    t = FromUnixMillis((*st)->Int(0));
  if (!s.ok()) return s.Wrap("read outbox");
  (*st)->Reset();
  return t;
}

Status SqliteStore::MarkSent(const std::vector<int64_t>& ids, Timestamp at) {
  if (ids.empty()) return Status::Ok();
  std::lock_guard lock(mu_);
  sqlite::Transaction tx(*db_);
  if (Status s = tx.Begin(); !s.ok()) return s.Wrap("mark messages sent");
  auto st = db_->Prepare(
      "UPDATE outbox SET state = 1, sent_at = ?2, attempts = attempts + 1 WHERE id = ?1");
  if (!st.ok()) return st.status();
  for (int64_t id : ids) {
    (*st)->Reset().Bind(1, id).Bind(2, ToUnixMillis(at));
    if (Status s = Run(*st); !s.ok()) return s.Wrap("mark messages sent");
  }
  return tx.Commit().Wrap("mark messages sent");
}

Status SqliteStore::MarkFailed(int64_t id, Timestamp next_attempt, const std::string& error,
                               bool dead) {
  std::lock_guard lock(mu_);
  auto st = db_->Prepare(
      "UPDATE outbox SET state = ?2, next_attempt_at = ?3, last_error = ?4, "
      "attempts = attempts + 1 WHERE id = ?1");
  if (!st.ok()) return st.status();
  (*st)
      ->Bind(1, id)
      .Bind(2, int64_t{dead ? 2 : 0})
      .Bind(3, ToUnixMillis(next_attempt))
      .Bind(4, error);
  Status s;
  (*st)->Step(&s);
  return s.Wrap("record failed delivery");
}

Result<OutboxStats> SqliteStore::GetOutboxStats() {
  std::lock_guard lock(mu_);
  auto st = db_->Prepare(
      "SELECT state, count(*), min(CASE WHEN state = 0 THEN created_at END) FROM outbox "
      "GROUP BY state");
  if (!st.ok()) return st.status();
  OutboxStats stats;
  Status s;
  while ((*st)->Step(&s)) {
    int64_t n = (*st)->Int(1);
    switch ((*st)->Int(0)) {
      case 0:
        stats.pending = n;
        stats.oldest_pending = FromUnixMillis((*st)->Int(2));
        break;
      case 1:
        stats.sent = n;
        break;
      default:
        stats.dead = n;
    }
  }
  if (!s.ok()) return s.Wrap("read outbox");
  return stats;
}

Status SqliteStore::RetryRecipients(int64_t id, const std::vector<std::string>& recipients,
                                    Timestamp next_attempt, const std::string& error) {
  std::lock_guard lock(mu_);
  auto st = db_->Prepare(
      "UPDATE outbox SET state = 0, recipients = ?2, next_attempt_at = ?3, last_error = ?4, "
      "attempts = attempts + 1 WHERE id = ?1");
  if (!st.ok()) return st.status();
  (*st)
      ->Bind(1, id)
      .Bind(2, JoinLines(recipients))
      .Bind(3, ToUnixMillis(next_attempt))
      .Bind(4, error);
  return Run(*st).Wrap("record partial delivery");
}

Status SqliteStore::AddDeadRecipients(const std::vector<DeadRecipient>& recipients) {
  std::lock_guard lock(mu_);
  auto st = db_->Prepare(
      "INSERT OR REPLACE INTO dead_recipients (outbox_id, recipient, error, at) VALUES "
      "(?1,?2,?3,?4)");
  if (!st.ok()) return st.status();
  for (const DeadRecipient& r : recipients) {
    (*st)
        ->Reset()
        .Bind(1, r.outbox_id)
        .Bind(2, r.recipient)
        .Bind(3, r.error)
        .Bind(4, ToUnixMillis(r.at));
    if (Status s = Run(*st); !s.ok()) return s.Wrap("record refused recipient");
  }
  return Status::Ok();
}

Result<int64_t> SqliteStore::CountSentSince(Timestamp since) {
  std::lock_guard lock(mu_);
  auto st = db_->Prepare("SELECT count(*) FROM outbox WHERE state = 1 AND sent_at >= ?1");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, ToUnixMillis(since));
  Status s;
  int64_t n = (*st)->Step(&s) ? (*st)->Int(0) : 0;
  if (!s.ok()) return s.Wrap("count sent messages");
  (*st)->Reset();
  return n;
}

Result<std::vector<OutboxMessage>> SqliteStore::ListOutbox(OutboxState state, int limit) {
  std::lock_guard lock(mu_);
  return SelectAll<OutboxMessage>(
      "SELECT id, message_id, kind, group_key, receiver, subject, recipients, created_at, "
      "next_attempt_at, attempts, last_error, sent_at FROM outbox WHERE state = ?1 "
      "ORDER BY id DESC LIMIT ?2",
      [&](sqlite::Statement& st) {
        st.Bind(1, static_cast<int64_t>(state)).Bind(2, int64_t{limit});
      },
      [&](const sqlite::Statement& row) -> Result<OutboxMessage> {
        OutboxMessage m;
        m.id = row.Int(0);
        m.message_id = row.Text(1);
        m.kind = row.Text(2);
        m.group_key = row.Text(3);
        m.receiver = row.Text(4);
        m.subject = row.Text(5);
        m.recipients = SplitLines(row.Text(6));
        m.created_at = FromUnixMillis(row.Int(7));
        m.next_attempt_at = FromUnixMillis(row.Int(8));
        m.attempts = static_cast<int>(row.Int(9));
        m.last_error = row.Text(10);
        m.sent_at = FromUnixMillis(row.Int(11));
        m.state = state;
        return m;
      },
      "list outbox");
}

Result<std::vector<DeadRecipient>> SqliteStore::ListDeadRecipients(int limit) {
  std::lock_guard lock(mu_);
  return SelectAll<DeadRecipient>(
      "SELECT outbox_id, recipient, error, at FROM dead_recipients ORDER BY at DESC LIMIT ?1",
      [&](sqlite::Statement& st) { st.Bind(1, int64_t{limit}); },
      [](const sqlite::Statement& row) -> Result<DeadRecipient> {
        return DeadRecipient{row.Int(0), std::string(row.Text(1)), std::string(row.Text(2)),
                             FromUnixMillis(row.Int(3))};
      },
      "list refused recipients");
}

Status SqliteStore::Requeue(int64_t id, Timestamp at) {
  std::lock_guard lock(mu_);
  sqlite::Transaction tx(*db_);
  if (Status s = tx.Begin(); !s.ok()) return s;
  std::vector<std::string> dead;
  {
    auto st = db_->Prepare("SELECT recipient FROM dead_recipients WHERE outbox_id = ?1");
    if (!st.ok()) return st.status();
    (*st)->Bind(1, id);
    Status s;
    while ((*st)->Step(&s)) dead.emplace_back((*st)->Text(0));
    if (!s.ok()) return s;
  }
  auto st = db_->Prepare(
      dead.empty()
          ? "UPDATE outbox SET state = 0, next_attempt_at = ?2, attempts = 0 WHERE id = ?1 AND "
            "state = 2"
          : "UPDATE outbox SET state = 0, next_attempt_at = ?2, attempts = 0, recipients = ?3 "
            "WHERE id = ?1");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, id).Bind(2, ToUnixMillis(at));
  if (!dead.empty()) (*st)->Bind(3, JoinLines(dead));
  if (Status s = Run(*st); !s.ok()) return s;
  if (sqlite3_changes(db_->raw()) == 0)
    return Status::NotFound(
        fmt::format("outbox message {} is neither dead nor has refused recipients", id));
  if (!dead.empty()) {
    auto del = db_->Prepare("DELETE FROM dead_recipients WHERE outbox_id = ?1");
    if (!del.ok()) return del.status();
    (*del)->Bind(1, id);
    if (Status s = Run(*del); !s.ok()) return s;
  }
  return tx.Commit().Wrap("requeue message");
}

Status SqliteStore::AppendSpool(const std::vector<SpoolEntry>& entries) {
  std::lock_guard lock(mu_);
  sqlite::Transaction tx(*db_);
  if (Status s = tx.Begin(); !s.ok()) return s.Wrap("spool");
  auto st = db_->Prepare(
      "INSERT INTO spool (source, kind, labels, annotations, starts_at, ends_at, "
      "ends_at_is_timeout, generator_url, event_type, author, comment, at) "
      "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)");
  if (!st.ok()) return st.status();
  for (const SpoolEntry& e : entries) {
    bool alert = e.kind == SpoolEntry::Kind::kAlert;
    // An event keeps whom it concerns in the labels column and leaves the rest empty.
    Alert event_body;
    if (!alert) event_body.labels = e.event_labels;
    (*st)->Reset().Bind(1, e.source).Bind(2, int64_t{alert ? 0 : 1});
    BindAlertBody(**st, 3, alert ? e.alert : event_body);
    (*st)
        ->Bind(9, e.event_type)
        .Bind(10, e.author)
        .Bind(11, e.comment)
        .Bind(12, ToUnixMillis(alert ? e.alert.updated_at : e.at));
    if (Status s = Run(*st); !s.ok()) return s.Wrap("spool");
  }
  return tx.Commit().Wrap("spool");
}

Result<std::vector<SpoolEntry>> SqliteStore::ReadSpool(int limit) {
  std::lock_guard lock(mu_);
  return SelectAll<SpoolEntry>(
      "SELECT id, source, kind, labels, annotations, starts_at, ends_at, ends_at_is_timeout, "
      "generator_url, event_type, author, comment, at FROM spool ORDER BY id LIMIT ?1",
      [&](sqlite::Statement& st) { st.Bind(1, int64_t{limit}); },
      [&](const sqlite::Statement& row) -> Result<SpoolEntry> {
        SpoolEntry e;
        e.id = row.Int(0);
        e.source = row.Text(1);
        e.kind = row.Int(2) == 0 ? SpoolEntry::Kind::kAlert : SpoolEntry::Kind::kEvent;
        if (Status st = ReadAlertBody(row, 3, &e.alert); !st.ok()) return st;
        e.at = FromUnixMillis(row.Int(12));
        if (e.kind == SpoolEntry::Kind::kAlert) {
          e.alert.updated_at = e.at;
          e.alert.fingerprint = e.alert.labels.ComputeFingerprint();
        } else {
          e.event_labels = std::move(e.alert.labels);
          e.alert = Alert();
        }
        e.event_type = row.Text(9);
        e.author = row.Text(10);
        e.comment = row.Text(11);
        return e;
      },
      "read spool");
}

Result<std::vector<EventRecord>> SqliteStore::ListEvents(Timestamp since, int limit) {
  std::lock_guard lock(mu_);
  return SelectAll<EventRecord>(
      "SELECT source, type, labels, author, comment, at FROM events WHERE at >= ?1 "
      "ORDER BY at DESC, id DESC LIMIT ?2",
      [&](sqlite::Statement& st) { st.Bind(1, ToUnixMillis(since)).Bind(2, int64_t{limit}); },
      ReadEvent, "read events");
}

Status SqliteStore::PutSilence(const Silence& silence) {
  std::string matchers;
  for (const Matcher& m : silence.matchers) matchers += m.ToString() + "\n";
  std::lock_guard lock(mu_);
  auto st = db_->Prepare(
      "INSERT OR REPLACE INTO silences (id, matchers, starts_at, ends_at, created_by, comment, "
      "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!st.ok()) return st.status();
  (*st)
      ->Bind(1, silence.id)
      .Bind(2, matchers)
      .Bind(3, ToUnixMillis(silence.starts_at))
      .Bind(4, ToUnixMillis(silence.ends_at))
      .Bind(5, silence.created_by)
      .Bind(6, silence.comment)
      .Bind(7, ToUnixMillis(silence.updated_at));
  if (Status s = Run(*st); !s.ok()) return s.Wrap("store silence " + silence.id);
  return Status::Ok();
}

Result<std::vector<Silence>> SqliteStore::LoadSilences() {
  std::lock_guard lock(mu_);
  return SelectAll<Silence>(
      "SELECT id, matchers, starts_at, ends_at, created_by, comment, updated_at FROM silences "
      "ORDER BY id",
      [](sqlite::Statement&) {},
      [&](const sqlite::Statement& row) -> Result<Silence> {
        Silence silence;
        silence.id = row.Text(0);
        for (const std::string& line : SplitLines(row.Text(1))) {
          Result<Matcher> m = Matcher::Parse(line);
          if (!m.ok()) {
            return Status::Corruption(
                fmt::format("silence {}: {}", silence.id, m.status().message()));
          }
          silence.matchers.push_back(std::move(m).value());
        }
        silence.starts_at = FromUnixMillis(row.Int(2));
        silence.ends_at = FromUnixMillis(row.Int(3));
        silence.created_by = row.Text(4);
        silence.comment = row.Text(5);
        silence.updated_at = FromUnixMillis(row.Int(6));
        return silence;
      },
      "read silences");
}

Result<int64_t> SqliteStore::DeleteSilencesEndedBefore(Timestamp cutoff) {
  std::lock_guard lock(mu_);
  auto st = db_->Prepare("DELETE FROM silences WHERE ends_at < ?1");
  if (!st.ok()) return st.status();
  (*st)->Bind(1, ToUnixMillis(cutoff));
  if (Status s = Run(*st); !s.ok()) return s.Wrap("delete expired silences");
  return int64_t{sqlite3_changes(db_->raw())};
}

Result<std::vector<EpisodeRecord>> SqliteStore::ListEpisodes(Timestamp from, Timestamp to) {
  std::lock_guard lock(mu_);
  return SelectAll<EpisodeRecord>(
      "SELECT fingerprint, starts_at, ends_at, labels, annotations FROM episodes "
      "WHERE starts_at < ?2 AND (ends_at = 0 OR ends_at >= ?1) ORDER BY starts_at, fingerprint",
      [&](sqlite::Statement& st) { st.Bind(1, ToUnixMillis(from)).Bind(2, ToUnixMillis(to)); },
      [](const sqlite::Statement& row) -> Result<EpisodeRecord> {
        EpisodeRecord e;
        e.fingerprint = FpFromDb(row.Int(0));
        e.starts_at = FromUnixMillis(row.Int(1));
        e.ends_at = FromUnixMillis(row.Int(2));
        if (Status s = ReadLabels(row, 3, &e.labels); !s.ok()) return s;
        if (Status s = ReadLabels(row, 4, &e.annotations); !s.ok()) return s;
        return e;
      },
      "list episodes");
}

Result<std::vector<DeferredRecord>> SqliteStore::ListDeferred(Timestamp from, Timestamp to) {
  std::lock_guard lock(mu_);
  return SelectAll<DeferredRecord>(
      "SELECT group_key, receiver, fingerprint, labels, interval, first_at, last_at "
      "FROM deferred WHERE last_at >= ?1 AND last_at < ?2 "
      "ORDER BY last_at, group_key, fingerprint, interval",
      [&](sqlite::Statement& st) { st.Bind(1, ToUnixMillis(from)).Bind(2, ToUnixMillis(to)); },
      [](const sqlite::Statement& row) -> Result<DeferredRecord> {
        DeferredRecord d;
        d.group_key = row.Text(0);
        d.receiver = row.Text(1);
        d.fingerprint = FpFromDb(row.Int(2));
        if (Status s = ReadLabels(row, 3, &d.labels); !s.ok()) return s;
        d.interval = row.Text(4);
        d.first_at = FromUnixMillis(row.Int(5));
        d.last_at = FromUnixMillis(row.Int(6));
        return d;
      },
      "list deferred alerts");
}

Result<std::vector<EventRecord>> SqliteStore::ListEventsBetween(Timestamp from, Timestamp to) {
  std::lock_guard lock(mu_);
  return SelectAll<EventRecord>(
      "SELECT source, type, labels, author, comment, at FROM events "
      "WHERE at >= ?1 AND at < ?2 ORDER BY at, id",
      [&](sqlite::Statement& st) { st.Bind(1, ToUnixMillis(from)).Bind(2, ToUnixMillis(to)); },
      ReadEvent, "read events");
}

Status SqliteStore::PruneHistory(Timestamp cutoff) {
  std::lock_guard lock(mu_);
  sqlite::Transaction tx(*db_);
  if (Status s = tx.Begin(); !s.ok()) return s.Wrap("prune history");
  for (const char* sql :
       {"DELETE FROM episodes WHERE ends_at < ?1 AND ends_at <> 0",
        "DELETE FROM deferred WHERE last_at < ?1", "DELETE FROM events WHERE at < ?1"}) {
    auto st = db_->Prepare(sql);
    if (!st.ok()) return st.status().Wrap("prune history");
    (*st)->Bind(1, ToUnixMillis(cutoff));
    if (Status s = Run(*st); !s.ok()) return s.Wrap("prune history");
  }
  return tx.Commit().Wrap("prune history");
}

Result<std::vector<DigestState>> SqliteStore::LoadDigestStates() {
  std::lock_guard lock(mu_);
  return SelectAll<DigestState>(
      "SELECT name, last_run_at, window_start FROM digest_states ORDER BY name",
      [](sqlite::Statement&) {},
      [](const sqlite::Statement& row) -> Result<DigestState> {
        return DigestState{std::string(row.Text(0)), FromUnixMillis(row.Int(1)),
                           FromUnixMillis(row.Int(2))};
      },
      "load digest states");
}

Result<std::vector<EscalationRecord>> SqliteStore::LoadEscalations() {
  std::lock_guard lock(mu_);
  return SelectAll<EscalationRecord>(
      "SELECT group_key, policy, receiver, group_labels, episode, episode_started_at, firing, "
      "climb_started_at, next_step, repeats_sent, next_due_at, acked_at, acked_by, ack_comment, "
      "ack_via, thread_message_id, thread_subject FROM escalations ORDER BY group_key",
      [](sqlite::Statement&) {},
      [](const sqlite::Statement& row) -> Result<EscalationRecord> {
        EscalationRecord e;
        e.group_key = row.Text(0);
        e.policy = row.Text(1);
        e.receiver = row.Text(2);
        if (Status s = ReadLabels(row, 3, &e.group_labels); !s.ok()) return s;
        e.episode = row.Int(4);
        e.episode_started_at = FromUnixMillis(row.Int(5));
        e.firing = DecodeFps(row.Text(6));
        e.climb_started_at = FromUnixMillis(row.Int(7));
        e.next_step = static_cast<int>(row.Int(8));
        e.repeats_sent = static_cast<int>(row.Int(9));
        e.next_due_at = FromUnixMillis(row.Int(10));
        e.acked_at = FromUnixMillis(row.Int(11));
        e.acked_by = row.Text(12);
        e.ack_comment = row.Text(13);
        e.ack_via = row.Text(14);
        e.thread_message_id = row.Text(15);
        e.thread_subject = row.Text(16);
        return e;
      },
      "load escalations");
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                const SqliteOpenOptions& options) {
  auto db = sqlite::Db::Open(path);
  if (!db.ok()) return db.status();
  auto store = std::make_unique<SqliteStore>(std::move(db.value()));
  if (Status s = store->Init(path, options); !s.ok()) return s;
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace alertdigest
