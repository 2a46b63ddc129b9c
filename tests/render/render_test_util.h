// Builders shared by the render tests: alerts, notifications and configs with fixed times.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "core/alert.h"
#include "render/email.h"

namespace alertdigest::testing {

inline Timestamp At(const char* rfc3339) { return ParseRfc3339(rfc3339).value(); }

inline Alert MakeAlert(LabelSet labels, LabelSet annotations, const char* starts,
                       const char* ends = nullptr) {
  Alert a;
  a.labels = std::move(labels);
  a.annotations = std::move(annotations);
  a.starts_at = At(starts);
  if (ends != nullptr) a.ends_at = At(ends);
  a.generator_url = "http://prometheus.example.com/graph?g0.expr=up&g0.tab=1";
  a.fingerprint = a.labels.ComputeFingerprint();
  return a;
}

// Two firing HighCPU alerts and one resolved, grouped by alertname and cluster.
inline Notification SampleNotification() {
  Notification n;
  n.receiver = "team";
  n.group_key = "{}:{alertname=\"HighCPU\", cluster=\"eu-1\"}";
  n.group_labels = {{"alertname", "HighCPU"}, {"cluster", "eu-1"}};
  n.firing.push_back(MakeAlert({{"alertname", "HighCPU"},
                                {"cluster", "eu-1"},
                                {"instance", "web-1"},
                                {"severity", "critical"}},
                               {{"summary", "CPU above 90% on web-1"},
                                {"description", "web-1 has been above 90% CPU for 10 minutes."},
                                {"runbook_url", "https://runbooks.example.com/high-cpu"}},
                               "2026-11-26T01:00:00Z"));
  n.firing.push_back(MakeAlert({{"alertname", "HighCPU"},
                                {"cluster", "eu-1"},
                                {"instance", "web-2"},
                                {"severity", "critical"}},
                               {{"description", "web-2 is busy."}}, "2026-11-26T01:30:00Z"));
  n.resolved.push_back(MakeAlert({{"alertname", "HighCPU"},
                                  {"cluster", "eu-1"},
                                  {"instance", "db-1"},
                                  {"severity", "critical"}},
                                 {{"summary", "CPU above 90% on db-1"}}, "2026-11-26T00:10:00Z",
                                 "2026-11-26T01:40:00Z"));
  n.reason = NotifyReason::kFirstNotification;
  n.now = At("2026-11-26T02:00:00Z");
  return n;
}

inline Config SampleConfig() {
  Config c;
  c.smtp.from = "Alerts <alerts@example.com>";
  c.server.external_url = "http://alerts.example.com:9095";
  Receiver r;
  r.name = "team";
  r.to = {"Team <team@example.com>", "ops@example.com"};
  r.cc = {"lead@example.com"};
  r.bcc = {"audit@example.com", "ops@example.com"};
  c.receivers.push_back(r);
  return c;
}

}  // namespace alertdigest::testing

namespace alertdigest::testing {

// The decoded quoted-printable body of the first part with this content type.
inline std::string BodyOf(const std::string& msg, const std::string& content_type) {
  size_t p = msg.find("Content-Type: " + content_type);
  if (p == std::string::npos) return "<no " + content_type + " part>";
  p = msg.find("\r\n\r\n", p) + 4;
  const std::string qp = msg.substr(p, msg.find("\r\n--=_ad_", p) - p);
  std::string out;
  for (size_t i = 0; i < qp.size(); ++i) {
    if (qp[i] == '=' && qp.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;
    } else if (qp[i] == '=' && i + 2 < qp.size()) {
      out += char(std::stoi(qp.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += qp[i];
    }
  }
  return out;
}

inline std::string HeadersOf(const std::string& msg) {
  return msg.substr(0, msg.find("\r\n\r\n") + 2);
}

}  // namespace alertdigest::testing
