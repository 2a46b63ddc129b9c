#include "config/nagios_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace alertdigest::config_internal {
namespace {

// Labels the mapping writes itself; an extra label may not replace them.
constexpr std::string_view kOwnLabels[] = {"alertname", "host", "service", "source"};

bool IsMacroName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace

void ParseNagios(TomlReader& r, NagiosConfig& out) {
  if (auto v = r.String("host_alertname")) {
    if (v->empty()) {
      r.Error("host_alertname",
              "must not be empty (leave it out for \"HostDown\" / \"HostUnreachable\" by state)");
    } else {
      out.host_alertname = *v;
    }
  }
  if (auto items = r.StringList("extra_labels")) {
    for (const ListItem& item : *items) {
      std::string name = item.value;
      if (name.starts_with("NAGIOS_")) name.erase(0, 7);
      if (!IsMacroName(name)) {
        r.diag().Error(item.where, item.key_path,
                       fmt::format("\"{}\" is not a Nagios macro name (want upper case, e.g. "
                                   "\"HOSTGROUPNAMES\" or \"_SERVICETEAM\")",
                                   item.value));
        continue;
      }
      std::string label = name;
      std::transform(label.begin(), label.end(), label.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (std::find(std::begin(kOwnLabels), std::end(kOwnLabels), label) !=
          std::end(kOwnLabels)) {
        r.diag().Error(item.where, item.key_path,
                       fmt::format("\"{}\" would replace the label \"{}\" the mapping sets itself",
                                   item.value, label));
        continue;
      }
      if (std::find(out.extra_labels.begin(), out.extra_labels.end(), name) ==
          out.extra_labels.end())
        out.extra_labels.push_back(name);
    }
  }
  if (auto v = r.Enum("resolve", {"recovery", "timeout"})) {
    out.resolve =
        *v == "timeout" ? NagiosConfig::Resolve::kTimeout : NagiosConfig::Resolve::kRecovery;
  }
  r.ReportUnknownKeys();
}

}  // namespace alertdigest::config_internal
