#include "config/inhibit_rule_parser.h"

#include <fmt/format.h>

namespace alertdigest::config_internal {

void InhibitRuleParser::Parse(TomlReader& file_root, std::vector<InhibitRule>& out) {
  const toml::array* arr = file_root.TableArray("inhibit_rule");
  if (!arr) return;
  for (size_t i = 0; i < arr->size(); ++i) {
    TomlReader r(*arr->get(i)->as_table(), fmt::format("inhibit_rule[{}]", i), file_root.file(),
                 diag_);
    InhibitRule rule;
    rule.where = r.Where();
    bool ok = ParseMatchers(r, "source_matchers", rule.source_matchers);
    ok = ParseMatchers(r, "target_matchers", rule.target_matchers) && ok;
    bool has_equal = r.Node("equal") != nullptr;
    if (auto items = r.StringList("equal")) {
      for (const ListItem& item : *items) {
        if (IsValidLabelName(item.value)) {
          rule.equal.push_back(item.value);
        } else {
          diag_.Error(item.where, item.key_path, fmt::format("bad label name \"{}\"", item.value));
          ok = false;
        }
      }
    } else if (has_equal) {
      ok = false;
    }
    r.ReportUnknownKeys();
    if (ok) out.push_back(std::move(rule));
  }
}

bool InhibitRuleParser::ParseMatchers(TomlReader& r, std::string_view key,
                                      std::vector<Matcher>& out) {
  bool present = r.Node(key) != nullptr;
  auto items = r.StringList(key);
  if (!items) {
    if (!present) r.Error(key, "missing: an inhibit rule needs at least one matcher on each side");
    return false;
  }
  if (items->empty()) {
    r.Error(key, "must not be empty: an inhibit rule needs at least one matcher on each side");
    return false;
  }
  bool ok = true;
  for (const ListItem& item : *items) {
    Result<Matcher> m = Matcher::Parse(item.value);
    if (m.ok()) {
      out.push_back(std::move(m.value()));
    } else {
      diag_.Error(item.where, item.key_path, m.status().message());
      ok = false;
    }
  }
  return ok;
}

}  // namespace alertdigest::config_internal
