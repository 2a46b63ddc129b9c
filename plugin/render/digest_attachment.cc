#include "render/digest_attachment.h"

#include <chrono>

#include "core/json_quote.h"
#include "render/alert_attachment.h"
#include "render/digest_view_model.h"
#include "render/view_model.h"

namespace alertdigest {
namespace {

std::string Utc(Timestamp t) { return t == kNoTime ? "" : FormatRfc3339(t); }

std::string Seconds(Duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count());
}

std::string SummaryOf(const DigestEntry& e) {
  if (e.annotations.Has("summary")) return std::string(e.annotations.Get("summary"));
  return std::string(e.annotations.Get("description"));
}

std::string CsvRow(std::initializer_list<std::string_view> cells) {
  std::string out;
  bool first = true;
  for (std::string_view c : cells) {
    if (!first) out += ',';
    out += CsvCell(c);
    first = false;
  }
  return out + "\r\n";
}

// `,\n "name":[items]` with one item per line, as many as `budget` lets in.
template <typename T, typename Item>
void JsonArray(std::string& out, AttachmentBudget& budget, const char* name,
               const std::vector<T>& items, const Item& item) {
  out += ",\n " + JsonQuote(name) + ":[";
  bool any = false;
  for (const T& t : items) any = budget.Add(out, (any ? ",\n  " : "\n  ") + item(t)) || any;
  out += any ? "\n ]" : "]";
}

}  // namespace

std::string DigestAttachmentName(const DigestReport& r, const ZonedTimeText& zone,
                                 std::string_view ext) {
  std::string rule;
  for (char c : r.rule) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    rule += ok ? c : '_';
  }
  std::string name = "digest-" + rule.substr(0, 100);
  if (r.window_end != kNoTime) name += "-" + zone.IsoDate(r.window_end);
  return name + "." + std::string(ext);
}

std::string DigestCsv(const DigestReport& r, size_t max_bytes, size_t* left_out) {
  std::string out = CsvRow({"section", "alertname", "labels", "starts_at", "ends_at",
                            "duration_seconds", "fired_count", "summary"});
  AttachmentBudget budget(max_bytes);
  auto entries = [&](const char* section, const std::vector<DigestEntry>& items) {
    for (const DigestEntry& e : items) {
      budget.Add(out,
                 CsvRow({section, e.labels.Get("alertname"), JoinLabels(e.labels), Utc(e.starts_at),
                         Utc(e.ends_at), Seconds(DigestEntryDuration(e, r.window_end)),
                         std::to_string(e.fired_count), SummaryOf(e)}));
    }
  };
  entries("fired", r.fired);
  entries("open", r.open);
  entries("resolved", r.resolved);
  entries("flapping", r.flapping);
  for (const DigestEvent& e : r.events) {
    budget.Add(out, CsvRow({"event", e.labels.Get("alertname"), JoinLabels(e.labels), Utc(e.at), "",
                            "", "", DigestEventText(e)}));
  }
  for (const DigestDeferred& e : r.deferred) {
    budget.Add(out, CsvRow({"deferred", e.labels.Get("alertname"), JoinLabels(e.labels),
                            Utc(e.first_at), Utc(e.last_at), "", "",
                            "held back from " + e.receiver + " by mute interval " + e.interval}));
  }
  if (budget.omitted() > 0)
    out += CsvRow({"omitted", "", "", "", "", "", "",
                   OmittedText(budget.omitted(), "rows", budget.max_bytes())});
  if (left_out) *left_out = budget.omitted();
  return out;
}

std::string DigestJson(const DigestReport& r, size_t max_bytes, size_t* left_out) {
  auto entry = [&](const DigestEntry& e) {
    const Fingerprint fp = e.fingerprint.value != 0 ? e.fingerprint : e.labels.ComputeFingerprint();
    return "{\"fingerprint\":" + JsonQuote(fp.ToHex()) +
           ",\"labels\":" + LabelsJsonObject(e.labels) +
           ",\"annotations\":" + LabelsJsonObject(e.annotations) +
           ",\"starts_at\":" + JsonQuote(Utc(e.starts_at)) +
           ",\"ends_at\":" + JsonQuote(Utc(e.ends_at)) +
           ",\"duration_seconds\":" + Seconds(DigestEntryDuration(e, r.window_end)) +
           ",\"fired_count\":" + std::to_string(e.fired_count) + "}";
  };
  auto count = [](const DigestCount& c) {
    return "{\"what\":" + JsonQuote(c.what) + ",\"count\":" + std::to_string(c.count) + "}";
  };
  auto event = [](const DigestEvent& e) {
    return "{\"type\":" + JsonQuote(e.type) + ",\"source\":" + JsonQuote(e.source) +
           ",\"labels\":" + LabelsJsonObject(e.labels) + ",\"author\":" + JsonQuote(e.author) +
           ",\"comment\":" + JsonQuote(e.comment) + ",\"at\":" + JsonQuote(Utc(e.at)) + "}";
  };
  auto deferred = [](const DigestDeferred& e) {
    return "{\"labels\":" + LabelsJsonObject(e.labels) + ",\"receiver\":" + JsonQuote(e.receiver) +
           ",\"interval\":" + JsonQuote(e.interval) +
           ",\"first_at\":" + JsonQuote(Utc(e.first_at)) +
           ",\"last_at\":" + JsonQuote(Utc(e.last_at)) + "}";
  };
  std::string out = "{";
  out += "\"rule\":" + JsonQuote(r.rule);
  out += ",\n \"receiver\":" + JsonQuote(r.receiver);
  out += ",\n \"timezone\":" + JsonQuote(r.timezone);
  out += ",\n \"window_start\":" + JsonQuote(Utc(r.window_start));
  out += ",\n \"window_end\":" + JsonQuote(Utc(r.window_end));
  out += ",\n \"generated_at\":" + JsonQuote(Utc(r.generated_at));
  out += std::string(",\n \"late\":") + (r.late ? "true" : "false");
  AttachmentBudget budget(max_bytes);
  JsonArray(out, budget, "fired", r.fired, entry);
  JsonArray(out, budget, "open", r.open, entry);
  JsonArray(out, budget, "resolved", r.resolved, entry);
  JsonArray(out, budget, "flapping", r.flapping, entry);
  JsonArray(out, budget, "noisiest_alertnames", r.noisiest_alertnames, count);
  JsonArray(out, budget, "noisiest_label_sets", r.noisiest_label_sets, count);
  JsonArray(out, budget, "events", r.events, event);
  JsonArray(out, budget, "deferred", r.deferred, deferred);
  if (budget.omitted() > 0) {
    out += ",\n \"omitted\":{\"count\":" + std::to_string(budget.omitted()) +
           ",\"reason\":" + JsonQuote(OmittedText(budget.omitted(), "items", budget.max_bytes())) +
           "}";
  }
  if (left_out) *left_out = budget.omitted();
  return out + "\n}\n";
}

MimeAttachment DigestCsvAttachment(const DigestReport& r, const ZonedTimeText& zone,
                                   size_t* left_out) {
  return {DigestAttachmentName(r, zone, "csv"), "text/csv; charset=utf-8",
          DigestCsv(r, kMaxAttachmentBytes, left_out)};
}

MimeAttachment DigestJsonAttachment(const DigestReport& r, const ZonedTimeText& zone,
                                    size_t* left_out) {
  return {DigestAttachmentName(r, zone, "json"), "application/json",
          DigestJson(r, kMaxAttachmentBytes, left_out)};
}

}  // namespace alertdigest
