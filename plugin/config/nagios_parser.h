// The [nagios] section: how `alertdigest nagios` maps notifications (ingest/nagios/).
//
//   host_alertname = "HostDown"        # default: by state, "HostDown" / "HostUnreachable"
//   extra_labels = ["HOSTGROUPNAMES"]  # NAGIOS_* macros copied as lower-case labels
//   resolve = "recovery"               # or "timeout"
//
// Internal to plugin/config. Problems go to the reader's Diagnostics; a bad value keeps the
// default.
#pragma once

#include "config/config.h"
#include "config/toml_reader.h"

namespace alertdigest::config_internal {

void ParseNagios(TomlReader& r, NagiosConfig& out);

}  // namespace alertdigest::config_internal
