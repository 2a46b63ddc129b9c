// The verbs of the command line (DESIGN.md §2). Each returns the process exit code:
//   0  everything was accepted and delivered
//   1  some input records were rejected (each reported with line, JSON path and reason);
//      `check`: the configuration has errors
//   2  usage or configuration error: nothing was read
//   3  some mail could not be delivered yet: it stays queued in the state file (or was
//      dead-lettered) and the next run retries it
//   4  the state store cannot be used (locked, unreadable, disk full)
// When several apply, the highest wins.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace alertdigest {

struct RunOptions {
  std::string config_path;
  bool follow = false;
  std::string input_path;    // "" or "-" = stdin
  std::string storage_path;  // override (preview uses ":memory:")
  std::string file_dir;      // override (preview --out)
  bool quiet_paths = false;  // don't print delivered paths
};

// `alertdigest run`: reads events, and without --follow flushes every group at end of input and
// exits once the outbox is drained. Prints the delivered files and a one-line summary to `out`.
int RunCommand(const RunOptions& options, std::ostream& out);
// `alertdigest preview --input FILE --out DIR`: run on a private in-memory state.
int PreviewCommand(const RunOptions& options, std::ostream& out);
// `alertdigest check`: validates config, rule files and templates.
int CheckCommand(const std::string& config_path, std::ostream& out);

// `alertdigest outbox list` / `outbox retry ID`.
int OutboxCommand(const std::string& config_path, const std::string& action, int64_t id,
                  std::ostream& out);
// `alertdigest test-email --to ADDR`: exit 0 when the server accepted it, 3 otherwise.
int TestEmailCommand(const std::string& config_path, const std::string& to, std::ostream& out);

// `alertdigest serve`: runs until SIGTERM/SIGINT (exit 0); SIGHUP reloads. Exit 2 on a bad
// config, 4 when the state or the listen address cannot be used.
int ServeCommand(const std::string& config_path);

// `alertdigest nagios -c CONFIG [--dry-run] [--] ARGS…`: stores one Nagios/Icinga notification
// in the spool for the daemon. 0 stored (or printed with --dry-run); 1 not a Nagios
// notification; 2 usage or config error; 4 the state store cannot be used. Reason on `err`.
int NagiosCommand(const std::vector<std::string>& args, char** envp, std::ostream& out,
                  std::ostream& err);

// `alertdigest routes show` prints the routing tree; `routes test label=value…` prints the
// routes, receivers, group keys and timers an alert with those labels gets.
int RoutesCommand(const std::string& config_path, const std::string& action,
                  const std::vector<std::string>& label_args, std::ostream& out);

struct SilenceOptions {
  std::string config_path;
  std::string action;             // "add" | "list" | "expire"
  std::vector<std::string> args;  // add: matchers; expire: the id
  std::string author;             // add: --author (default $USER)
  std::string comment;            // add: --comment (required by the daemon)
  std::string duration;           // add: --duration (default 1h), unless --end
  std::string end;                // add: --end RFC 3339
  bool all = false;               // list: --all shows expired silences too
};
// `alertdigest silence add|list|expire` through the running daemon's API. 0 done (add prints
// the new id); 1 the daemon refused (invalid silence, unknown id); 2 usage or config error;
// 4 no daemon answers at [server] listen. Reasons on `err`.
int SilenceCommand(const SilenceOptions& options, std::ostream& out, std::ostream& err);

struct AckOptions {
  std::string config_path;
  std::string group;    // a group key, or its 16-hex-digit id (X-Alertdigest-Group)
  std::string by;       // --by (default $USER@hostname)
  std::string comment;  // --comment
};
// `alertdigest ack GROUP` through the running daemon's POST /api/v1/ack. Prints "acknowledged
// GROUPKEY episode N" or "already acknowledged by X at T" and exits 0; 1 the daemon refused or
// failed (its message on `err`); 2 usage or config error; 4 no daemon answers at [server] listen.
int AckCommand(const AckOptions& options, std::ostream& out, std::ostream& err);

// Parses argv and dispatches to a verb.
int Main(int argc, char** argv);

}  // namespace alertdigest
