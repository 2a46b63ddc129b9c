// `alertdigest run` and `alertdigest preview`: events from a stream through the whole engine.
#include <fmt/format.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "app/commands.h"
#include "app/engine.h"
#include "core/crash_point.h"
#include "core/log.h"
#include "ingest/event_reader.h"
#include "store/state_lock.h"

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

// --follow: batches handed from the reader thread, which may block on a quiet input for hours,
// to the engine thread, which must meanwhile fire timers. Bounded, so a fast producer waits
// instead of buffering. (Bulk input is ingested on the reading thread: handing batches across
// threads measured slower, as each alert is then freed in another malloc arena.)
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}
  // Blocks while the queue is full; drops the batch once the consumer has abandoned it.
  void Push(std::vector<Alert>&& batch) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return batches_.size() < capacity_ || abandoned_; });
    if (abandoned_) return;
    batches_.push_back(std::move(batch));
    not_empty_.notify_one();
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_one();
  }
  // The consumer gives up (the store failed): the producer stops waiting.
  void Abandon() {
    std::lock_guard lock(mu_);
    abandoned_ = true;
    not_full_.notify_all();
  }
  // Waits until a batch arrives, the queue closes, or `deadline`. *done: closed and drained.
  std::vector<std::vector<Alert>> Wait(std::chrono::system_clock::time_point deadline,
                                       bool* done) {
    std::unique_lock lock(mu_);
    not_empty_.wait_until(lock, deadline, [&] { return !batches_.empty() || closed_; });
    *done = closed_ && batches_.empty();
    not_full_.notify_all();
    return std::exchange(batches_, {});
  }

 private:
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::vector<std::vector<Alert>> batches_;
  size_t capacity_;
  bool closed_ = false;
  bool abandoned_ = false;
};

// Everything --follow's reader thread touches. The thread co-owns it: when the store fails, Run()
// returns without waiting for a live input to end (the thread may block on it for hours), so
// nothing the thread can still reach may live in Run()'s frame.
struct FollowInput {
  FollowInput(IngestOptions ingest, std::ifstream&& input_file, std::istream* input)
      : file(std::move(input_file)),
        in(input == &std::cin ? input : &file),
        reader(clock, ingest, [this](std::vector<Alert>&& b) { queue.Push(std::move(b)); },
               [this](const RejectedEvent& r) {
                 ++rejected;
                 std::cerr << "rejected: " << r.ToString() << '\n';
               }) {}

  SystemClock clock;
  BatchQueue queue{/*capacity=*/8};
  std::atomic<size_t> rejected = 0;
  size_t records = 0;  // written by the thread before queue.Close()
  std::ifstream file;  // the input, unless it is std::cin
  std::istream* in;
  EventReader reader;
};

// Ingests one batch and commits it: from here on its alerts are accepted.
bool AcceptBatch(Engine& engine, std::vector<Alert>&& batch, RunTally* tally) {
  tally->alerts += batch.size();
  engine.dispatcher().Ingest(std::move(batch));
  if (Status s = engine.dispatcher().Commit(); !s.ok()) {
    std::cerr << "alertdigest: " << s.message() << '\n';
    return false;
  }
  CrashPoint("run.after-ingest-commit");
  return true;
}

// --follow's engine thread: accept batches as they come; flush and deliver on real timers.
int FollowLoop(Engine& engine, BatchQueue& queue, const SystemClock& clock,
               const RunOptions& options, std::ostream& out, RunTally* tally) {
  for (bool done = false; !done;) {
    Timestamp wake = clock.Now() + std::chrono::seconds(1);
    if (auto d = engine.NextDeadline()) wake = std::min(wake, *d);
    for (auto& batch : queue.Wait(wake, &done)) {
      if (!AcceptBatch(engine, std::move(batch), tally)) return kExitStore;
    }
    if (!engine.RunDue().ok() || !Deliver(engine, options, out, tally)) {
      return kExitStore;
    }
  }
  return 0;
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

  // One owner per state file: a `serve` or another `run` on it would send the same mail. Held
  // until after the engine (declared first, destroyed last).
  auto state_lock = StateLock::Acquire(options.storage_path.empty() ? load.config->storage.path
                                                                    : options.storage_path);
  if (!state_lock.ok()) {
    std::cerr << "alertdigest: " << state_lock.status().message() << '\n';
    return kExitStore;
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
  if (!eng.RunDue().ok() || !Deliver(eng, options, out, &tally)) return kExitStore;

  IngestOptions ingest;
  ingest.resolve_timeout = eng.config().defaults.resolve_timeout;
  ingest.hand_over_when_idle = options.follow;
  std::atomic<size_t> rejected = 0;  // counted on the reading thread
  auto on_reject = [&](const RejectedEvent& r) {
    ++rejected;
    std::cerr << "rejected: " << r.ToString() << '\n';
  };
  if (options.follow) {
    auto follow = std::make_shared<FollowInput>(ingest, std::move(file), in);
    std::thread reader_thread([follow] {
      follow->records = follow->reader.ReadAll(*follow->in);
      follow->queue.Close();
    });
    if (int code = FollowLoop(eng, follow->queue, clock, options, out, &tally); code != 0) {
      // The store failed: nothing more can be accepted. Don't wait for a live input to end; the
      // thread keeps `follow` alive for as long as it runs.
      follow->queue.Abandon();
      reader_thread.detach();
      return code;
    }
    reader_thread.join();
    tally.records = follow->records;
    rejected += follow->rejected;
  } else {
    bool store_ok = true;
    EventReader reader(
        clock, ingest,
        [&](std::vector<Alert>&& b) { store_ok = store_ok && AcceptBatch(eng, std::move(b), &tally); },
        on_reject);
    tally.records = reader.ReadAll(*in);
    if (!store_ok) return kExitStore;
  }
  tally.rejected = rejected;
  int code = 0;
  // End of input: every group flushes now (the notification log still decides what is new).
  auto flushed = eng.RunDue(/*all_now=*/true);
  if (!flushed.ok()) {
    std::cerr << "alertdigest: " << flushed.status().message() << '\n';
    return kExitStore;
  }
  if (!Deliver(eng, options, out, &tally)) code = kExitStore;
  if (const auto& pause = eng.outbox().pause()) {
    std::cerr << "alertdigest: sending paused: " << pause->reason << '\n';
    if (!pause->hint.empty()) std::cerr << "  what to do: " << pause->hint << '\n';
    std::cerr << "  nothing is lost: the messages stay queued in " << eng.config().storage.path
              << " and go out on the next run\n";
  }
  auto pending = eng.store().GetOutboxStats();
  int64_t still_queued = pending.ok() ? pending->pending : 0;
  const DispatcherStats& ds = eng.dispatcher().stats();
  out << fmt::format(
      "alertdigest: {} records, {} alerts ({} distinct), {} rejected; {} groups; {} emails "
      "queued, {} delivered, {} failed{}\n",
      tally.records, tally.alerts, eng.dispatcher().alert_count(), tally.rejected,
      eng.dispatcher().group_count(), eng.mails_queued(), tally.delivered, tally.failed,
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
