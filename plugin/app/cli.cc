// Command-line parsing: flags → a verb in app/.
#include <fmt/format.h>

#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <string_view>
#include <vector>

#include "app/commands.h"
#include "core/log.h"

namespace alertdigest {
namespace {

constexpr std::string_view kUsage = R"(usage: alertdigest <verb> -c CONFIG [options]

verbs:
  serve    the daemon: HTTP intake (Prometheus, Alertmanager), API, timers and
           delivery in one process; SIGHUP or POST /-/reload reloads the config
  run      read alert events from stdin; without --follow, flush every group at end
           of input and exit once the outbox is drained
             --follow          keep reading, with real timers
  preview  render the mails an input would produce, without touching the state
             --input FILE      events to read ("-" = stdin)
             --out DIR         where the .eml files go
  check    validate the configuration, rule files and templates
  nagios   -c CONFIG ARGS…
           the Nagios/Icinga notification command: stores one notification
           durably for the daemon and returns at once (--dry-run prints it)
  routes show | routes test LABEL=VALUE…
           print the routing tree; or which routes, receivers, group keys
           and timers an alert with these labels would get
  test-email --to ADDR
           send one message through the configured transport and explain
           any failure (TLS, login, sender, recipient) in plain words
  outbox list | outbox retry ID
           show pending and dead messages with their errors; queue a dead
           message (or its refused recipients) again
  silence add --comment TEXT [--author NAME] [--duration 2h | --end TIME] MATCHER…
  silence list [--all] | silence expire ID
           manage silences through the running daemon's API (like amtool)
  ack GROUP [--by NAME] [--comment TEXT]
           acknowledge a group's escalation through the running daemon's API;
           GROUP is a group key or the 16-hex-digit id from the mail's
           X-Alertdigest-Group header; --by defaults to $USER@hostname

common options:
  -c, --config FILE   the configuration (TOML)
  --log-level LEVEL   debug | info | warn | error (default: warn)
  -h, --help          this text
  --version           the version

exit codes (run, preview): 0 all accepted and delivered; 1 some input rejected;
  2 usage or configuration error; 3 some mail not delivered yet (still queued);
  4 the state store cannot be used.
)";

}  // namespace

int Main(int argc, char** argv) {
  // A file size limit (RLIMIT_FSIZE, e.g. `ulimit -f` or a container quota) is a disk-full
  // condition: writing past it raises SIGXFSZ, whose default action kills the process in the
  // middle of an SQLite write. Ignored, the write fails with EFBIG instead, SQLite rolls the
  // transaction back and reports an I/O error, and every verb handles that like a full disk:
  // `serve` answers 503 and goes on once space returns, the others exit 4.
  ::signal(SIGXFSZ, SIG_IGN);
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  std::string_view verb = args[0];
  std::string outbox_action;
  int64_t outbox_id = 0;
  std::string to;
  size_t first_flag = 1;
  std::string routes_action;
  std::vector<std::string> route_labels;
  if (verb == "routes") {
    if (args.size() < 2 || (args[1] != "show" && args[1] != "test")) {
      std::cerr << "alertdigest routes: say \"show\" or \"test LABEL=VALUE…\"\n";
      return 2;
    }
    routes_action = std::string(args[1]);
    first_flag = 2;
  }
  AckOptions ack;
  SilenceOptions silence;
  if (verb == "silence") {
    if (args.size() < 2 || (args[1] != "add" && args[1] != "list" && args[1] != "expire")) {
      std::cerr << "alertdigest silence: say \"add\", \"list\" or \"expire ID\"\n";
      return 2;
    }
    silence.action = std::string(args[1]);
    first_flag = 2;
  }
  if (verb == "outbox") {
    if (args.size() < 2 || (args[1] != "list" && args[1] != "retry")) {
      std::cerr << "alertdigest outbox: say \"list\" or \"retry ID\"\n";
      return 2;
    }
    outbox_action = std::string(args[1]);
    first_flag = 2;
  }
  if (verb == "-h" || verb == "--help" || verb == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (verb == "--version") {
    std::cout << "alertdigest " << ALERTDIGEST_VERSION << '\n';
    return 0;
  }
  if (verb == "nagios") {
    // It parses its own flags: Nagios' positional arguments follow -c.
    return NagiosCommand({args.begin() + 1, args.end()}, environ, std::cout, std::cerr);
  }
  RunOptions opts;
  log::SetLevel(log::Level::kWarn);
  bool log_level_set = false;
  for (size_t i = first_flag; i < args.size(); ++i) {
    std::string_view a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) {
        std::cerr << fmt::format("alertdigest: {} needs a value\n", a);
        std::exit(2);
      }
      return std::string(args[++i]);
    };
    if (a == "-c" || a == "--config") opts.config_path = value();
    else if (a == "--follow" && verb == "run") opts.follow = true;
    else if (a == "--input" && verb == "preview") opts.input_path = value();
    else if (a == "--out" && verb == "preview") opts.file_dir = value();
    else if (a == "--to" && verb == "test-email") to = value();
    else if (routes_action == "test" && a.find('=') != std::string_view::npos && a[0] != '-')
      route_labels.emplace_back(a);
    else if (a == "--author" && silence.action == "add") silence.author = value();
    else if (a == "--comment" && silence.action == "add") silence.comment = value();
    else if (a == "--duration" && silence.action == "add") silence.duration = value();
    else if (a == "--end" && silence.action == "add") silence.end = value();
    else if (a == "--all" && silence.action == "list") silence.all = true;
    else if ((silence.action == "add" || silence.action == "expire") && !a.empty() && a[0] != '-')
      silence.args.emplace_back(a);
    else if (a == "--by" && verb == "ack") ack.by = value();
    else if (a == "--comment" && verb == "ack") ack.comment = value();
    else if (verb == "ack" && ack.group.empty() && !a.empty() && a[0] != '-')
      ack.group = std::string(a);
    else if (outbox_action == "retry" && outbox_id == 0 && !a.empty() &&
             a.find_first_not_of("0123456789") == std::string_view::npos)
      outbox_id = std::stoll(std::string(a));
    else if (a == "--log-level") {
      log::Level level;
      std::string v = value();
      if (!log::ParseLevel(v, &level)) {
        std::cerr << fmt::format("alertdigest: unknown log level \"{}\"\n", v);
        return 2;
      }
      log::SetLevel(level);
      log_level_set = true;
    } else if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << fmt::format("alertdigest {}: unknown option \"{}\"\n\n{}", verb, a, kUsage);
      return 2;
    }
  }
  if (verb != "run" && verb != "preview" && verb != "check" && verb != "test-email" &&
      verb != "outbox" && verb != "serve" && verb != "routes" && verb != "silence" &&
      verb != "ack") {
    std::cerr << fmt::format("alertdigest: unknown verb \"{}\"\n\n{}", verb, kUsage);
    return 2;
  }
  if (opts.config_path.empty()) {
    std::cerr << fmt::format("alertdigest {}: -c CONFIG is required\n", verb);
    return 2;
  }
  if (verb == "check") return CheckCommand(opts.config_path, std::cout);
  if (verb == "serve") {
    if (!log_level_set) log::SetLevel(log::Level::kInfo);  // a daemon logs its events
    return ServeCommand(opts.config_path);
  }
  if (verb == "routes") return RoutesCommand(opts.config_path, routes_action, route_labels, std::cout);
  if (verb == "test-email") {
    if (to.empty()) {
      std::cerr << "alertdigest test-email: --to ADDR is required\n";
      return 2;
    }
    return TestEmailCommand(opts.config_path, to, std::cout);
  }
  if (verb == "silence") {
    silence.config_path = opts.config_path;
    return SilenceCommand(silence, std::cout, std::cerr);
  }
  if (verb == "ack") {
    ack.config_path = opts.config_path;
    return AckCommand(ack, std::cout, std::cerr);
  }
  if (verb == "outbox") {
    if (outbox_action == "retry" && outbox_id == 0) {
      std::cerr << "alertdigest outbox retry: which message? (an ID from `outbox list`)\n";
      return 2;
    }
    return OutboxCommand(opts.config_path, outbox_action, outbox_id, std::cout);
  }
  if (verb == "preview") {
    if (opts.input_path.empty() || opts.file_dir.empty()) {
      std::cerr << "alertdigest preview: --input FILE and --out DIR are required\n";
      return 2;
    }
    return PreviewCommand(opts, std::cout);
  }
  return RunCommand(opts, std::cout);
}

}  // namespace alertdigest
