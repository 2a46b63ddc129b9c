// WriteBatch: changes that must become durable together, applied by Store::Write in one
// transaction (leveldb's WriteBatch idea). A flush puts its outbox message, notification-log
// entry and group state into one batch, so a crash leaves either all of them or none.
//
// Thread-compatible. Later puts of the same key win.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/records.h"

namespace alertdigest {

class WriteBatch {
 public:
  void PutAlert(const Alert& a) { alerts_[a.fingerprint] = a; deleted_alerts_.erase(a.fingerprint); }
  void DeleteAlert(Fingerprint fp) { alerts_.erase(fp); deleted_alerts_.insert(fp); }
  // Writes the group row and replaces its member list.
  void PutGroup(const GroupRecord& g) { groups_[g.group_key] = g; deleted_groups_.erase(g.group_key); }
  void DeleteGroup(const std::string& key) { groups_.erase(key); deleted_groups_.insert(key); }
  void PutNflog(const NflogEntry& e) { nflog_.push_back(e); }
  void AddOutbox(OutboxMessage m) { outbox_.push_back(std::move(m)); }
  // Spool entries consumed by this batch (deleted in the same transaction as their effect).
  void DeleteSpooled(int64_t id) { spool_deletes_.push_back(id); }
  void AddEvent(EventRecord e) { events_.push_back(std::move(e)); }
  // Inserts or replaces the episode (fingerprint, starts_at).
  void PutEpisode(EpisodeRecord e) { episodes_[{e.fingerprint, e.starts_at}] = std::move(e); }
  void PutDigestState(DigestState d) { digest_states_[d.name] = std::move(d); }
  void PutEscalation(EscalationRecord e) {
    deleted_escalations_.erase(e.group_key);
    escalations_[e.group_key] = std::move(e);
  }
  void DeleteEscalation(const std::string& key) {
    escalations_.erase(key);
    deleted_escalations_.insert(key);
  }
  // Inserts, or for an existing (group, alert, interval) moves last_at forward (never back)
  // and takes this put's labels and receiver; first_at is kept.
  void PutDeferred(DeferredRecord d) { deferred_.push_back(std::move(d)); }

  bool empty() const {
    return alerts_.empty() && deleted_alerts_.empty() && groups_.empty() &&
           deleted_groups_.empty() && nflog_.empty() && outbox_.empty() && spool_deletes_.empty() &&
           events_.empty() && episodes_.empty() && digest_states_.empty() &&
           escalations_.empty() && deleted_escalations_.empty() && deferred_.empty();
  }
  size_t alert_count() const { return alerts_.size(); }
  const std::map<Fingerprint, Alert>& alerts() const { return alerts_; }
  const std::set<Fingerprint>& deleted_alerts() const { return deleted_alerts_; }
  const std::map<std::string, GroupRecord>& groups() const { return groups_; }
  const std::set<std::string>& deleted_groups() const { return deleted_groups_; }
  const std::vector<NflogEntry>& nflog() const { return nflog_; }
  const std::vector<OutboxMessage>& outbox() const { return outbox_; }
  const std::vector<int64_t>& spool_deletes() const { return spool_deletes_; }
  const std::vector<EventRecord>& events() const { return events_; }
  const std::map<std::pair<Fingerprint, Timestamp>, EpisodeRecord>& episodes() const {
    return episodes_;
  }
  const std::map<std::string, DigestState>& digest_states() const { return digest_states_; }
  const std::map<std::string, EscalationRecord>& escalations() const { return escalations_; }
  const std::set<std::string>& deleted_escalations() const { return deleted_escalations_; }
  const std::vector<DeferredRecord>& deferred() const { return deferred_; }
  void Clear() { *this = WriteBatch(); }

 private:
  std::map<Fingerprint, Alert> alerts_;
  std::set<Fingerprint> deleted_alerts_;
  std::map<std::string, GroupRecord> groups_;
  std::set<std::string> deleted_groups_;
  std::vector<NflogEntry> nflog_;
  std::vector<OutboxMessage> outbox_;
  std::vector<int64_t> spool_deletes_;
  std::vector<EventRecord> events_;
  std::map<std::pair<Fingerprint, Timestamp>, EpisodeRecord> episodes_;
  std::map<std::string, DigestState> digest_states_;
  std::map<std::string, EscalationRecord> escalations_;
  std::set<std::string> deleted_escalations_;
  std::vector<DeferredRecord> deferred_;
};

}  // namespace alertdigest
