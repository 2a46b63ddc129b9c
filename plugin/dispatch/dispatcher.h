// Dispatcher: the engine. Merges incoming alerts into the alert table, routes them into
// aggregation groups, keeps each group's timer (group_wait, then every group_interval) on the
// injected Clock, and flushes due groups through the notification pipeline.
//
// State: the working set lives in memory; every change is written to the Store before it is
// acted upon. Ingest() buffers changes; Commit() makes them durable (an alert is "accepted" once
// committed); a flush commits its outbox message, log entry and group state in one transaction.
// After a restart, Load() rebuilds the same groups with the same timers.
//
// Thread-compatible: call from one thread (the engine thread). Virtual time: tests advance a
// ManualClock and call FlushDue(); nothing here sleeps.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "config/config.h"
#include "core/alert_table.h"
#include "core/clock.h"
#include "pipeline/notification_log.h"
#include "pipeline/stage.h"
#include "store/store.h"

namespace alertdigest {

struct DispatcherStats {
  int64_t alerts_received = 0;
  int64_t flushes = 0;
  int64_t notifications_queued = 0;
  int64_t flush_errors = 0;
};

class Dispatcher {
 public:
  // All references must outlive the dispatcher. `pipeline` reads `log`.
  Dispatcher(const Config& config, Store& store, const Clock& clock, const Pipeline& pipeline,
             NotificationLog& log);
  Dispatcher(const Dispatcher&) = delete;  // alerts() refers to its own table
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Loads alerts, groups and the notification log from the store. Call once, before the rest.
  Status Load();

  // Merges finalized alerts (Alertmanager's merge rule) and routes new ones into groups.
  void Ingest(std::vector<Alert>&& alerts);
  // Writes what Ingest() buffered, together with `also` (e.g. the spool entries the ingested
  // alerts came from), in one transaction. On error nothing of the buffer is lost; call again.
  Status Commit(WriteBatch also = {});

  // Flushes every group whose timer is due now; with `all_now`, every group regardless of its
  // timer (end of input in `alertdigest run`). Pending ingest is committed with the first flush
  // (one transaction), or at the end when nothing is due. Returns the number of mails queued; a
  // failing flush is logged, counted in stats().flush_errors and retried at the group's next
  // tick. Errors only when the store cannot commit pending ingest (then no group was flushed
  // since, and the due ones stay due).
  Result<int> FlushDue(bool all_now = false);

  // When the earliest group timer fires, if any group exists.
  std::optional<Timestamp> NextDeadline() const;

  // The alert table (firing and recently resolved alerts), for the API, escalations and digests.
  // The reference stays valid (and current) for the dispatcher's lifetime.
  const AlertTable& alerts() const { return table_; }
  const Config& config() const { return config_; }

  size_t alert_count() const { return alerts_.size(); }
  size_t group_count() const { return groups_.size(); }
  const DispatcherStats& stats() const { return stats_; }

 private:
  struct Group {
    GroupRecord record;
    const Route* route = nullptr;
  };

  // An alert's routing: the routes its labels lead to and its group key in each. Interned: all
  // alerts with the same routing (typically a whole group) share one, counted by `second`, and
  // the last alert to go drops it. It names groups by key, so it stays valid while its groups
  // are removed (emptied) and created again.
  struct RoutingLess {
    bool operator()(const std::vector<std::pair<const Route*, std::string>>& a,
                    const std::vector<std::pair<const Route*, std::string>>& b) const;
  };
  using RoutingTable =
      std::map<std::vector<std::pair<const Route*, std::string>>, size_t, RoutingLess>;
  using Routing = RoutingTable::value_type;

  // One per known alert: the alert and the dispatcher's bookkeeping of it.
  struct AlertEntry {
    AlertEntry() = default;
    AlertEntry(const AlertEntry&) = delete;  // holds a counted reference to its routing
    AlertEntry& operator=(const AlertEntry&) = delete;

    Alert alert;
    // The end the alert has in the store, when `stored`. A re-send that only pushes a soft end
    // further out is written lazily: only once the stored end has less than half of the new
    // lifetime left, so after a crash every alert still looks firing at least that long (ample
    // for Prometheus, which re-sends every minute with a four-minute end).
    Timestamp stored_ends_at = kNoTime;
    // Computed once (null until then).
    Routing* routing = nullptr;
    bool stored = false;
    // A member of all the groups of its routing now: a re-send skips the group work entirely
    // (a flush that drops the alert from a group clears it).
    bool joined = false;
  };

  // The alert table as readers see it.
  class Table final : public AlertTable {
   public:
    explicit Table(const std::unordered_map<Fingerprint, AlertEntry>& entries)
        : entries_(entries) {}
    const Alert* Find(Fingerprint fp) const override;
    size_t size() const override { return entries_.size(); }
    void ForEach(const std::function<void(const Alert&)>& f) const override;

   private:
    const std::unordered_map<Fingerprint, AlertEntry>& entries_;
  };

  // Computes (once) the entry's routing.
  void ComputeRouting(AlertEntry& e);
  void ReleaseRouting(AlertEntry& e);
  // Adds the entry's alert to every group its routes lead to; creates groups as needed.
  void AddToGroups(AlertEntry& e, Timestamp now);
  bool IsMemberAnywhere(Fingerprint fp) const;
  // Whether the merged alert must be written now (see AlertEntry::stored_ends_at).
  bool NeedsWrite(const AlertEntry& entry, const Alert& after, Timestamp now) const;
  void Schedule(Group& g, Timestamp at);
  // What Ingest() and the timers changed since the last commit: whether there is any, adding it
  // to a batch, and forgetting it once that batch is written.
  bool HasUncommitted() const;
  void AddUncommitted(WriteBatch& b) const;
  void MarkCommitted();
  Status FlushGroup(const std::string& key, Timestamp now, bool forced, int* queued);
  void CollectGarbage(Timestamp now);

  const Config& config_;
  Store& store_;
  const Clock& clock_;
  const Pipeline& pipeline_;
  NotificationLog& log_;
  std::map<std::string, const Route*> routes_by_key_;

  RoutingTable routings_;
  std::unordered_map<Fingerprint, AlertEntry> alerts_;
  Table table_{alerts_};
  std::map<std::string, Group> groups_;
  std::set<std::pair<Timestamp, std::string>> timers_;
  // Changed since the last Commit(); written from memory at Commit() time, so a re-sent alert
  // costs one row per commit, not one per receipt.
  std::unordered_set<Fingerprint> dirty_alerts_;
  std::set<std::string> dirty_groups_;
  // History rows (episode starts and ends) to write with the next Commit().
  std::vector<EpisodeRecord> pending_episodes_;
  Timestamp last_gc_ = kNoTime;
  DispatcherStats stats_;
};

}  // namespace alertdigest
