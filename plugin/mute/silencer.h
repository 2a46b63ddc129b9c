// Silences, as Alertmanager has them: a silence mutes every alert whose labels all of its
// matchers match (a missing label matches as ""), while it is active — from starts_at
// (inclusive) until ends_at (exclusive). Expiring a silence sets its ends_at to now; it is kept,
// expired, for a retention time (kSilenceRetention) so that listings still show it.
//
// Thread-safety: Silencer is thread-compatible — const methods may run concurrently, Replace()
// needs exclusive access (keep one per engine thread). The free functions are thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/label_set.h"
#include "core/status.h"
#include "core/time.h"
#include "store/records.h"

namespace alertdigest {

// Alertmanager's default --data.retention: expired silences are garbage-collected after this.
inline constexpr Duration kSilenceRetention = std::chrono::hours(120);

enum class SilenceState { kPending, kActive, kExpired };

SilenceState StateAt(const Silence& silence, Timestamp now);
// "pending", "active", "expired" (the API's status.state).
const char* SilenceStateName(SilenceState state);

// Whether the silence may be stored, with Alertmanager's rules. Errors (InvalidArgument):
//   "silence has no matchers"
//   "silence would match all alerts: at least one matcher must not match the empty string"
//   "silence ends at or before it starts"   (ends_at <= starts_at)
//   "silence needs createdBy (who set it)"
//   "silence needs a comment (why it was set)"
Status Validate(const Silence& silence);

// A fresh random UUID v4 ("3f9c…-4…-[89ab]…"), 36 characters, for a new silence.
std::string NewSilenceId();

class Silencer {
 public:
  // Takes the silences to match against (all of them; only active ones ever match).
  void Replace(std::vector<Silence> silences);

  // The ids of the silences active at `now` that mute `labels`, sorted; empty when none does.
  std::vector<std::string> SilencedBy(const LabelSet& labels, Timestamp now) const;

  const std::vector<Silence>& silences() const { return silences_; }

 private:
  std::vector<Silence> silences_;
};

}  // namespace alertdigest
