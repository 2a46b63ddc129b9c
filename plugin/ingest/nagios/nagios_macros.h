// NagiosMacros: the macro values of one Nagios notification, from the two places Nagios puts
// them: the NAGIOS_* environment (enable_environment_macros=1) and the 19 positional arguments of
// the command definition (README "Nagios and Icinga"; notes/clients.md):
//
//    1 NOTIFICATIONTYPE   2 HOSTNAME   3 SERVICEDESC   4 SERVICESTATE   5 SERVICEOUTPUT
//    6 LONGDATETIME       7 CONTACTEMAIL   8 HOSTSTATE   9 HOSTOUTPUT   10 HOSTADDRESS
//   11 HOSTALIAS   12 CONTACTNAME   13 CONTACTPAGER   14 HOSTNOTIFICATIONNUMBER
//   15 SERVICENOTIFICATIONNUMBER   16 LONGSERVICEOUTPUT   17 NOTIFICATIONAUTHOR
//   18 NOTIFICATIONCOMMENT   19 TIMET
//
// The environment wins when both carry a macro: in arguments Nagios strips its
// illegal_macro_output_chars (` ~ $ & | ' " < >) from output macros, the environment keeps them.
// Macros not in the list above (LASTSERVICESTATE, HOSTGROUPNAMES, custom variables…) exist only in
// the environment. Values that are not valid UTF-8 are read as Latin-1 (old plugins' output).
//
// Value type; thread-compatible.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace alertdigest {

class NagiosMacros {
 public:
  // `env`: environment variables by full name ("NAGIOS_HOSTNAME"); others are ignored.
  // `args`: the positional arguments, in the order above (fewer than 19 is fine).
  NagiosMacros(const std::map<std::string, std::string>& env, std::vector<std::string> args);

  // The NAGIOS_* variables of a process environment (`environ`).
  static std::map<std::string, std::string> ReadEnvironment(char** envp);

  // The macro's value (name without "NAGIOS_" and without the dollar signs): the environment's
  // when set and not empty, else the argument at its position, else "".
  std::string Get(std::string_view macro) const;

  // True when Nagios exported the environment (NAGIOS_NOTIFICATIONTYPE is present).
  bool has_environment() const { return has_environment_; }
  size_t argument_count() const { return args_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> env_;  // macro name (no prefix) → value
  std::vector<std::string> args_;
  bool has_environment_ = false;
};

// The positional order above, 0-based; -1 for macros that have no position.
int NagiosArgumentIndex(std::string_view macro);

}  // namespace alertdigest
