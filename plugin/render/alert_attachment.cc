#include "render/alert_attachment.h"

#include <fmt/format.h>

#include "core/json_quote.h"
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

std::string AttachmentLimitText(size_t max_bytes) {
  return max_bytes % (1024 * 1024) == 0 ? fmt::format("{} MiB", max_bytes / (1024 * 1024))
                                        : fmt::format("{} bytes", max_bytes);
}

bool AttachmentBudget::Add(std::string& out, const std::string& piece) {
  if (omitted_ == 0 && out.size() + piece.size() + kTailBytes <= max_bytes_) {
    out += piece;
    return true;
  }
  ++omitted_;
  return false;
}

std::string OmittedText(size_t omitted, std::string_view what, size_t max_bytes) {
  return fmt::format("{} more {} not listed: the attachment stops at {}", omitted, what,
                     AttachmentLimitText(max_bytes));
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

std::string AlertsCsv(const Notification& n, size_t max_bytes) {
  std::string out = "status,alertname,fingerprint,starts_at,ends_at,labels,summary\r\n";
  AttachmentBudget budget(max_bytes);
  auto rows = [&](const std::vector<Alert>& alerts, bool firing) {
    for (const Alert& a : alerts) {
      std::string row = CsvCell(firing ? "firing" : "resolved") + ",";
      row += CsvCell(a.labels.Get("alertname")) + ",";
      row += CsvCell(FingerprintOf(a).ToHex()) + ",";
      row += CsvCell(TimeOrEmpty(a.starts_at)) + ",";
      row += CsvCell(firing ? "" : TimeOrEmpty(a.ends_at)) + ",";
      row += CsvCell(JoinLabels(a.labels)) + ",";
      row += CsvCell(AlertSummary(a)) + "\r\n";
      budget.Add(out, row);
    }
  };
  rows(n.firing, true);
  rows(n.resolved, false);
  if (budget.omitted() > 0)
    out += "omitted,,,,,," + CsvCell(OmittedText(budget.omitted(), "alerts", max_bytes)) + "\r\n";
  return out;
}

std::string AlertsJson(const Notification& n, size_t max_bytes) {
  std::string out = "[";
  AttachmentBudget budget(max_bytes);
  auto items = [&](const std::vector<Alert>& alerts, bool firing) {
    for (const Alert& a : alerts) {
      std::string item = out.size() > 1 ? "," : "";
      item += "\n  {\"status\":" + JsonQuote(firing ? "firing" : "resolved");
      item += ",\"labels\":" + LabelsJsonObject(a.labels);
      item += ",\"annotations\":" + LabelsJsonObject(a.annotations);
      item += ",\"startsAt\":" + JsonQuote(TimeOrEmpty(a.starts_at));
      item += ",\"endsAt\":" + JsonQuote(firing ? "" : TimeOrEmpty(a.ends_at));
      item += ",\"generatorURL\":" + JsonQuote(a.generator_url);
      item += ",\"fingerprint\":" + JsonQuote(FingerprintOf(a).ToHex()) + "}";
      budget.Add(out, item);
    }
  };
  items(n.firing, true);
  items(n.resolved, false);
  if (budget.omitted() > 0) {
    out += std::string(out.size() > 1 ? "," : "") +
           "\n  {\"omitted\":" + std::to_string(budget.omitted()) +
           ",\"reason\":" + JsonQuote(OmittedText(budget.omitted(), "alerts", max_bytes)) + "}";
  }
  return out + "\n]\n";
}

MimeAttachment CsvAttachment(const Notification& n) {
  return {"alerts.csv", "text/csv; charset=utf-8", AlertsCsv(n)};
}

MimeAttachment JsonAttachment(const Notification& n) {
  return {"alerts.json", "application/json", AlertsJson(n)};
}

}  // namespace alertdigest
