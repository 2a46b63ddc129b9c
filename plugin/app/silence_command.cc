// `alertdigest silence add|list|expire`: manages silences through a running daemon's API
// (ingest/http/silence_api_client.h), like amtool does.
#include <fmt/format.h>

#include <cstdlib>
#include <iostream>

#include "app/commands.h"
#include "config/config.h"
#include "ingest/http/silence_api_client.h"

namespace alertdigest {
namespace {

Timestamp Now() { return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now()); }

int ExitCodeFor(const Status& s) { return s.code() == Status::Code::kUnavailable ? 4 : 1; }

std::string MatchersText(const std::vector<Matcher>& matchers) {
  std::string out;
  for (const Matcher& m : matchers) out += (out.empty() ? "" : " ") + m.ToString();
  return out;
}

int Add(const http::SilenceApiClient& client, const SilenceOptions& o, std::ostream& out,
        std::ostream& err) {
  Silence s;
  for (const std::string& text : o.args) {
    Result<Matcher> m = Matcher::Parse(text);
    if (!m.ok()) {
      err << "alertdigest silence add: " << m.status().message() << '\n';
      return 2;
    }
    s.matchers.push_back(std::move(m).value());
  }
  s.starts_at = Now();
  if (!o.end.empty()) {
    Result<Timestamp> end = ParseRfc3339(o.end);
    if (!end.ok()) {
      err << fmt::format("alertdigest silence add: --end \"{}\": expected RFC 3339 time\n", o.end);
      return 2;
    }
    s.ends_at = *end;
  } else {
    Result<Duration> d = ParseDuration(o.duration.empty() ? "1h" : o.duration);
    if (!d.ok()) {
      err << fmt::format("alertdigest silence add: --duration \"{}\": {}\n", o.duration,
                         d.status().message());
      return 2;
    }
    s.ends_at = s.starts_at + *d;
  }
  s.created_by = o.author;
  if (s.created_by.empty() && std::getenv("USER")) s.created_by = std::getenv("USER");
  s.comment = o.comment;
  Result<std::string> id = client.Add(s);
  if (!id.ok()) {
    err << "alertdigest silence add: " << id.status().message() << '\n';
    return ExitCodeFor(id.status());
  }
  out << *id << '\n';
  return 0;
}

int List(const http::SilenceApiClient& client, bool all, std::ostream& out, std::ostream& err) {
  auto listed = client.List();
  if (!listed.ok()) {
    err << "alertdigest silence list: " << listed.status().message() << '\n';
    return ExitCodeFor(listed.status());
  }
  out << fmt::format("{:<36}  {:<8}  {:<24}  {:<24}  {:<12}  {}\n", "ID", "STATE", "STARTS", "ENDS",
                     "CREATED BY", "MATCHERS / COMMENT");
  for (const http::ListedSilence& l : *listed) {
    if (!all && l.state == "expired") continue;
    const Silence& s = l.silence;
    out << fmt::format("{:<36}  {:<8}  {:<24}  {:<24}  {:<12}  {}\n{:<36}  {}\n", s.id, l.state,
                       FormatRfc3339(s.starts_at), FormatRfc3339(s.ends_at), s.created_by,
                       MatchersText(s.matchers), "", s.comment);
  }
  return 0;
}

}  // namespace

int SilenceCommand(const SilenceOptions& o, std::ostream& out, std::ostream& err) {
  if (o.action == "add" && o.args.empty()) {
    err << "alertdigest silence add: give at least one matcher (alertname=X)\n";
    return 2;
  }
  if (o.action == "expire" && o.args.size() != 1) {
    err << "alertdigest silence expire: which silence? (one ID from `silence list`)\n";
    return 2;
  }
  ConfigLoad load = LoadConfig(o.config_path);
  if (!load.errors.empty()) {
    for (const ConfigError& e : load.errors) err << e.ToString() << '\n';
    return 2;
  }
  auto client = http::SilenceApiClient::Create(load.config->server);
  if (!client.ok()) {
    err << "alertdigest silence: " << client.status().message() << '\n';
    return 2;
  }
  if (o.action == "add") return Add(*client, o, out, err);
  if (o.action == "list") return List(*client, o.all, out, err);
  Status s = client->Expire(o.args[0]);
  if (!s.ok()) {
    err << "alertdigest silence expire: " << s.message() << '\n';
    return ExitCodeFor(s);
  }
  out << "silence " << o.args[0] << " expired\n";
  return 0;
}

}  // namespace alertdigest
