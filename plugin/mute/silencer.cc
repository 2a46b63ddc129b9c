#include "mute/silencer.h"

#include <fmt/format.h>

#include <algorithm>
#include <random>

namespace alertdigest {

SilenceState StateAt(const Silence& silence, Timestamp now) {
  if (now < silence.starts_at) return SilenceState::kPending;
  if (now < silence.ends_at) return SilenceState::kActive;
  return SilenceState::kExpired;
}

const char* SilenceStateName(SilenceState state) {
  switch (state) {
    case SilenceState::kPending:
      return "pending";
    case SilenceState::kActive:
      return "active";
    case SilenceState::kExpired:
      return "expired";
  }
  return "expired";
}

Status Validate(const Silence& silence) {
  if (silence.matchers.empty()) return Status::InvalidArgument("silence has no matchers");
  // Alertmanager refuses a silence every one of whose matchers an alert without those labels
  // satisfies: it would mute everything.
  if (std::all_of(silence.matchers.begin(), silence.matchers.end(),
                  [](const Matcher& m) { return m.MatchesValue(""); })) {
    return Status::InvalidArgument(
        "silence would match all alerts: at least one matcher must not match the empty string");
  }
  if (silence.ends_at <= silence.starts_at)
    return Status::InvalidArgument("silence ends at or before it starts");
  if (silence.created_by.empty())
    return Status::InvalidArgument("silence needs createdBy (who set it)");
  if (silence.comment.empty())
    return Status::InvalidArgument("silence needs a comment (why it was set)");
  return Status::Ok();
}

std::string NewSilenceId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  uint64_t hi = rng(), lo = rng();
  hi = (hi & ~uint64_t{0xF000}) | 0x4000;                      // version 4
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);  // variant 10xx
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                     hi & 0xFFFF, lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

void Silencer::Replace(std::vector<Silence> silences) { silences_ = std::move(silences); }

std::vector<std::string> Silencer::SilencedBy(const LabelSet& labels, Timestamp now) const {
  std::vector<std::string> ids;
  for (const Silence& s : silences_) {
    if (StateAt(s, now) == SilenceState::kActive && !s.matchers.empty() &&
        MatchesAll(s.matchers, labels))
      ids.push_back(s.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace alertdigest
