#include "render/alert_attachment.h"

#include "core/json_quote.h"

#include <fmt/format.h>

#include "render/view_model.h"

namespace alertdigest {
namespace {

std::string TimeOrEmpty(Timestamp t) { return t == kNoTime ? "" : FormatRfc3339(t); }

Fingerprint FingerprintOf(const Alert& a) {
  return a.fingerprint.value != 0 ? a.fingerprint : a.labels.ComputeFingerprint();
}

}  // namespace

std::string LabelsJsonObject(const LabelSet& labels) {
  std::string out = "{";
  for (LabelView l : labels) {
    if (out.size() > 1) out += ",";
    out += JsonQuote(l.name) + ":" + JsonQuote(l.value);
  }
  return out + "}";
}

std::string CsvCell(std::string_view value) {
  std::string cell(value);
  if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string::npos) {
    cell.insert(cell.begin(), '\'');
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string AlertsCsv(const Notification& n) {
  std::string out = "status,alertname,fingerprint,starts_at,ends_at,labels,summary\r\n";
  auto rows = [&](const std::vector<Alert>& alerts, bool firing) {
    for (const Alert& a : alerts) {
      out += CsvCell(firing ? "firing" : "resolved") + ",";
      out += CsvCell(a.labels.Get("alertname")) + ",";
      out += CsvCell(FingerprintOf(a).ToHex()) + ",";
      out += CsvCell(TimeOrEmpty(a.starts_at)) + ",";
      out += CsvCell(firing ? "" : TimeOrEmpty(a.ends_at)) + ",";
      out += CsvCell(JoinLabels(a.labels)) + ",";
      out += CsvCell(AlertSummary(a)) + "\r\n";
    }
  };
  rows(n.firing, true);
  rows(n.resolved, false);
  return out;
}


std::string AlertsJson(const Notification& n) {
  std::string out = "[";
  auto items = [&](const std::vector<Alert>& alerts, bool firing) {
    for (const Alert& a : alerts) {
      if (out.size() > 1) out += ",";
      out += "\n  {\"status\":" + JsonQuote(firing ? "firing" : "resolved");
      out += ",\"labels\":" + LabelsJsonObject(a.labels);
      out += ",\"annotations\":" + LabelsJsonObject(a.annotations);
      out += ",\"startsAt\":" + JsonQuote(TimeOrEmpty(a.starts_at));
      out += ",\"endsAt\":" + JsonQuote(firing ? "" : TimeOrEmpty(a.ends_at));
      out += ",\"generatorURL\":" + JsonQuote(a.generator_url);
      out += ",\"fingerprint\":" + JsonQuote(FingerprintOf(a).ToHex()) + "}";
    }
  };
  items(n.firing, true);
  items(n.resolved, false);
  return out + "\n]\n";
}

MimeAttachment CsvAttachment(const Notification& n) {
  return {"alerts.csv", "text/csv; charset=utf-8", AlertsCsv(n)};
}

MimeAttachment JsonAttachment(const Notification& n) {
  return {"alerts.json", "application/json", AlertsJson(n)};
}

}  // namespace alertdigest
