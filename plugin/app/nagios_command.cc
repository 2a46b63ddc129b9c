// `alertdigest nagios -c CONFIG [--dry-run] [--] ARGS…`: the Nagios/Icinga notification command.
// Maps one notification (ingest/nagios/) and hands it to the daemon through the spool of the
// state database: one SQLite commit, then exit. Nagios never retries a notification, so the only
// failure worth a non-zero exit is one where the notification could not be stored.
#include <fmt/format.h>

#include <iostream>

#include "app/commands.h"
#include "config/config.h"
#include "core/clock.h"
#include "ingest/nagios/nagios_event.h"
#include "store/store.h"

namespace alertdigest {
namespace {

constexpr std::string_view kNagiosUsage = R"(usage: alertdigest nagios -c CONFIG [--dry-run] [--] ARGS...

Stores one Nagios/Icinga notification for the running daemon. Reads the NAGIOS_*
environment (enable_environment_macros=1) and/or 19 arguments, in this order:
  "$NOTIFICATIONTYPE$" "$HOSTNAME$" "$SERVICEDESC$" "$SERVICESTATE$" "$SERVICEOUTPUT$"
  "$LONGDATETIME$" "$CONTACTEMAIL$" "$HOSTSTATE$" "$HOSTOUTPUT$" "$HOSTADDRESS$"
  "$HOSTALIAS$" "$CONTACTNAME$" "$CONTACTPAGER$" "$HOSTNOTIFICATIONNUMBER$"
  "$SERVICENOTIFICATIONNUMBER$" "$LONGSERVICEOUTPUT$" "$NOTIFICATIONAUTHOR$"
  "$NOTIFICATIONCOMMENT$" "$TIMET$"
(host notifications pass "" for the service macros).

  --dry-run   print the mapped alert or event as JSON lines; store nothing

exit codes: 0 stored; 1 not a Nagios notification; 2 usage or configuration error;
  4 the state store cannot be used.
)";

}  // namespace

int NagiosCommand(const std::vector<std::string>& args, char** envp, std::ostream& out,
                  std::ostream& err) {
  std::string config_path;
  bool dry_run = false;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "-c" || a == "--config") {
      if (i + 1 >= args.size()) {
        err << "alertdigest nagios: " << a << " needs a value\n";
        return 2;
      }
      config_path = args[++i];
    } else if (a == "--dry-run") {
      dry_run = true;
    } else if (a == "-h" || a == "--help") {
      out << kNagiosUsage;
      return 0;
    } else {
      break;  // the first macro value
    }
  }
  if (config_path.empty()) {
    err << "alertdigest nagios: -c CONFIG is required\n\n" << kNagiosUsage;
    return 2;
  }
  std::vector<std::string> positional(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());

  ConfigLoad load = LoadConfig(config_path);
  if (!load.config) {
    for (const ConfigError& e : load.errors) err << e.ToString() << '\n';
    err << "alertdigest nagios: notification NOT stored: the configuration has errors\n";
    return 2;
  }
  const Config& cfg = *load.config;

  NagiosMacros macros(NagiosMacros::ReadEnvironment(envp), std::move(positional));
  Result<NagiosEvent> event = NagiosEvent::Parse(macros, cfg.nagios);
  if (!event.ok()) {
    err << "alertdigest nagios: " << event.status().message() << '\n';
    return 1;
  }
  std::vector<SpoolEntry> entries =
      event->ToSpoolEntries(cfg.nagios, SystemClock().Now(), cfg.defaults.resolve_timeout);
  if (dry_run) {
    for (const SpoolEntry& e : entries) out << SpoolEntryToJson(e) << '\n';
    return 0;
  }

  if (cfg.storage.path == ":memory:") {
    err << "alertdigest nagios: notification NOT stored: storage.path is \":memory:\", which "
           "the daemon cannot share; set a file\n";
    return 4;
  }
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(cfg.storage.path);
  Status st = store.ok() ? (*store)->AppendSpool(entries) : store.status();
  if (!st.ok()) {
    std::string what = event->is_host
                           ? fmt::format("host {}", event->host)
                           : fmt::format("service \"{}\" on {}", event->service, event->host);
    err << fmt::format("alertdigest nagios: notification NOT stored ({} {}): {}\n", event->type,
                       what, st.message());
    return 4;
  }
  return 0;
}

}  // namespace alertdigest
