#include "config/inactive_sections.h"

#include <fmt/format.h>

namespace alertdigest::config_internal {

void InactiveSections::Parse(TomlReader& file_root) {
  static constexpr std::string_view kKinds[] = {"digest", "escalation", "rotation"};
  for (std::string_view kind : kKinds) {
    const toml::array* arr = file_root.TableArray(kind);
    if (!arr || arr->empty()) continue;
    std::string k(kind);
    if (warned_.insert(k).second) {
      diag_.Warning(file_root.At(*arr->get(0)), k, "not active in this version yet; ignored");
    }
    for (size_t i = 0; i < arr->size(); ++i) {
      // Only `name` is read; the rest is not interpreted yet, so it is not flagged as unknown.
      TomlReader r(*arr->get(i)->as_table(), fmt::format("{}[{}]", kind, i), file_root.file(),
                   diag_);
      std::optional<std::string> name = r.String("name");
      if (!name) {
        if (!r.Node("name"))
          r.Error("name", fmt::format("missing (each [[{}]] needs a name)", kind));
        continue;
      }
      if (name->empty()) {
        r.Error("name", "must not be empty");
        continue;
      }
      auto [it, fresh] = names_[k].emplace(*name, r.Where("name"));
      if (!fresh) {
        r.Error("name", fmt::format("duplicate {} \"{}\" (first defined at {}:{})", kind, *name,
                                    it->second.file, it->second.line));
      }
    }
  }
}

void InactiveSections::AddNames(DefinedNames& names) const {
  auto add = [&](const std::string& kind, std::set<std::string>& out) {
    auto it = names_.find(kind);
    if (it == names_.end()) return;
    for (const auto& [name, where] : it->second) out.insert(name);
  };
  add("escalation", names.escalations);
}

}  // namespace alertdigest::config_internal
