#include "schedule/escalation_plan.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "schedule/rotation.h"

namespace alertdigest {
namespace {

constexpr std::string_view kRotationPrefix = "rotation:";

Timestamp LastStepDue(const EscalationPolicy& policy, const ClimbPosition& pos) {
  return pos.climb_start + policy.steps.back().after;
}

// The address without display name, lower case: "Ann <Ann@X.org>" → "ann@x.org".
std::string AddressKey(std::string_view address) {
  size_t lt = address.rfind('<');
  size_t gt = address.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt) {
    address = address.substr(lt + 1, gt - lt - 1);
  }
  while (!address.empty() && address.front() == ' ') address.remove_prefix(1);
  while (!address.empty() && address.back() == ' ') address.remove_suffix(1);
  std::string key(address);
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

}  // namespace

Timestamp NextDue(const EscalationPolicy& policy, const ClimbPosition& pos) {
  if (policy.steps.empty() || pos.climb_start == kNoTime) return kNoTime;
  const auto steps = static_cast<int>(policy.steps.size());
  if (pos.next_step < steps) {
    return pos.climb_start + policy.steps[static_cast<size_t>(std::max(pos.next_step, 0))].after;
  }
  if (!policy.repeat || policy.repeat->count() <= 0) return kNoTime;
  return LastStepDue(policy, pos) + *policy.repeat * (pos.repeats_sent + 1);
}

int TakeDueStep(const EscalationPolicy& policy, ClimbPosition& pos, Timestamp now) {
  const Timestamp due = NextDue(policy, pos);
  if (due == kNoTime || due > now) return -1;
  const auto steps = static_cast<int>(policy.steps.size());
  int step = std::max(pos.next_step, 0);
  if (step < steps) {
    // The latest step whose time has come; `after` rises strictly, so scan forward.
    while (step + 1 < steps && pos.climb_start + policy.steps[step + 1].after <= now) ++step;
    pos.next_step = step + 1;
    if (step + 1 < steps) return step;
  }
  // The last step (just now, or as a repeat): repeat slots up to `now` are used up.
  pos.next_step = steps;
  if (policy.repeat && policy.repeat->count() > 0) {
    const Duration since_last = now - LastStepDue(policy, pos);
    pos.repeats_sent = static_cast<int>(since_last / *policy.repeat);
  }
  return steps - 1;
}

std::vector<std::string> StepRecipients(const Config& config, const EscalationStep& step,
                                        Timestamp now) {
  std::vector<std::string> out;
  std::vector<std::string> keys;
  auto add = [&](const std::string& address) {
    if (address.empty()) return;
    std::string key = AddressKey(address);
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) return;
    keys.push_back(std::move(key));
    out.push_back(address);
  };
  for (const std::string& target : step.to) {
    if (!target.starts_with(kRotationPrefix)) {
      add(target);
      continue;
    }
    const Rotation* rotation = config.FindRotation(target.substr(kRotationPrefix.size()));
    if (rotation != nullptr) add(WhoIsOnCall(*rotation, now).member);
  }
  return out;
}

}  // namespace alertdigest
