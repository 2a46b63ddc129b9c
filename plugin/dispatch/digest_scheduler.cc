#include "dispatch/digest_scheduler.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/log.h"
#include "dispatch/escalator.h"
#include "dispatch/route_matcher.h"
#include "pipeline/outbox_stage.h"
#include "schedule/cron_schedule.h"

namespace alertdigest {
namespace {

constexpr Duration kRetryAfterFailure = std::chrono::minutes(1);
constexpr Duration kPruneInterval = std::chrono::hours(1);
constexpr size_t kNoisiestShown = 10;

bool Includes(const LabelSet& labels, const LabelSet& subset) {
  for (LabelView l : subset) {
    if (labels.Get(l.name) != l.value) return false;
  }
  return true;
}

// What the window saw of one alert (all its episodes that overlap the window).
struct AlertInWindow {
  std::optional<DigestEntry> last_fired;     // latest episode that started in the window
  std::optional<DigestEntry> last_resolved;  // latest episode that ended in the window
  std::optional<DigestEntry> open;           // the episode still open at the window's end
  int fired = 0;                             // episodes that started in the window
};

template <typename Compare>
void SortBy(std::vector<DigestEntry>& v, Compare less) {
  std::sort(v.begin(), v.end(), less);
}

std::vector<DigestCount> Top(const std::map<std::string, int64_t>& counts) {
  std::vector<DigestCount> out;
  for (const auto& [what, n] : counts) out.push_back({what, n});
  std::sort(out.begin(), out.end(), [](const DigestCount& a, const DigestCount& b) {
    return a.count != b.count ? a.count > b.count : a.what < b.what;
  });
  if (out.size() > kNoisiestShown) out.resize(kNoisiestShown);
  return out;
}

}  // namespace

DigestScheduler::DigestScheduler(const Config& config, Store& store, const Clock& clock,
                                 const EmailRenderer& renderer, const AlertTable& alerts)
    : config_(config), store_(store), clock_(clock), renderer_(renderer), alerts_(alerts) {}

Status DigestScheduler::Load() {
  auto loaded = store_.LoadDigestStates();
  if (!loaded.ok()) return loaded.status();
  std::map<std::string, DigestState> states;
  for (DigestState& s : *loaded) states[s.name] = std::move(s);
  const Timestamp now = clock_.Now();
  WriteBatch fresh;
  for (const DigestRule& rule : config_.digests) {
    Scheduled s;
    s.rule = &rule;
    s.zone = FindZone(rule.timezone);  // checked at config load
    if (auto it = states.find(rule.name); it != states.end()) {
      s.state = it->second;
    } else {
      s.state = {rule.name, now, now};  // the first window starts now
      fresh.PutDigestState(s.state);
    }
    s.next_run = s.zone ? NextRun(rule.schedule, s.zone, s.state.last_run_at) : kNoTime;
    rules_.push_back(std::move(s));
  }
  return fresh.empty() ? Status::Ok() : store_.Write(fresh);
}

std::optional<Timestamp> DigestScheduler::NextDeadline() const {
  std::optional<Timestamp> next;
  for (const Scheduled& s : rules_) {
    if (s.next_run != kNoTime && (!next || s.next_run < *next)) next = s.next_run;
  }
  return next;
}

Duration DigestScheduler::HistoryRetention() const {
  Duration keep = kMinHistoryRetention;
  for (const DigestRule& rule : config_.digests) {
    if (rule.window) keep = std::max(keep, *rule.window + std::chrono::hours(24));
  }
  return keep;
}

Result<int> DigestScheduler::RunDue() {
  const Timestamp now = clock_.Now();
  int queued = 0;
  for (Scheduled& s : rules_) {
    if (s.next_run == kNoTime || s.next_run > now) continue;
    if (Status st = RunRule(s, now, &queued); !st.ok()) return st;
  }
  if (last_prune_ == kNoTime || now - last_prune_ >= kPruneInterval) {
    last_prune_ = now;
    if (Status st = store_.PruneHistory(now - HistoryRetention()); !st.ok())
      log::Error("cannot prune history", {{"err", st.message()}});
  }
  return queued;
}

Status DigestScheduler::RunRule(Scheduled& s, Timestamp now, int* queued) {
  const DigestRule& rule = *s.rule;
  // The latest scheduled time that has come: after downtime, the missed runs collapse into one.
  Timestamp at = std::max(PreviousRun(rule.schedule, s.zone, now), s.next_run);
  Timestamp from = rule.window ? at - *rule.window : s.state.window_start;
  auto report = BuildReport(rule, from, at);
  if (!report.ok()) return report.status();
  report->generated_at = now;
  report->late = now - at >= kLateAfter;

  WriteBatch b;
  bool send = !report->empty() || rule.send_empty;
  std::string message_id;
  if (send) {
    auto email = renderer_.RenderDigest(*report);
    if (!email.ok()) {
      log::Error("digest failed to render; retrying in a minute",
                 {{"digest", rule.name}, {"err", email.status().message()}});
      s.next_run = now + kRetryAfterFailure;
      return Status::Ok();
    }
    message_id = email->message_id;
    b.AddOutbox(ToOutbox(*email, EmailKind::kDigest, std::string(kDigestReceiverPrefix) + rule.name,
                         rule.receiver, now));
  }
  DigestState next{rule.name, at, at};
  b.PutDigestState(next);
  if (Status st = store_.Write(b); !st.ok()) return st.Wrap("commit digest " + rule.name);
  s.state = next;
  s.next_run = NextRun(rule.schedule, s.zone, at);
  if (send) ++*queued;
  log::Info(send ? "digest queued" : "digest skipped: nothing happened",
            {{"digest", rule.name}, {"scheduled", FormatRfc3339(at)}, {"late", report->late},
             {"fired", static_cast<int64_t>(report->fired.size())},
             {"open", static_cast<int64_t>(report->open.size())},
             {"resolved", static_cast<int64_t>(report->resolved.size())},
             {"message_id", message_id}});
  return Status::Ok();
}

bool DigestScheduler::Belongs(const DigestRule& rule, const LabelSet& labels) const {
  if (!rule.matchers.empty() && MatchesAll(rule.matchers, labels)) return true;
  for (const Route* r : MatchRoutes(config_.route, labels)) {
    if (IsDigestReceiver(r->receiver) &&
        std::string_view(r->receiver).substr(kDigestReceiverPrefix.size()) == rule.name)
      return true;
  }
  return false;
}

Result<DigestReport> DigestScheduler::BuildReport(const DigestRule& rule, Timestamp from,
                                                  Timestamp to) const {
  DigestReport report;
  report.rule = rule.name;
  report.receiver = rule.receiver;
  report.timezone = rule.timezone;
  report.window_start = from;
  report.window_end = to;
  report.generated_at = to;
  report.flapping_threshold = rule.flapping_threshold;

  auto episodes = store_.ListEpisodes(from, to);
  if (!episodes.ok()) return episodes.status().Wrap("read alert history");
  std::map<Fingerprint, AlertInWindow> seen;
  for (EpisodeRecord& e : *episodes) {
    if (!Belongs(rule, e.labels)) continue;
    Timestamp end = e.ends_at;
    if (end == kNoTime) {  // the alert table knows the end the history has not recorded yet
      const Alert* a = alerts_.Find(e.fingerprint);
      if (a != nullptr && a->starts_at == e.starts_at && a->ResolvedAt(to)) end = a->ends_at;
    }
    const bool open = end == kNoTime || end >= to;
    DigestEntry entry{e.fingerprint, std::move(e.labels), std::move(e.annotations), e.starts_at,
                      open ? kNoTime : end, 1};
    AlertInWindow& w = seen[e.fingerprint];
    if (e.starts_at >= from) {
      ++w.fired;
      w.last_fired = entry;
    }
    if (open) w.open = entry;
    else if (end >= from) w.last_resolved = entry;
  }

  std::map<std::string, int64_t> by_name, by_labels;
  for (auto& [fp, w] : seen) {
    // Captured by value: clang before 16 cannot capture a structured binding.
    auto counted = [fired = w.fired](DigestEntry e) {
      e.fired_count = fired;
      return e;
    };
    if (w.last_fired) {
      report.fired.push_back(counted(*w.last_fired));
      by_name[std::string(w.last_fired->labels.Get("alertname"))] += w.fired;
      by_labels[w.last_fired->labels.ToString()] += w.fired;
      if (w.fired > rule.flapping_threshold) report.flapping.push_back(counted(*w.last_fired));
    }
    if (w.open) report.open.push_back(counted(*w.open));
    if (w.last_resolved) report.resolved.push_back(counted(*w.last_resolved));
  }
  SortBy(report.fired, [](const DigestEntry& a, const DigestEntry& b) {
    return a.starts_at > b.starts_at;
  });
  SortBy(report.open, [](const DigestEntry& a, const DigestEntry& b) {
    return a.starts_at < b.starts_at;
  });
  SortBy(report.resolved, [](const DigestEntry& a, const DigestEntry& b) {
    return a.ends_at > b.ends_at;
  });
  SortBy(report.flapping, [](const DigestEntry& a, const DigestEntry& b) {
    return a.fired_count > b.fired_count;
  });
  report.noisiest_alertnames = Top(by_name);
  report.noisiest_label_sets = Top(by_labels);

  auto events = store_.ListEventsBetween(from, to);
  if (!events.ok()) return events.status().Wrap("read events");
  for (EventRecord& ev : *events) {
    // Events about alerts of this digest: by the rule itself, or naming a reported alert.
    bool about = Belongs(rule, ev.labels);
    for (const auto& [fp, w] : seen) {
      if (about) break;
      const DigestEntry* any = w.last_fired ? &*w.last_fired
                               : w.open     ? &*w.open
                                            : &*w.last_resolved;
      about = !ev.labels.empty() && Includes(any->labels, ev.labels);
    }
    if (!about) continue;
    report.events.push_back({std::move(ev.type), std::move(ev.source), std::move(ev.labels),
                             std::move(ev.author), std::move(ev.comment), ev.at});
  }

  auto deferred = store_.ListDeferred(from, to);
  if (!deferred.ok()) return deferred.status().Wrap("read deferred alerts");
  for (DeferredRecord& d : *deferred) {
    if (!Belongs(rule, d.labels)) continue;
    report.deferred.push_back(
        {std::move(d.labels), std::move(d.receiver), std::move(d.interval), d.first_at, d.last_at});
  }
  return report;
}

}  // namespace alertdigest
