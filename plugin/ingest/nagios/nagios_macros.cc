#include "ingest/nagios/nagios_macros.h"

#include "core/utf8_validator.h"

namespace alertdigest {
namespace {

constexpr std::string_view kPrefix = "NAGIOS_";

constexpr std::string_view kArgumentOrder[] = {
    "NOTIFICATIONTYPE",   "HOSTNAME",          "SERVICEDESC",
    "SERVICESTATE",       "SERVICEOUTPUT",     "LONGDATETIME",
    "CONTACTEMAIL",       "HOSTSTATE",         "HOSTOUTPUT",
    "HOSTADDRESS",        "HOSTALIAS",         "CONTACTNAME",
    "CONTACTPAGER",       "HOSTNOTIFICATIONNUMBER", "SERVICENOTIFICATIONNUMBER",
    "LONGSERVICEOUTPUT",  "NOTIFICATIONAUTHOR", "NOTIFICATIONCOMMENT",
    "TIMET"};

// Old check plugins print Latin-1; everything downstream (JSON, MIME) wants UTF-8.
std::string AsUtf8(std::string value) {
  if (IsValidUtf8(value)) return value;
  std::string out;
  out.reserve(value.size() + value.size() / 4);
  for (unsigned char c : value) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

}  // namespace

int NagiosArgumentIndex(std::string_view macro) {
  for (size_t i = 0; i < std::size(kArgumentOrder); ++i) {
    if (kArgumentOrder[i] == macro) return static_cast<int>(i);
  }
  return -1;
}

NagiosMacros::NagiosMacros(const std::map<std::string, std::string>& env,
                           std::vector<std::string> args) {
  for (const auto& [name, value] : env) {
    if (!name.starts_with(kPrefix)) continue;
    env_.emplace(name.substr(kPrefix.size()), AsUtf8(value));
  }
  for (std::string& a : args) args_.push_back(AsUtf8(std::move(a)));
  has_environment_ = env_.contains("NOTIFICATIONTYPE");
}

std::map<std::string, std::string> NagiosMacros::ReadEnvironment(char** envp) {
  std::map<std::string, std::string> env;
  for (char** e = envp; e && *e; ++e) {
    std::string_view entry(*e);
    if (!entry.starts_with(kPrefix)) continue;
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

std::string NagiosMacros::Get(std::string_view macro) const {
  if (auto it = env_.find(macro); it != env_.end() && !it->second.empty()) return it->second;
  int i = NagiosArgumentIndex(macro);
  if (i >= 0 && static_cast<size_t>(i) < args_.size()) return args_[static_cast<size_t>(i)];
  return "";
}

}  // namespace alertdigest
