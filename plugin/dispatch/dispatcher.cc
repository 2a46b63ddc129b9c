#include "dispatch/dispatcher.h"

#include <algorithm>

#include "core/log.h"
#include "dispatch/route_matcher.h"

namespace alertdigest {
namespace {

// Resolved alerts stay known this long after their end, so Prometheus' re-sends of a resolved
// alert (it keeps sending them for 15 minutes) are recognised and never re-announced.
constexpr Duration kResolvedRetention = std::chrono::hours(1);
constexpr Duration kGcInterval = std::chrono::minutes(1);

void IndexRoutes(const Route& r, std::map<std::string, const Route*>* out) {
  out->emplace(r.key, &r);  // the first of two same-keyed siblings wins, as in the walk
  for (const Route& c : r.routes) IndexRoutes(c, out);
}

bool InsertSorted(std::vector<Fingerprint>* v, Fingerprint fp) {
  auto it = std::lower_bound(v->begin(), v->end(), fp);
  if (it != v->end() && *it == fp) return false;
  v->insert(it, fp);
  return true;
}

bool Contains(const std::vector<Fingerprint>& v, Fingerprint fp) {
  return std::binary_search(v.begin(), v.end(), fp);
}

// The history row of `a`'s episode; its end is recorded once it is in the past.
EpisodeRecord EpisodeOf(const Alert& a, Timestamp now) {
  return {a.fingerprint, a.starts_at, a.ResolvedAt(now) ? a.ends_at : kNoTime, a.labels,
          a.annotations};
}

}  // namespace

Dispatcher::Dispatcher(const Config& config, Store& store, const Clock& clock,
                       const Pipeline& pipeline, NotificationLog& log)
    : config_(config), store_(store), clock_(clock), pipeline_(pipeline), log_(log) {
  IndexRoutes(config_.route, &routes_by_key_);
}

Status Dispatcher::Load() {
  Timestamp now = clock_.Now();
  auto alerts = store_.LoadAlerts();
  if (!alerts.ok()) return alerts.status();
  auto groups = store_.LoadGroups();
  if (!groups.ok()) return groups.status();
  auto nflog = store_.LoadNflog();
  if (!nflog.ok()) return nflog.status();
  log_.Load(std::move(nflog.value()));

  for (GroupRecord& rec : groups.value()) {
    auto route = routes_by_key_.find(rec.route_key);
    if (route == routes_by_key_.end()) {
      // Its route is gone from the config: the members are routed afresh below.
      log::Warn("dropping group of a removed route", {{"group", rec.group_key}});
      dirty_groups_.insert(rec.group_key);
      continue;
    }
    std::string key = rec.group_key;
    Group& g = groups_[key];
    g.route = route->second;
    g.record = std::move(rec);
    timers_.insert({g.record.next_flush_at, key});
  }
  for (Alert& a : alerts.value()) {
    auto [it, inserted] = alerts_.try_emplace(a.fingerprint);
    it->second.stored_ends_at = a.ends_at;
    it->second.stored = true;
    if (inserted) it->second.alert = std::move(a);
  }
  for (auto& [fp, e] : alerts_) {
    // Firing alerts that belong to no group (config changed) are routed again.
    if (!e.alert.ResolvedAt(now) && !IsMemberAnywhere(fp)) {
      AddToGroups(e, now);
    } else {
      ComputeRouting(e);
    }
  }
  log::Info("state loaded",
            {{"alerts", alerts_.size()}, {"groups", groups_.size()}, {"log_entries", log_.size()}});
  return Commit();
}

bool Dispatcher::RoutingLess::operator()(
    const std::vector<std::pair<const Route*, std::string>>& a,
    const std::vector<std::pair<const Route*, std::string>>& b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](const auto& x, const auto& y) {
                                        if (x.first != y.first)
                                          return std::less<const Route*>()(x.first, y.first);
                                        return x.second < y.second;
                                      });
}

const Alert* Dispatcher::Table::Find(Fingerprint fp) const {
  auto it = entries_.find(fp);
  return it == entries_.end() ? nullptr : &it->second.alert;
}

void Dispatcher::Table::ForEach(const std::function<void(const Alert&)>& f) const {
  for (const auto& [fp, e] : entries_) f(e.alert);
}

void Dispatcher::ComputeRouting(AlertEntry& e) {
  if (e.routing != nullptr) return;
  std::vector<std::pair<const Route*, std::string>> groups;
  for (const Route* r : MatchRoutes(config_.route, e.alert.labels))
    groups.emplace_back(r, GroupKey(*r, GroupLabelsFor(*r, e.alert.labels)));
  auto it = routings_.try_emplace(std::move(groups), 0).first;
  ++it->second;
  e.routing = &*it;
}

void Dispatcher::ReleaseRouting(AlertEntry& e) {
  if (e.routing == nullptr) return;
  if (--e.routing->second == 0) routings_.erase(routings_.find(e.routing->first));
  e.routing = nullptr;
}

bool Dispatcher::IsMemberAnywhere(Fingerprint fp) const {
  auto it = alerts_.find(fp);
  if (it == alerts_.end() || it->second.routing == nullptr) {
    for (const auto& [key, g] : groups_) {
      if (Contains(g.record.members, fp)) return true;
    }
    return false;
  }
  for (const auto& [route, key] : it->second.routing->first) {
    auto g = groups_.find(key);
    if (g != groups_.end() && Contains(g->second.record.members, fp)) return true;
  }
  return false;
}

void Dispatcher::Ingest(std::vector<Alert>&& alerts) {
  Timestamp now = clock_.Now();
  for (Alert& incoming : alerts) {
    ++stats_.alerts_received;
    Fingerprint fp = incoming.fingerprint;
    auto [it, inserted] = alerts_.try_emplace(fp);
    AlertEntry& entry = it->second;
    bool already_resolved = false;
    if (inserted) {
      entry.alert = std::move(incoming);
      dirty_alerts_.insert(fp);
      pending_episodes_.push_back(EpisodeOf(entry.alert, now));
    } else {
      const Alert& stored = entry.alert;
      Alert merged = MergeIncoming(stored, std::move(incoming));
      // A re-send of an alert we already know as resolved must not re-announce it.
      already_resolved =
          stored.ResolvedAt(now) && merged.ResolvedAt(now) && merged.starts_at == stored.starts_at;
      // History: a new episode (the old one's end is final now), or a resolve.
      if (merged.starts_at != stored.starts_at) {
        EpisodeRecord old = EpisodeOf(stored, now);
        old.ends_at = std::min(stored.ends_at == kNoTime ? now : stored.ends_at, now);
        pending_episodes_.push_back(std::move(old));
        pending_episodes_.push_back(EpisodeOf(merged, now));
      } else if (!stored.ResolvedAt(now) && merged.ResolvedAt(now)) {
        pending_episodes_.push_back(EpisodeOf(merged, now));
      }
      if (NeedsWrite(entry, merged, now)) dirty_alerts_.insert(fp);
      entry.alert = std::move(merged);
    }
    if (!already_resolved) AddToGroups(entry, now);
  }
}

bool Dispatcher::NeedsWrite(const AlertEntry& entry, const Alert& after, Timestamp now) const {
  const Alert& before = entry.alert;
  if (after.starts_at != before.starts_at ||
      after.ends_at_is_timeout != before.ends_at_is_timeout ||
      after.generator_url != before.generator_url || !(after.annotations == before.annotations)) {
    return true;
  }
  if (after.ends_at == before.ends_at) return false;
  if (!entry.stored) return true;  // not written yet
  // An end that moves earlier (a resolve) or is already past is written at once.
  if (after.ends_at < entry.stored_ends_at || after.ends_at <= now) return true;
  return entry.stored_ends_at - now < (after.ends_at - now) / 2;
}

void Dispatcher::AddToGroups(AlertEntry& e, Timestamp now) {
  if (e.joined) return;  // the common case: a re-send
  ComputeRouting(e);
  e.joined = true;
  const Alert& a = e.alert;
  for (const auto& [route, key] : e.routing->first) {
    if (IsDigestReceiver(route->receiver)) continue;  // collected by the digest, never grouped
    auto [it, created] = groups_.try_emplace(key);
    Group& g = it->second;
    if (created) {
      g.route = route;
      g.record.group_key = key;
      g.record.receiver = route->receiver;
      g.record.route_key = route->key;
      g.record.group_labels = GroupLabelsFor(*route, a.labels);
      Schedule(g, now + route->group_wait);
    }
    if (InsertSorted(&g.record.members, a.fingerprint)) dirty_groups_.insert(key);
    // Alertmanager: an alert older than group_wait flushes a not-yet-flushed group at once.
    if (!g.record.has_flushed && a.starts_at + route->group_wait < now &&
        g.record.next_flush_at > now) {
      Schedule(g, now);
    }
  }
}

void Dispatcher::Schedule(Group& g, Timestamp at) {
  timers_.erase({g.record.next_flush_at, g.record.group_key});
  g.record.next_flush_at = at;
  timers_.insert({at, g.record.group_key});
  dirty_groups_.insert(g.record.group_key);
}

bool Dispatcher::HasUncommitted() const {
  return !dirty_alerts_.empty() || !dirty_groups_.empty() || !pending_episodes_.empty();
}

void Dispatcher::AddUncommitted(WriteBatch& b) const {
  for (const EpisodeRecord& e : pending_episodes_) b.PutEpisode(e);
  for (Fingerprint fp : dirty_alerts_) {
    auto it = alerts_.find(fp);
    if (it != alerts_.end())
      b.PutAlert(it->second.alert);
    else
      b.DeleteAlert(fp);
  }
  for (const std::string& key : dirty_groups_) {
    auto it = groups_.find(key);
    if (it != groups_.end())
      b.PutGroup(it->second.record);
    else
      b.DeleteGroup(key);
  }
}

Status Dispatcher::Commit(WriteBatch b) {
  if (!HasUncommitted() && b.empty()) return Status::Ok();
  AddUncommitted(b);
  Status s = store_.Write(b);
  if (!s.ok()) return s;
  MarkCommitted();
  return Status::Ok();
}

void Dispatcher::MarkCommitted() {
  for (Fingerprint fp : dirty_alerts_) {
    auto it = alerts_.find(fp);
    if (it == alerts_.end()) continue;
    it->second.stored_ends_at = it->second.alert.ends_at;
    it->second.stored = true;
  }
  dirty_alerts_.clear();
  dirty_groups_.clear();
  pending_episodes_.clear();
}

Result<int> Dispatcher::FlushDue(bool all_now) {
  Timestamp now = clock_.Now();
  std::vector<std::pair<std::string, bool>> due;  // key, forced
  for (const auto& [at, key] : timers_) {
    if (at <= now)
      due.emplace_back(key, false);
    else if (all_now)
      due.emplace_back(key, true);
    else
      break;
  }
  int queued = 0;
  if (!due.empty()) pipeline_.Prepare(table_, now);
  for (const auto& [key, forced] : due) {
    // The pending ingest rides along with the first flush: one transaction, one fsync, for a
    // new alert and the notification it makes due at once (group_wait 0). If that flush fails,
    // the ingest is committed alone; if even that fails, stop: the groups stay due.
    const bool carries_ingest = HasUncommitted();
    Status s = FlushGroup(key, now, forced, &queued);  // logged, counted in stats().flush_errors
    if (!s.ok() && carries_ingest && HasUncommitted()) {
      if (Status c = Commit(); !c.ok()) return c;
    }
  }
  if (last_gc_ == kNoTime || now - last_gc_ >= kGcInterval || all_now) CollectGarbage(now);
  if (Status s = Commit(); !s.ok()) return s;
  return queued;
}

Status Dispatcher::FlushGroup(const std::string& key, Timestamp now, bool forced, int* queued) {
  Group& g = groups_.at(key);
  const Route& route = *g.route;
  Timestamp next = (forced ? now : g.record.next_flush_at) + route.group_interval;
  if (next <= now) next = now + route.group_interval;

  WriteBatch batch;
  const bool carries_ingest = HasUncommitted();
  if (carries_ingest) AddUncommitted(batch);  // first, so the flush's own writes win
  FlushContext ctx;
  ctx.route = &route;
  ctx.receiver = g.record.receiver;
  ctx.group_key = key;
  ctx.group_labels = g.record.group_labels;
  ctx.now = now;
  ctx.batch = &batch;
  for (Fingerprint fp : g.record.members) {
    auto it = alerts_.find(fp);
    if (it != alerts_.end()) ctx.alerts.push_back(it->second.alert);
  }
  ++stats_.flushes;
  auto outcome = pipeline_.Run(ctx);
  if (!outcome.ok()) {
    ++stats_.flush_errors;
    log::Error("flush failed; retrying at the next tick",
               {{"group", key}, {"receiver", ctx.receiver}, {"err", outcome.status().message()}});
    Schedule(g, next);
    return outcome.status().Wrap("flush group " + key);
  }

  // Resolved alerts leave the group once the flush went through (Alertmanager does the same).
  GroupRecord updated = g.record;
  updated.has_flushed = true;
  updated.next_flush_at = next;
  std::vector<Fingerprint> left;
  for (const Alert& a : ctx.alerts) {
    if (!a.ResolvedAt(now)) continue;
    auto it = std::lower_bound(updated.members.begin(), updated.members.end(), a.fingerprint);
    if (it != updated.members.end() && *it == a.fingerprint) {
      updated.members.erase(it);
      left.push_back(a.fingerprint);
    }
  }
  bool empty = updated.members.empty();
  if (empty)
    batch.DeleteGroup(key);
  else
    batch.PutGroup(updated);
  if (Status s = store_.Write(batch); !s.ok()) {
    ++stats_.flush_errors;
    if (carries_ingest) return s;  // (FlushDue stops; the group stays due)
    log::Error("flush not committed; retrying at the next tick",
               {{"group", key}, {"err", s.message()}});
    Schedule(g, next);
    return s.Wrap("commit flush of group " + key);
  }
  if (carries_ingest) MarkCommitted();
  log_.ApplyCommitted(batch);
  pipeline_.Committed(batch);
  for (Fingerprint fp : left) {
    if (auto it = alerts_.find(fp); it != alerts_.end()) it->second.joined = false;
  }
  if (ctx.email) {
    ++*queued;
    ++stats_.notifications_queued;
    log::Info("notification queued", {{"group", key},
                                      {"receiver", ctx.receiver},
                                      {"reason", std::string(NotifyReasonText(ctx.reason))},
                                      {"alerts", static_cast<int64_t>(ctx.alerts.size())},
                                      {"message_id", ctx.email->message_id}});
  }
  timers_.erase({g.record.next_flush_at, key});
  if (empty) {
    groups_.erase(key);
  } else {
    g.record = std::move(updated);
    timers_.insert({next, key});
  }
  return Status::Ok();
}

void Dispatcher::CollectGarbage(Timestamp now) {
  last_gc_ = now;
  for (auto it = alerts_.begin(); it != alerts_.end();) {
    const Alert& a = it->second.alert;
    if (a.ResolvedAt(now) && a.ends_at + kResolvedRetention <= now &&
        !IsMemberAnywhere(it->first)) {
      dirty_alerts_.insert(it->first);
      pending_episodes_.push_back(EpisodeOf(a, now));  // its end, final now
      ReleaseRouting(it->second);
      it = alerts_.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<Timestamp> Dispatcher::NextDeadline() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first;
}

}  // namespace alertdigest
