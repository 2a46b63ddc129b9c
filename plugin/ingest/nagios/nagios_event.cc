#include "ingest/nagios/nagios_event.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace alertdigest {
namespace {

constexpr std::string_view kHostDown = "HostDown";
constexpr std::string_view kHostUnreachable = "HostUnreachable";

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Epoch seconds; kNoTime for "", "0", anything that is not a number, and numbers past
// 9999-12-31T23:59:59Z (kNagiosOpenEnd), which no clock means and whose milliseconds overflow.
Timestamp ParseEpoch(const std::string& text) {
  constexpr int64_t kMaxSeconds = kNagiosOpenEnd.time_since_epoch().count() / 1000;
  int64_t secs = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), secs);
  if (ec != std::errc() || end != text.data() + text.size() || secs <= 0 || secs > kMaxSeconds)
    return kNoTime;
  return FromUnixMillis(secs * 1000);
}

// Nagios passes newlines of the long output as the two characters \n.
std::string UnescapeNewlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'n') {
      out.push_back('\n');
      ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string_view HostAlertname(std::string_view state) {
  return state == "UNREACHABLE" ? kHostUnreachable : kHostDown;
}

}  // namespace

std::string NagiosSeverity(std::string_view state) {
  if (state == "CRITICAL" || state == "DOWN" || state == "UNREACHABLE") return "critical";
  if (state == "WARNING" || state == "UNKNOWN") return "warning";
  return "";
}

Result<NagiosEvent> NagiosEvent::Parse(const NagiosMacros& m, const NagiosConfig& config) {
  NagiosEvent e;
  e.type = Upper(m.Get("NOTIFICATIONTYPE"));
  e.host = m.Get("HOSTNAME");
  if (e.type.empty() || e.host.empty()) {
    return Status::InvalidArgument(
        "read Nagios notification: no NOTIFICATIONTYPE and HOSTNAME (neither NAGIOS_* "
        "environment variables nor the 19 arguments \"$NOTIFICATIONTYPE$\" \"$HOSTNAME$\" …)");
  }
  e.service = m.Get("SERVICEDESC");
  e.is_host = e.service.empty();
  const char* kind = e.is_host ? "HOST" : "SERVICE";
  auto get = [&](std::string_view suffix) { return m.Get(kind + std::string(suffix)); };
  e.state = Upper(get("STATE"));
  e.last_state = Upper(m.Get(std::string("LAST") + kind + "STATE"));
  e.output = get("OUTPUT");
  e.long_output = UnescapeNewlines(m.Get(std::string("LONG") + kind + "OUTPUT"));
  e.notes_url = get("NOTESURL");
  e.action_url = get("ACTIONURL");
  e.notification_number = get("NOTIFICATIONNUMBER");
  if (e.notification_number.empty()) e.notification_number = m.Get("NOTIFICATIONNUMBER");
  e.contact = m.Get("CONTACTNAME");
  e.host_address = m.Get("HOSTADDRESS");
  e.author = m.Get("NOTIFICATIONAUTHOR");
  e.comment = m.Get("NOTIFICATIONCOMMENT");
  e.state_changed_at = ParseEpoch(m.Get(std::string("LAST") + kind + "STATECHANGE"));
  e.at = ParseEpoch(m.Get("TIMET"));
  LabelSetBuilder extra;
  for (const std::string& macro : config.extra_labels) extra.Add(Lower(macro), m.Get(macro));
  e.extra_labels = extra.Build(/*drop_empty_values=*/true);
  return e;
}

std::vector<SpoolEntry> NagiosEvent::ToSpoolEntries(const NagiosConfig& config, Timestamp now,
                                                    Duration resolve_timeout) const {
  LabelSet labels = extra_labels;
  labels.Set("host", host);
  labels.Set("source", "nagios");
  if (!is_host) labels.Set("service", service);

  // Which alertnames this notification concerns (two only for a host named by state).
  std::vector<std::string> names;
  bool firing = type == "PROBLEM";
  bool resolving = type == "RECOVERY";
  if (!is_host) {
    names.push_back(service);
  } else if (!config.host_alertname.empty()) {
    names.push_back(config.host_alertname);
  } else if (firing) {
    names.emplace_back(HostAlertname(state));
    if ((last_state == "DOWN" || last_state == "UNREACHABLE") && last_state != state)
      names.emplace_back(HostAlertname(last_state));
  } else if (resolving) {
    if (last_state == "DOWN" || last_state == "UNREACHABLE") {
      names.emplace_back(HostAlertname(last_state));
    } else {
      names.emplace_back(kHostDown);
      names.emplace_back(kHostUnreachable);
    }
  } else {
    names.emplace_back(HostAlertname(state));
  }

  Timestamp at_or_now = at != kNoTime ? std::min(at, now) : now;
  std::vector<SpoolEntry> out;
  for (size_t i = 0; i < names.size(); ++i) {
    SpoolEntry e;
    e.source = "nagios";
    LabelSet identity = labels;
    identity.Set("alertname", names[i]);
    if (!firing && !resolving) {
      e.kind = SpoolEntry::Kind::kEvent;
      e.event_type = type;
      e.event_labels = std::move(identity);
      e.author = author;
      e.comment = comment;
      e.at = at_or_now;
      out.push_back(std::move(e));
      continue;
    }
    Alert& a = e.alert;
    a.labels = std::move(identity);
    LabelSetBuilder ann;
    ann.Add("summary", output);
    ann.Add("description", long_output);
    ann.Add("state", state);
    ann.Add("severity", NagiosSeverity(resolving ? last_state : state));
    ann.Add("notes_url", notes_url);
    ann.Add("action_url", action_url);
    ann.Add("notification_number", notification_number);
    ann.Add("contact", contact);
    ann.Add("host_address", host_address);
    a.annotations = ann.Build(/*drop_empty_values=*/true);
    // names[1] of a PROBLEM is the host's other problem state: that alert is over now.
    if (resolving || i > 0) {
      a.ends_at = at_or_now;
    } else {
      a.starts_at = state_changed_at != kNoTime ? state_changed_at : at_or_now;
      if (config.resolve == NagiosConfig::Resolve::kRecovery) a.ends_at = kNagiosOpenEnd;
    }
    a.Finalize(now, resolve_timeout);
    e.at = a.updated_at;
    out.push_back(std::move(e));
  }
  return out;
}

std::string SpoolEntryToJson(const SpoolEntry& entry) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&](std::string_view s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); };
  auto labels = [&](const LabelSet& set) {
    w.StartObject();
    for (LabelView l : set) {
      str(l.name);
      str(l.value);
    }
    w.EndObject();
  };
  w.StartObject();
  bool alert = entry.kind == SpoolEntry::Kind::kAlert;
  str("kind");
  str(alert ? "alert" : "event");
  if (alert) {
    const Alert& a = entry.alert;
    str("fingerprint");
    str(a.fingerprint.ToHex());
    str("labels");
    labels(a.labels);
    str("annotations");
    labels(a.annotations);
    str("startsAt");
    str(FormatRfc3339(a.starts_at));
    str("endsAt");
    str(FormatRfc3339(a.ends_at));
    str("status");
    str(a.ResolvedAt(a.updated_at) ? "resolved" : "firing");
  } else {
    str("type");
    str(entry.event_type);
    str("labels");
    labels(entry.event_labels);
    str("author");
    str(entry.author);
    str("comment");
    str(entry.comment);
    str("at");
    str(FormatRfc3339(entry.at));
  }
  w.EndObject();
  return buf.GetString();
}

}  // namespace alertdigest
