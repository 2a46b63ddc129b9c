#include "ingest/http/silences_handler.h"

#include <algorithm>
#include <chrono>

#include "core/matcher.h"
#include "ingest/http/json_writer.h"
#include "ingest/http/silence_json.h"
#include "mute/silencer.h"

namespace alertdigest::http {
namespace {

Timestamp Now() { return std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now()); }

int HttpStatusFor(const Status& s) {
  switch (s.code()) {
    case Status::Code::kInvalidArgument:
      return 400;
    case Status::Code::kNotFound:
      return 404;
    case Status::Code::kUnavailable:
    case Status::Code::kIoError:
      return 503;
    default:
      return 500;
  }
}

// Alertmanager's silence endpoints answer errors as a bare JSON string (openapi.yaml), which
// is what amtool decodes; the message is also the logged reject reason.
HttpReply ErrorReply(int status, std::string message) {
  HttpReply reply;
  reply.status = status;
  reply.content_type = "application/json";
  reply.body = JsonQuote(message);
  reply.reject_reason = std::move(message);
  return reply;
}

HttpReply JsonReply(std::string body) {
  HttpReply reply;
  reply.content_type = "application/json";
  reply.body = std::move(body);
  return reply;
}

// Alertmanager's CheckSilenceMatchesFilterLabels: the silence's matchers as a label set.
bool MatchesFilter(const Silence& s, const std::vector<Matcher>& filter) {
  LabelSet labels;
  for (const Matcher& m : s.matchers) labels.Set(m.name(), m.value());
  return MatchesAll(filter, labels);
}

// Alertmanager's SortSilences: active (ending soonest first), pending (starting soonest
// first), expired (ended most recently first).
void SortSilences(std::vector<Silence>& silences, Timestamp now) {
  auto rank = [now](const Silence& s) {
    switch (StateAt(s, now)) {
      case SilenceState::kActive:
        return 0;
      case SilenceState::kPending:
        return 1;
      case SilenceState::kExpired:
        return 2;
    }
    return 2;
  };
  std::stable_sort(silences.begin(), silences.end(), [&](const Silence& a, const Silence& b) {
    const int ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb;
    if (ra == 0) return a.ends_at < b.ends_at;
    if (ra == 1) return a.starts_at < b.starts_at;
    return a.ends_at > b.ends_at;
  });
}

std::string IdOf(const HttpRequest& request) {
  return request.path.substr(std::min(request.path.size(), kSilencePathPrefix.size()));
}

}  // namespace

HttpReply GetSilences(const HttpRequest& request, Intake& intake) {
  std::vector<Matcher> filter;
  for (const std::string& text : request.QueryValues("filter")) {
    Result<Matcher> m = Matcher::Parse(text);
    if (!m.ok()) return ErrorReply(400, "filter: " + m.status().message());
    filter.push_back(std::move(m).value());
  }
  const Timestamp now = Now();
  std::vector<Silence> shown;
  for (Silence& s : intake.ListSilences()) {
    if (MatchesFilter(s, filter)) shown.push_back(std::move(s));
  }
  SortSilences(shown, now);
  JsonWriter w;
  w.BeginArray();
  for (const Silence& s : shown) WriteGettableSilence(w, s, now);
  w.EndArray();
  return JsonReply(w.Take());
}

HttpReply PostSilences(const HttpRequest& request, Intake& intake) {
  Result<Silence> silence = DecodePostableSilence(request.body);
  if (!silence.ok()) return ErrorReply(400, "bad silence: " + silence.status().message());
  Result<std::string> id = intake.PutSilence(std::move(silence).value());
  if (!id.ok()) {
    const int code = HttpStatusFor(id.status());
    return ErrorReply(code,
                      (code == 400 ? "bad silence: " : "store silence: ") + id.status().message());
  }
  JsonWriter w;
  w.BeginObject().Key("silenceID").String(*id).EndObject();
  return JsonReply(w.Take());
}

HttpReply GetSilence(const HttpRequest& request, Intake& intake) {
  const std::string id = IdOf(request);
  for (const Silence& s : intake.ListSilences()) {
    if (s.id != id) continue;
    JsonWriter w;
    WriteGettableSilence(w, s, Now());
    return JsonReply(w.Take());
  }
  return ErrorReply(404, "no silence with id \"" + id + "\"");
}

HttpReply DeleteSilence(const HttpRequest& request, Intake& intake) {
  Status s = intake.ExpireSilence(IdOf(request));
  if (!s.ok()) return ErrorReply(HttpStatusFor(s), "expire silence: " + s.message());
  HttpReply reply;
  reply.content_type = "application/json";
  return reply;
}

}  // namespace alertdigest::http
