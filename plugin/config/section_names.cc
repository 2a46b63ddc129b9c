#include "config/section_names.h"

#include <fmt/format.h>

namespace alertdigest::config_internal {

std::optional<std::string> SectionNames::Claim(TomlReader& r) {
  std::optional<std::string> name = r.String("name");
  if (!name) {
    if (!r.Node("name")) r.Error("name", fmt::format("missing (each [[{}]] needs a name)", kind_));
    return std::nullopt;
  }
  if (name->empty()) {
    r.Error("name", "must not be empty");
    return std::nullopt;
  }
  auto [it, fresh] = first_defined_.emplace(*name, r.Where("name"));
  if (!fresh) {
    r.Error("name", fmt::format("duplicate {} \"{}\" (first defined at {}:{})", kind_, *name,
                                it->second.file, it->second.line));
    return std::nullopt;
  }
  return name;
}

void SectionNames::AddTo(std::set<std::string>& out) const {
  for (const auto& [name, where] : first_defined_) out.insert(name);
}

}  // namespace alertdigest::config_internal
