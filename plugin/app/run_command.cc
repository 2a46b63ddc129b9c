// `alertdigest run` and `alertdigest preview`: events from a stream through the whole engine.
#include <fmt/format.h>

#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "app/commands.h"
#include "app/engine.h"
#include "core/crash_point.h"
#include "core/log.h"
#include "ingest/event_reader.h"

namespace alertdigest {
namespace {

constexpr int kExitRejected = 1;
constexpr int kExitUsage = 2;
constexpr int kExitUndelivered = 3;
constexpr int kExitStore = 4;

struct RunTally {
  size_t records = 0;
  size_t alerts = 0;
  size_t rejected = 0;
  size_t delivered = 0;
  size_t failed = 0;
  size_t dead = 0;
};

// Delivers what is due; prints the paths of delivered files. False when the store failed.
bool Deliver(Engine& engine, const RunOptions& options, std::ostream& out, RunTally* tally) {
  for (;;) {
    auto reports = engine.outbox().DeliverDue();
    if (!reports.ok()) {
      log::Error("outbox unusable", {{"err", reports.status().message()}});
      return false;
    }
    if (reports->empty()) return true;
    for (const DeliveryReport& r : *reports) {
      if (r.result.kind == DeliveryResult::Kind::kDelivered) {
        ++tally->delivered;
        if (!options.quiet_paths) out << r.result.detail << '\n';
      } else {
        ++tally->failed;
        tally->dead += r.dead;
      }
    }
    // Messages that failed transiently are not due again yet, so this loop ends.
  }
}

// Batches handed from the reader thread to the engine thread (--follow).
class BatchQueue {
 public:
  void Push(std::vector<Alert>&& batch) {
    std::lock_guard lock(mu_);
    batches_.push_back(std::move(batch));
    cv_.notify_one();
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    cv_.notify_one();
  }
  // Waits until a batch arrives, the queue closes, or `deadline`.
  std::vector<std::vector<Alert>> Wait(std::chrono::system_clock::time_point deadline,
                                       bool* closed) {
    std::unique_lock lock(mu_);
    cv_.wait_until(lock, deadline, [&] { return !batches_.empty() || closed_; });
    *closed = closed_ && batches_.empty();
    return std::exchange(batches_, {});
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::vector<Alert>> batches_;
  bool closed_ = false;
};

int FollowLoop(Engine& engine, EventReader& reader, std::istream& in, BatchQueue& queue,
               const SystemClock& clock, const RunOptions& options, std::ostream& out,
               RunTally* tally) {
  std::thread reader_thread([&] {
    tally->records = reader.ReadAll(in);
    queue.Close();
  });
  int code = 0;
  for (bool closed = false; !closed;) {
    Timestamp wake = clock.Now() + std::chrono::seconds(1);
    if (auto d = engine.dispatcher().NextDeadline()) wake = std::min(wake, *d);
    for (auto& batch : queue.Wait(wake, &closed)) {
      tally->alerts += batch.size();
      engine.dispatcher().Ingest(std::move(batch));
    }
    if (!engine.dispatcher().FlushDue().ok() || !Deliver(engine, options, out, tally)) {
      code = kExitStore;
      break;
    }
  }
  reader_thread.join();  // returns at EOF; on a store failure we still wait for it
  return code;
}

int Run(const RunOptions& options, std::ostream& out) {
  ConfigLoad load = LoadConfig(options.config_path);
  for (const ConfigError& w : load.warnings) std::cerr << "warning: " << w.ToString() << '\n';
  if (!load.errors.empty()) {
    for (const ConfigError& e : load.errors) std::cerr << e.ToString() << '\n';
    return kExitUsage;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (!options.input_path.empty() && options.input_path != "-") {
    file.open(options.input_path, std::ios::binary);
    if (!file) {
      std::cerr << fmt::format("alertdigest: cannot read {}\n", options.input_path);
      return kExitUsage;
    }
    in = &file;
  }

  SystemClock clock;
  std::vector<ConfigError> template_errors;
  auto engine = Engine::Create(load.config, clock, {options.storage_path, options.file_dir},
                               &template_errors);
  if (!engine.ok()) {
    for (const ConfigError& e : template_errors) std::cerr << e.ToString() << '\n';
    if (template_errors.empty()) std::cerr << "alertdigest: " << engine.status().message() << '\n';
    return template_errors.empty() ? kExitStore : kExitUsage;
  }
  Engine& eng = **engine;
  RunTally tally;

  // What a previous run left: due groups and undelivered mail go out first.
  if (!eng.dispatcher().FlushDue().ok() || !Deliver(eng, options, out, &tally)) return kExitStore;

  Status store_error;
  IngestOptions ingest;
  ingest.resolve_timeout = eng.config().defaults.resolve_timeout;
  auto on_reject = [&](const RejectedEvent& r) {
    ++tally.rejected;
    std::cerr << "rejected: " << r.ToString() << '\n';
  };
  int code = 0;
  if (options.follow) {
    ingest.hand_over_when_idle = true;
    BatchQueue queue;
    EventReader reader(clock, ingest, [&](std::vector<Alert>&& b) { queue.Push(std::move(b)); },
                       on_reject);
    code = FollowLoop(eng, reader, *in, queue, clock, options, out, &tally);
  } else {
    EventReader reader(
        clock, ingest,
        [&](std::vector<Alert>&& batch) {
          if (!store_error.ok()) return;
          tally.alerts += batch.size();
          eng.dispatcher().Ingest(std::move(batch));
          store_error = eng.dispatcher().Commit();
          CrashPoint("run.after-ingest-commit");
        },
        on_reject);
    tally.records = reader.ReadAll(*in);
  }
  if (!store_error.ok()) {
    std::cerr << "alertdigest: " << store_error.message() << '\n';
    return kExitStore;
  }
  if (code == 0) {
    // End of input: every group flushes now (the notification log still decides what is new).
    auto flushed = eng.dispatcher().FlushDue(/*all_now=*/true);
    if (!flushed.ok()) {
      std::cerr << "alertdigest: " << flushed.status().message() << '\n';
      return kExitStore;
    }
    if (!Deliver(eng, options, out, &tally)) code = kExitStore;
  }
  auto pending = eng.store().GetOutboxStats();
  int64_t still_queued = pending.ok() ? pending->pending : 0;
  const DispatcherStats& ds = eng.dispatcher().stats();
  out << fmt::format(
      "alertdigest: {} records, {} alerts ({} distinct), {} rejected; {} groups; {} emails "
      "queued, {} delivered, {} failed{}\n",
      tally.records, tally.alerts, eng.dispatcher().alert_count(), tally.rejected,
      eng.dispatcher().group_count(), ds.notifications_queued, tally.delivered, tally.failed,
      still_queued ? fmt::format(" ({} waiting for retry)", still_queued) : "");
  if (code) return code;
  if (tally.failed || still_queued || ds.flush_errors) return kExitUndelivered;
  if (tally.rejected) return kExitRejected;
  return 0;
}

}  // namespace

int RunCommand(const RunOptions& options, std::ostream& out) { return Run(options, out); }

int PreviewCommand(const RunOptions& options, std::ostream& out) {
  RunOptions preview = options;
  preview.storage_path = ":memory:";
  preview.follow = false;
  return Run(preview, out);
}

}  // namespace alertdigest
