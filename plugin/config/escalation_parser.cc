#include "config/escalation_parser.h"

#include <fmt/format.h>

#include <optional>

#include "config/receiver_parser.h"

namespace alertdigest::config_internal {

void EscalationParser::Parse(TomlReader& file_root, std::vector<EscalationPolicy>& out) {
  const toml::array* arr = file_root.TableArray("escalation");
  if (!arr) return;
  for (size_t i = 0; i < arr->size(); ++i) {
    TomlReader r(*arr->get(i)->as_table(), fmt::format("escalation[{}]", i), file_root.file(),
                 diag_);
    EscalationPolicy policy;
    policy.where = r.Where();
    if (std::optional<std::string> name = names_.Claim(r)) policy.name = *name;
    ParseSteps(r, policy.steps);
    policy.repeat = r.PositiveDurOrNone("repeat");
    policy.ack_timeout = r.PositiveDurOrNone("ack_timeout");
    r.ReportUnknownKeys();
    out.push_back(std::move(policy));
  }
}

void EscalationParser::ParseSteps(TomlReader& r, std::vector<EscalationStep>& out) {
  const toml::node* node = r.Node("steps");
  if (!node) {
    r.Error(
        "steps",
        "missing (at least one step, e.g. [{ after = \"0m\", to = [\"oncall@example.com\"] }])");
    return;
  }
  const toml::array* arr = node->as_array();
  if (!arr) {
    r.Error("steps", TomlReader::TypeMismatch("a list of { after, to } tables", *node));
    return;
  }
  if (arr->empty()) {
    r.Error("steps", "must not be empty (an escalation needs at least one step)");
    return;
  }
  std::optional<Duration> previous;  // the last readable `after`
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::node& e = *arr->get(i);
    std::string path = fmt::format("{}[{}]", r.PathOf("steps"), i);
    const toml::table* t = e.as_table();
    if (!t) {
      diag_.Error(r.At(e), path,
                  TomlReader::TypeMismatch(
                      "a table like { after = \"15m\", to = [\"lead@example.com\"] }", e));
      continue;
    }
    TomlReader step_reader(*t, path, r.file(), diag_);
    EscalationStep step;
    if (std::optional<Duration> after = step_reader.Dur("after")) {
      if (previous && *after <= *previous) {
        step_reader.Error("after", fmt::format("must be later than the previous step ({})",
                                               FormatDuration(*previous)));
      }
      step.after = *after;
      previous = *after;
    } else if (!step_reader.Node("after")) {
      step_reader.Error("after", "missing (how long after the start, e.g. \"0m\")");
    }
    ParseTargets(step_reader, step);
    step_reader.ReportUnknownKeys();
    out.push_back(std::move(step));
  }
}

void EscalationParser::ParseTargets(TomlReader& r, EscalationStep& out) {
  std::optional<std::vector<ListItem>> items = r.StringList("to");
  if (!items) {
    if (!r.Node("to")) r.Error("to", "missing (addresses or \"rotation:<name>\")");
    return;
  }
  if (items->empty()) {
    r.Error("to", "must not be empty (addresses or \"rotation:<name>\")");
    return;
  }
  for (ListItem& item : *items) {
    if (item.value.starts_with(kRotationTargetPrefix)) {
      ListItem ref = item;
      ref.value = item.value.substr(kRotationTargetPrefix.size());
      if (ref.value.empty()) {
        diag_.Error(item.where, item.key_path,
                    "\"rotation:\" needs a rotation name (\"rotation:db-primary\")");
        continue;
      }
      rotation_refs_.push_back(std::move(ref));
    } else if (Status st = ValidateAddress(item.value); !st.ok()) {
      diag_.Error(item.where, item.key_path, st.message());
      continue;
    }
    out.to.push_back(std::move(item.value));
  }
}

void EscalationParser::AddNames(DefinedNames& names) const { names_.AddTo(names.escalations); }

void EscalationParser::CheckReferences(const DefinedNames& names) {
  for (const ListItem& ref : rotation_refs_) CheckDefined(diag_, ref, "rotation", names.rotations);
}

}  // namespace alertdigest::config_internal
