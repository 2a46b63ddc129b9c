// `alertdigest routes show|test`: the routing tree as loaded, and where a given alert would go.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <iostream>

#include "app/commands.h"
#include "config/config.h"
#include "dispatch/route_matcher.h"
#include "schedule/cron_schedule.h"
#include "schedule/escalation_plan.h"
#include "mute/inhibitor.h"
#include "mute/silencer.h"
#include "mute/time_interval.h"
#include "store/store.h"

namespace alertdigest {
namespace {

std::string Join(const std::vector<std::string>& v) {
  return fmt::format("{}", fmt::join(v, ", "));
}

std::string MatchersText(const Route& r) {
  std::vector<std::string> parts;
  for (const Matcher& m : r.matchers) parts.push_back(m.ToString());
  return "{" + Join(parts) + "}";
}

std::string Options(const Route& r) {
  std::string out = fmt::format(
      "receiver={} group_by=[{}] group_wait={} group_interval={} "
      "repeat_interval={}",
      r.receiver, r.group_by_all ? "..." : Join(r.group_by), FormatDuration(r.group_wait),
      FormatDuration(r.group_interval), FormatDuration(r.repeat_interval));
  if (!r.send_resolved) out += " send_resolved=false";
  if (r.continue_matching) out += " continue=true";
  if (!r.mute_time_intervals.empty()) out += " mute=[" + Join(r.mute_time_intervals) + "]";
  if (!r.active_time_intervals.empty()) out += " active=[" + Join(r.active_time_intervals) + "]";
  if (!r.escalation.empty()) out += " escalation=" + r.escalation;
  return out;
}

void PrintTree(const Route& r, const std::string& prefix, bool last, bool root, std::ostream& out) {
  std::string where = r.where.line ? fmt::format("  ({}:{})", r.where.file, r.where.line) : "";
  if (root) {
    out << fmt::format("{} {}{}\n", MatchersText(r), Options(r), where);
  } else {
    out << fmt::format("{}{} {} {}{}\n", prefix, last ? "└─" : "├─", MatchersText(r), Options(r),
                       where);
  }
  std::string child_prefix = root ? "" : prefix + (last ? "   " : "│  ");
  for (size_t i = 0; i < r.routes.size(); ++i)
    PrintTree(r.routes[i], child_prefix, i + 1 == r.routes.size(), false, out);
}

// "  digest  daily-ops: 0 8 * * 1-5 (Europe/Berlin) to team, next 2026-11-30T07:00:00Z"
void PrintDigest(const DigestRule& d, Timestamp now, std::ostream& out) {
  const date::time_zone* zone = FindZone(d.timezone);
  Timestamp next = zone ? NextRun(d.schedule, zone, now) : kNoTime;
  out << fmt::format("  digest    {}: \"{}\" ({}) to {}, next {}\n", d.name, d.schedule.text(),
                     d.timezone, d.receiver, next == kNoTime ? "never" : FormatRfc3339(next));
}

}  // namespace

int RoutesCommand(const std::string& config_path, const std::string& action,
                  const std::vector<std::string>& label_args, std::ostream& out) {
  ConfigLoad load = LoadConfig(config_path);
  if (!load.errors.empty()) {
    for (const ConfigError& e : load.errors) std::cerr << e.ToString() << '\n';
    return 2;
  }
  const Config& cfg = *load.config;
  if (action == "show") {
    PrintTree(cfg.route, "", true, true, out);
    return 0;
  }
  LabelSet labels;
  for (const std::string& arg : label_args) {
    auto eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    if (eq == std::string::npos || !IsValidLabelName(name)) {
      std::cerr << fmt::format("alertdigest routes test: \"{}\" is not label=value\n", arg);
      return 2;
    }
    labels.Set(name, arg.substr(eq + 1));
  }
  labels.Normalize(/*drop_empty_values=*/true);
  if (labels.empty()) {
    std::cerr << "alertdigest routes test: give the alert's labels, e.g. alertname=DiskFull "
                 "severity=critical\n";
    return 2;
  }
  Timestamp now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  out << "alert " << labels.ToString() << " (fingerprint " << labels.ComputeFingerprint().ToHex()
      << ")\n";
  // What would hold it back now: silences and inhibiting alerts from the state file (read
  // only), time intervals from the config.
  Alert probe;
  probe.labels = labels;
  probe.Finalize(now, cfg.defaults.resolve_timeout);
  Inhibitor inhibitor(cfg.inhibit_rules);
  Silencer silencer;
  std::string state_note;
  if (cfg.storage.path != ":memory:" && std::filesystem::exists(cfg.storage.path)) {
    if (auto store = OpenSqliteStore(cfg.storage.path); store.ok()) {
      AlertMap table;
      if (auto alerts = (*store)->LoadAlerts(); alerts.ok())
        for (Alert& a : *alerts) table.alerts.emplace(a.fingerprint, std::move(a));
      inhibitor.Index(table, now);
      if (auto silences = (*store)->LoadSilences(); silences.ok()) silencer.Replace(*silences);
    } else {
      state_note = "  (state file unreadable: " + store.status().message() + ")\n";
    }
  }
  if (auto by = inhibitor.InhibitedBy(probe))
    out << "  inhibited now by alert " << by->ToHex() << '\n';
  for (const std::string& id : silencer.SilencedBy(labels, now))
    out << "  silenced now by " << id << '\n';
  out << state_note;
  auto intervals = TimeIntervalSet::Create(cfg.time_intervals);
  for (const Route* r : MatchRoutes(cfg.route, labels)) {
    out << fmt::format("→ route {}\n", r->key);
    if (IsDigestReceiver(r->receiver)) {
      std::string name = r->receiver.substr(kDigestReceiverPrefix.size());
      out << fmt::format("  receiver  {} (no group notifications: collected for the digest)\n",
                         r->receiver);
      if (const DigestRule* d = cfg.FindDigest(name)) PrintDigest(*d, now, out);
      continue;
    }
    std::string group_key = GroupKey(*r, GroupLabelsFor(*r, labels));
    out << fmt::format("  receiver  {}", r->receiver);
    if (const Receiver* rec = cfg.FindReceiver(r->receiver)) {
      std::vector<std::string> to = rec->to;
      for (const auto& c : rec->cc) to.push_back("cc " + c);
      for (const auto& b : rec->bcc) to.push_back("bcc " + b);
      out << " (" << Join(to) << ")";
    }
    out << fmt::format("\n  group     {}  (X-Alertdigest-Group: {})\n", group_key,
                       HashHex(group_key));
    out << fmt::format("  timers    group_wait={} group_interval={} repeat_interval={}{}\n",
                       FormatDuration(r->group_wait), FormatDuration(r->group_interval),
                       FormatDuration(r->repeat_interval),
                       r->send_resolved ? "" : " send_resolved=false");
    if (!r->mute_time_intervals.empty()) {
      bool muted = intervals.ok() && intervals->AnyContains(r->mute_time_intervals, now);
      out << "  muted during  " << Join(r->mute_time_intervals)
          << (muted ? "  — MUTED NOW" : "  — not now") << '\n';
    }
    if (!r->active_time_intervals.empty()) {
      bool active = intervals.ok() && intervals->AnyContains(r->active_time_intervals, now);
      out << "  active only during  " << Join(r->active_time_intervals)
          << (active ? "  — active now" : "  — INACTIVE NOW: held back") << '\n';
    }
    if (const EscalationPolicy* policy = cfg.FindEscalation(r->escalation)) {
      out << "  escalation  " << policy->name << '\n';
      for (size_t i = 0; i < policy->steps.size(); ++i) {
        out << fmt::format("    step {} after {}: {}\n", i + 1,
                           FormatDuration(policy->steps[i].after),
                           Join(StepRecipients(cfg, policy->steps[i], now)));
      }
      if (policy->repeat) out << "    then step " << policy->steps.size() << " every "
                              << FormatDuration(*policy->repeat) << " until acknowledged\n";
      if (policy->ack_timeout)
        out << "    an acknowledgement lasts " << FormatDuration(*policy->ack_timeout) << '\n';
    }
  }
  for (const DigestRule& d : cfg.digests) {
    if (d.matchers.empty() || !MatchesAll(d.matchers, labels)) continue;
    out << "→ also in digest " << d.name << " (by its matchers)\n";
    PrintDigest(d, now, out);
  }
  return 0;
}

}  // namespace alertdigest
