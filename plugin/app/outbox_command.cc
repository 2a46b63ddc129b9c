// `alertdigest outbox list|retry`: what waits, what died and why; send a dead letter again.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>

#include "app/commands.h"
#include "config/config.h"
#include "store/store.h"

namespace alertdigest {
namespace {

std::string Join(const std::vector<std::string>& v) {
  return fmt::format("{}", fmt::join(v, ", "));
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& config_path) {
  ConfigLoad load = LoadConfig(config_path);
  if (!load.errors.empty()) {
    for (const ConfigError& e : load.errors) std::cerr << e.ToString() << '\n';
    return Status::InvalidArgument("configuration has errors");
  }
  return OpenSqliteStore(load.config->storage.path);
}

}  // namespace

int OutboxCommand(const std::string& config_path, const std::string& action, int64_t id,
                  std::ostream& out) {
  auto store = OpenStore(config_path);
  if (!store.ok()) {
    std::cerr << "alertdigest outbox: " << store.status().message() << '\n';
    return store.status().code() == Status::Code::kInvalidArgument ? 2 : 4;
  }
  Store& s = **store;
  if (action == "retry") {
    Status st =
        s.Requeue(id, std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now()));
    if (!st.ok()) {
      std::cerr << "alertdigest outbox retry: " << st.message() << '\n';
      return st.code() == Status::Code::kNotFound ? 1 : 4;
    }
    out << fmt::format("message {} is queued again; the next run (or the daemon) sends it\n", id);
    return 0;
  }
  auto stats = s.GetOutboxStats();
  auto pending = s.ListOutbox(OutboxState::kPending, 50);
  auto dead = s.ListOutbox(OutboxState::kDead, 50);
  auto refused = s.ListDeadRecipients(50);
  if (!stats.ok() || !pending.ok() || !dead.ok() || !refused.ok()) {
    std::cerr << "alertdigest outbox: cannot read the outbox\n";
    return 4;
  }
  out << fmt::format("outbox: {} pending, {} sent, {} dead", stats->pending, stats->sent,
                     stats->dead);
  if (stats->pending) out << ", oldest pending since " << FormatRfc3339(stats->oldest_pending);
  out << '\n';
  for (const OutboxMessage& m : *pending) {
    out << fmt::format("  pending {:>6}  {}  to {}  attempts {}  next {}{}\n", m.id, m.subject,
                       Join(m.recipients), m.attempts, FormatRfc3339(m.next_attempt_at),
                       m.last_error.empty() ? "" : "  last error: " + m.last_error);
  }
  for (const OutboxMessage& m : *dead) {
    out << fmt::format("  dead    {:>6}  {}  to {}  after {} attempts: {}\n", m.id, m.subject,
                       Join(m.recipients), m.attempts, m.last_error);
  }
  for (const DeadRecipient& r : *refused) {
    out << fmt::format("  refused {:>6}  {} at {}: {}\n", r.outbox_id, r.recipient,
                       FormatRfc3339(r.at), r.error);
  }
  if (stats->dead || !refused->empty())
    out << "retry one with: alertdigest outbox retry -c " << config_path << " ID\n";
  return 0;
}

}  // namespace alertdigest
