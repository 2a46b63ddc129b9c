// Store: the durable state (alerts, aggregation groups, notification log, outbox, spool,
// silences, the history digests read — alert episodes, deferred holds, events — and the digest
// and escalation state) behind an interface, so a shared PostgreSQL backend can follow
// (DESIGN.md §8). SqliteStore is the one implementation today.
//
// Guarantees: Write() is atomic and durable when it returns ok (SQLite WAL, synchronous=FULL).
// A store that cannot be read is reported as Status::Corruption and never overwritten.
// Thread-safety: all methods may be called from any thread (calls are serialised internally).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/records.h"
#include "store/write_batch.h"

namespace alertdigest {

class Store {
 public:
  virtual ~Store() = default;

  virtual Status Write(const WriteBatch& batch) = 0;

  // Everything the engine needs in memory at start.
  virtual Result<std::vector<Alert>> LoadAlerts() = 0;
  virtual Result<std::vector<GroupRecord>> LoadGroups() = 0;
  virtual Result<std::vector<NflogEntry>> LoadNflog() = 0;

  // Outbox: pending messages whose next attempt is due at `now`, oldest first.
  virtual Result<std::vector<OutboxMessage>> DueOutbox(Timestamp now, int limit) = 0;
  // The earliest next attempt of any pending message, or kNoTime when none is pending.
  virtual Result<Timestamp> NextOutboxAttempt() = 0;
  // Marks delivered messages sent, in one transaction (the worker groups them).
  virtual Status MarkSent(const std::vector<int64_t>& ids, Timestamp at) = 0;
  // Records a failed attempt: either schedules the next one or, when `dead`, dead-letters it.
  virtual Status MarkFailed(int64_t id, Timestamp next_attempt, const std::string& error,
                            bool dead) = 0;
  virtual Result<OutboxStats> GetOutboxStats() = 0;

  // Delivered to some recipients: the message stays pending for `recipients` only.
  virtual Status RetryRecipients(int64_t id, const std::vector<std::string>& recipients,
                                 Timestamp next_attempt, const std::string& error) = 0;
  // Recipients refused for good, kept as dead letters (each with the server's reply).
  virtual Status AddDeadRecipients(const std::vector<DeadRecipient>& recipients) = 0;
  // Messages marked sent at or after `since` (the daily budget's rolling window).
  virtual Result<int64_t> CountSentSince(Timestamp since) = 0;
  // For `alertdigest outbox list`: messages (without their data) in `state`, newest first.
  virtual Result<std::vector<OutboxMessage>> ListOutbox(OutboxState state, int limit) = 0;
  virtual Result<std::vector<DeadRecipient>> ListDeadRecipients(int limit) = 0;
  // For `alertdigest outbox retry ID`: a dead message goes back to pending; a sent message with
  // dead recipients is queued again for those recipients only. NotFound when there is nothing
  // to retry under that id.
  virtual Status Requeue(int64_t id, Timestamp at) = 0;

  // The spool: another process (the Nagios command) appends in one durable commit; the daemon
  // reads it and deletes what it consumed in the batch that applies it (WriteBatch).
  virtual Status AppendSpool(const std::vector<SpoolEntry>& entries) = 0;
  virtual Result<std::vector<SpoolEntry>> ReadSpool(int limit) = 0;
  // Recorded events, newest first (digests, escalation).
  virtual Result<std::vector<EventRecord>> ListEvents(Timestamp since, int limit) = 0;

  // Silences: PutSilence inserts or replaces the silence with s.id (durable on return);
  // LoadSilences returns all of them, expired ones included, ordered by id. Corruption when a
  // stored matcher no longer parses. DeleteSilencesEndedBefore removes silences whose ends_at
  // is before `cutoff` (retention GC) and returns how many went.
  virtual Status PutSilence(const Silence& silence) = 0;
  virtual Result<std::vector<Silence>> LoadSilences() = 0;
  virtual Result<int64_t> DeleteSilencesEndedBefore(Timestamp cutoff) = 0;

  // History for digests. ListEpisodes: episodes overlapping [from, to) — started before `to`
  // and not ended before `from` (an unknown end counts as open) — oldest start first.
  // ListDeferred: holds whose last_at is in [from, to), oldest first. ListEventsBetween: events
  // with `at` in [from, to), oldest first.
  virtual Result<std::vector<EpisodeRecord>> ListEpisodes(Timestamp from, Timestamp to) = 0;
  virtual Result<std::vector<DeferredRecord>> ListDeferred(Timestamp from, Timestamp to) = 0;
  virtual Result<std::vector<EventRecord>> ListEventsBetween(Timestamp from, Timestamp to) = 0;
  // Retention, in one transaction: deletes episodes whose end is known and before `cutoff` (an
  // unknown end stays), deferred holds whose last_at is before it and events whose `at` is
  // before it. Digest and escalation state is not history: it stays.
  virtual Status PruneHistory(Timestamp cutoff) = 0;

  // Loaded once at start (dispatch/digest_scheduler.h, dispatch/escalator.h): every row, in
  // name / group key order.
  virtual Result<std::vector<DigestState>> LoadDigestStates() = 0;
  virtual Result<std::vector<EscalationRecord>> LoadEscalations() = 0;
};

struct SqliteOpenOptions {
  // Reads every page first (PRAGMA quick_check, about a second per GB), so that a file damaged
  // anywhere is refused before anything is written to it. For the long-lived owners (serve,
  // run); the Nagios command, which opens the state for every notification, skips it.
  bool check_integrity = false;
};

// Opens (creating if missing) the SQLite database at `path` (":memory:" for a private in-memory
// one). A file an older alertdigest wrote is upgraded in place, in one transaction; a current
// one is only read. Errors, each naming the file: IoError when it can't be opened; Unavailable
// when another process holds a write lock on it for more than 5 s; Corruption when it is not an
// alertdigest database, is damaged (garbage, truncated, or a bad page found by
// check_integrity), or was written by a newer alertdigest (the file is left untouched).
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                const SqliteOpenOptions& options = {});

}  // namespace alertdigest
