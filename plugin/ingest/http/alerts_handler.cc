#include "ingest/http/alerts_handler.h"

#include <algorithm>
#include <optional>

#include "core/matcher.h"
#include "ingest/http/json_writer.h"

namespace alertdigest::http {
namespace {

// Go's strconv.ParseBool, which the Alertmanager API's generated binder uses.
std::optional<bool> ParseGoBool(std::string_view s) {
  for (std::string_view t : {"1", "t", "T", "TRUE", "true", "True"})
    if (s == t) return true;
  for (std::string_view f : {"0", "f", "F", "FALSE", "false", "False"})
    if (s == f) return false;
  return std::nullopt;
}

struct AlertQuery {
  std::vector<Matcher> filter;
  std::optional<Matcher> receiver;
  bool active = true, silenced = true, inhibited = true, unprocessed = true;

  bool Shows(const AlertSnapshot& s) const {
    if (s.state == "active" && !active) return false;
    if (s.state == "unprocessed" && !unprocessed) return false;
    if (s.state == "suppressed") {
      bool reasons_known = !s.silenced_by.empty() || !s.inhibited_by.empty();
      bool shown = reasons_known ? (silenced && !s.silenced_by.empty()) ||
                                       (inhibited && !s.inhibited_by.empty())
                                 : silenced || inhibited;
      if (!shown) return false;
    }
    if (receiver && std::none_of(s.receivers.begin(), s.receivers.end(),
                                 [&](const std::string& r) { return receiver->MatchesValue(r); }))
      return false;
    return MatchesAll(filter, s.alert.labels);
  }
};

Result<AlertQuery> ParseQuery(const HttpRequest& request) {
  AlertQuery q;
  for (const auto& [name, value] : request.query) {
    bool* flag = name == "active"        ? &q.active
                 : name == "silenced"    ? &q.silenced
                 : name == "inhibited"   ? &q.inhibited
                 : name == "unprocessed" ? &q.unprocessed
                                         : nullptr;
    if (flag) {
      std::optional<bool> b = ParseGoBool(value);
      if (!b)
        return Status::InvalidArgument(name + ": expected true or false, got \"" + value + "\"");
      *flag = *b;
    } else if (name == "filter") {
      Result<Matcher> m = Matcher::Parse(value);
      if (!m.ok()) return Status::InvalidArgument("filter: " + m.status().message());
      q.filter.push_back(std::move(m).value());
    } else if (name == "receiver" && !value.empty()) {
      Result<Matcher> m = Matcher::Create("receiver", Matcher::Op::kRegexMatch, value);
      if (!m.ok()) return Status::InvalidArgument("receiver: " + m.status().message());
      q.receiver = std::move(m).value();
    }
  }
  return q;
}

void WriteLabelSet(JsonWriter& w, const LabelSet& set) {
  w.BeginObject();
  for (LabelView l : set) w.Key(l.name).String(l.value);
  w.EndObject();
}

}  // namespace

std::string_view AlertSourceOf(const HttpRequest& request) {
  return request.user_agent.starts_with("Prometheus/") ? "prometheus" : "api";
}

HttpReply PostAlerts(const HttpRequest& request, const AlertSubmission& submission) {
  return submission.Handle(request.body, PayloadShape::kAlertArray, AlertSourceOf(request));
}

HttpReply GetAlerts(const HttpRequest& request, Intake& intake) {
  Result<AlertQuery> query = ParseQuery(request);
  if (!query.ok()) return JsonErrorReply(400, query.status().message());
  std::vector<AlertSnapshot> shown;
  for (AlertSnapshot& s : intake.ListAlerts()) {
    if (query->Shows(s)) shown.push_back(std::move(s));
  }
  std::sort(shown.begin(), shown.end(), [](const AlertSnapshot& a, const AlertSnapshot& b) {
    return a.alert.fingerprint.ToHex() < b.alert.fingerprint.ToHex();
  });
  HttpReply reply;
  reply.content_type = "application/json";
  reply.body = RenderGettableAlerts(shown);
  return reply;
}

std::string RenderGettableAlerts(const std::vector<AlertSnapshot>& alerts) {
  JsonWriter w;
  w.BeginArray();
  for (const AlertSnapshot& s : alerts) {
    const Alert& a = s.alert;
    w.BeginObject();
    w.Key("annotations");
    WriteLabelSet(w, a.annotations);
    w.Key("endsAt").Time(a.ends_at);
    w.Key("fingerprint").String(a.fingerprint.ToHex());
    w.Key("receivers").BeginArray();
    for (const std::string& r : s.receivers) w.BeginObject().Key("name").String(r).EndObject();
    w.EndArray();
    w.Key("startsAt").Time(a.starts_at);
    w.Key("status").BeginObject();
    w.Key("inhibitedBy").BeginArray();
    for (const std::string& id : s.inhibited_by) w.String(id);
    w.EndArray();
    w.Key("mutedBy").BeginArray().EndArray();
    w.Key("silencedBy").BeginArray();
    for (const std::string& id : s.silenced_by) w.String(id);
    w.EndArray();
    w.Key("state").String(s.state);
    w.EndObject();
    w.Key("updatedAt").Time(a.updated_at);
    if (!a.generator_url.empty()) w.Key("generatorURL").String(a.generator_url);
    w.Key("labels");
    WriteLabelSet(w, a.labels);
    w.EndObject();
  }
  w.EndArray();
  return w.Take();
}

}  // namespace alertdigest::http
