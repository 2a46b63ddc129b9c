// The validated, immutable configuration. Loaded once from TOML (toml++) by LoadConfig(); every
// problem is reported at load time as "file:line: key.path: what is wrong", so runtime code
// trusts these structs without re-checking. Key names follow DESIGN.md §3 (a contract).
//
// Thread-safety: a Config is immutable after load; share it as shared_ptr<const Config>.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/cron.h"
#include "core/matcher.h"
#include "core/time.h"

namespace alertdigest {

struct SourceLocation {
  std::string file;  // as given (relative paths stay relative)
  int line = 0;      // 1-based; 0 when unknown
};

// One load-time problem. ToString(): "config.toml:12: route.routes[0].matchers[1]: bad matcher…";
// without a key path "config.toml:5: syntax error: …"; with line 0 (a file that cannot be read)
// "config.toml: cannot read: …".
struct ConfigError {
  SourceLocation where;
  std::string key_path;  // "route.routes[0].matchers[1]", "receiver[2].to", or "" for the file
  std::string message;
  std::string ToString() const;
};

// A template file named by a receiver key; empty path means "the built-in default".
struct TemplateRef {
  std::string path;      // resolved against the config file's directory
  SourceLocation where;  // of the key, for compile errors
  std::string key_path;  // "receiver[0].subject"
};

struct ServerConfig {
  std::string listen = "127.0.0.1:9095";
  std::string external_url;  // base of links in emails; "" = http://<listen>
  std::string auth_token_file;
  std::string ack_key_file;  // HMAC key for signed ack links; required by a route's escalation
  Duration ack_link_ttl = std::chrono::hours(24 * 7);  // how long an ack link stays valid
  std::string tls_cert;
  std::string tls_key;
  size_t max_body = 1 << 20;  // "1MiB"
  // Per-request input limits of the HTTP intake (ingest/http/http_api.h HttpLimits).
  int max_alerts_per_request = 10000;
  int max_labels_per_alert = 128;
  int max_label_name_length = 1024;    // bytes
  int max_label_value_length = 65536;  // bytes
  // Plain-HTTP event-loop threads (HttpLimits::io_threads); 0: one per CPU (at most 8), pinned.
  int io_threads = 0;
};

// Where links in mails point: external_url, else "http://" + listen; no trailing slash.
std::string PublicBaseUrl(const ServerConfig& server);

struct StorageConfig {
  std::string path = "alertdigest.db";  // resolved against the config file's directory
};

struct RetryConfig {
  Duration initial = std::chrono::seconds(10);
  Duration max = std::chrono::minutes(10);
  Duration give_up = std::chrono::hours(24);
};

struct DeliveryConfig {
  enum class Transport { kFile, kSmtp };
  Transport transport = Transport::kFile;
  std::string file_dir = "outbox";  // resolved against the config file's directory
  RetryConfig retry;
};

struct SmtpConfig {
  std::string host = "smtp.gmail.com";
  int port = 587;
  std::string security = "starttls";  // "starttls" | "tls" | "none"
  std::string username;
  std::string password_file;
  std::string password_env;
  std::string auth = "auto";  // "auto" | "plain" | "login" | "xoauth2"
  std::string token_file;
  std::string from;
  std::string hello;
  std::string ca_file;
  bool insecure_skip_verify = false;
  Duration timeout = std::chrono::seconds(30);          // each command's reply
  Duration connect_timeout = std::chrono::seconds(10);  // TCP connect (and TLS handshake)
  Duration data_timeout = std::chrono::minutes(5);      // the reply to the final dot
  int daily_budget = 450;                               // messages per rolling 24 h; 0 = no limit
  int max_recipients_per_message = 100;
};

// [nagios]: how `alertdigest nagios` maps a Nagios/Icinga notification (ingest/nagios/).
struct NagiosConfig {
  // alertname of host notifications; "" = by state: "HostDown" / "HostUnreachable".
  std::string host_alertname;
  // Macro names (without "NAGIOS_", upper case) copied from the environment as lower-case
  // identity labels, e.g. "HOSTGROUPNAMES" → hostgroupnames. Only static macros belong here.
  std::vector<std::string> extra_labels;
  // kRecovery: a PROBLEM never times out, only its RECOVERY resolves it (default).
  // kTimeout: a PROBLEM ends after defaults.resolve_timeout unless Nagios notifies again.
  enum class Resolve { kRecovery, kTimeout };
  Resolve resolve = Resolve::kRecovery;
};

struct Defaults {
  Duration group_wait = std::chrono::seconds(30);
  Duration group_interval = std::chrono::minutes(5);
  Duration repeat_interval = std::chrono::hours(4);
  Duration resolve_timeout = std::chrono::minutes(5);
  bool send_resolved = true;
};

// A node of the routing tree with inheritance already applied: every field is concrete.
struct Route {
  std::vector<Matcher> matchers;  // empty on the root
  // A [[receiver]] name, or "digest:<name>": the alerts go into that [[digest]] only (no group
  // notifications; continue = true on an earlier sibling sends them both ways).
  std::string receiver;
  std::vector<std::string> group_by;  // sorted, unique label names
  bool group_by_all = false;          // group_by = ["..."]: one group per alert
  Duration group_wait{};
  Duration group_interval{};
  Duration repeat_interval{};
  bool send_resolved = true;
  bool continue_matching = false;  // key "continue"
  std::vector<std::string> mute_time_intervals;
  std::vector<std::string> active_time_intervals;
  std::string escalation;     // an [[escalation]] name, or ""
  std::vector<Route> routes;  // children, in config order (main file first, then rule files)

  // Alertmanager's route key: "{}" for the root, parent key + "/" + "{m1,m2}" below it,
  // e.g. {}/{severity="critical",team=~"db|storage"}. Part of every group key.
  std::string key;
  SourceLocation where;
};

struct Receiver {
  std::string name;
  std::vector<std::string> to;  // RFC 5322 addresses, "Name <a@b>" or "a@b"
  std::vector<std::string> cc;
  std::vector<std::string> bcc;
  TemplateRef subject;  // templates; empty path = built-in default
  TemplateRef text;
  TemplateRef html;
  enum class Attach { kNone, kCsv, kJson };
  Attach attach = Attach::kNone;
  std::map<std::string, std::string> headers;  // extra headers (values are templates)
  SourceLocation where;
};

// [[time_interval]]: when a route's mute_time_intervals / active_time_intervals apply
// (Alertmanager's time_interval). Every field is a list of alternatives (any may match);
// an empty list means no restriction; all non-empty fields must match. Fields are evaluated on
// the wall clock of `timezone` (mute/time_interval.h).
struct TimeInterval {
  std::string name;
  std::string timezone = "UTC";  // IANA name, checked at load
  // [start, end) in minutes of the local day, 0 <= start < end <= 1440. A range written across
  // midnight ("22:00" to "07:00") is stored as [1320,1440) and [0,420).
  std::vector<std::pair<int, int>> times_minutes;
  std::vector<std::pair<int, int>> weekdays;  // inclusive, 0 = sunday … 6 = saturday
  // Inclusive, 1…31 or -31…-1 (from the month's end, -1 = last day); clamped to the month when
  // evaluated. Both ends have the same sign unless start > 0 and end < 0 ("1:-1" = every day).
  std::vector<std::pair<int, int>> days_of_month;
  std::vector<std::pair<int, int>> months;  // inclusive, 1 = january … 12
  std::vector<std::pair<int, int>> years;   // inclusive
  SourceLocation where;
};

// [[inhibit_rule]]: while a firing alert matches source_matchers, alerts matching
// target_matchers with the same values of every `equal` label are muted (mute/inhibitor.h).
struct InhibitRule {
  std::vector<Matcher> source_matchers;  // never empty
  std::vector<Matcher> target_matchers;  // never empty
  std::vector<std::string> equal;        // valid label names
  SourceLocation where;
};

// [[digest]]: a calendar digest (schedule/, dispatch/digest_scheduler.h). An alert belongs to it
// when a route sends it to receiver "digest:<name>", or when `matchers` is non-empty and all of
// them match its labels.
struct DigestRule {
  std::string name;
  CronSchedule schedule;         // parsed from the 5-field text at load
  std::string timezone = "UTC";  // IANA name, checked at load; the schedule's wall clock
  std::vector<Matcher> matchers;
  std::string receiver;            // an existing [[receiver]]
  std::optional<Duration> window;  // nullopt: since the previous digest of this rule
  bool send_empty = false;
  int flapping_threshold = 3;  // an alert that fired more than this many times is "flapping"
  SourceLocation where;
};

// One step of an escalation: `after` the episode (or the climb) started, mail `to`. Targets are
// addresses ("a@b", "Name <a@b>") or "rotation:<name>" (whoever is on call at send time).
struct EscalationStep {
  Duration after{};
  std::vector<std::string> to;
};

// [[escalation]]: a policy routes attach with `escalation = "name"`.
struct EscalationPolicy {
  std::string name;
  std::vector<EscalationStep> steps;    // non-empty, `after` strictly increasing, first >= 0
  std::optional<Duration> repeat;       // re-send the last step this often until acknowledged
  std::optional<Duration> ack_timeout;  // an acked group still firing this long climbs again
  SourceLocation where;
};

// A fixed period in which `member` is on call instead of the rotation's regular member.
struct RotationOverride {
  std::string name;
  Timestamp start = kNoTime;  // inclusive
  Timestamp end = kNoTime;    // exclusive
  std::string member;
};

// [[rotation]]: members take turns, one shift each; shifts change at the hand-off time on the
// wall clock of `timezone` (so a DST change never moves a hand-off). schedule/rotation.h.
struct Rotation {
  std::string name;
  std::vector<std::string> members;  // addresses, non-empty, in turn order
  Duration shift = std::chrono::hours(24 * 7);
  int handoff_weekday = -1;  // 0 = sunday … 6 = saturday; -1 = any day (shifts of whole days)
  int handoff_minute = 540;  // minutes after local midnight ("09:00")
  std::string timezone = "UTC";
  // The local date (days since 1970-01-01) of the hand-off at which members[0]'s first shift
  // begins; shifts are counted from there in both directions.
  int64_t start_day = 0;
  std::vector<RotationOverride> overrides;
  SourceLocation where;
};

struct Config {
  std::string path;      // the main file as given
  std::string base_dir;  // its directory: relative paths in the config are resolved against it
  std::vector<std::string> rule_files;  // what `rules = [...]` expanded to, sorted
  std::string templates_dir;            // base_dir + "/templates": partials are looked up here

  ServerConfig server;
  StorageConfig storage;
  DeliveryConfig delivery;
  SmtpConfig smtp;
  Defaults defaults;
  NagiosConfig nagios;
  Route route;  // the root
  std::vector<Receiver> receivers;
  std::vector<TimeInterval> time_intervals;   // names unique; main file first, then rule files
  std::vector<InhibitRule> inhibit_rules;     // in config order
  std::vector<DigestRule> digests;            // names unique
  std::vector<EscalationPolicy> escalations;  // names unique
  std::vector<Rotation> rotations;            // names unique

  const Receiver* FindReceiver(std::string_view name) const;
  const DigestRule* FindDigest(std::string_view name) const;
  const EscalationPolicy* FindEscalation(std::string_view name) const;
  const Rotation* FindRotation(std::string_view name) const;
};

struct ConfigLoad {
  std::shared_ptr<const Config> config;  // null when errors is non-empty
  std::vector<ConfigError> errors;       // in file order
  std::vector<ConfigError> warnings;     // problems that do not stop the load
};

// Reads `path` and every rule file it names, validates everything, and applies defaults and
// route inheritance. Never throws.
ConfigLoad LoadConfig(const std::string& path);
// Same, from text; `virtual_path` names it in messages and anchors relative paths.
ConfigLoad ParseConfig(std::string_view toml_text, const std::string& virtual_path);

}  // namespace alertdigest
