// The optional attachment listing a notification's alerts (Receiver::attach): CSV for
// spreadsheets, JSON (Alertmanager's alert shape) for scripts. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "render/email.h"
#include "render/mime_writer.h"

namespace alertdigest {

// One CSV cell per RFC 4180: quoted (with "" for ") when it holds a comma, quote, CR or LF.
// A cell starting with = + - @ (or TAB/CR) is prefixed with ' first, so a spreadsheet never
// runs alert data as a formula.
std::string CsvCell(std::string_view value);

// Gmail takes 25 MB a message, MIME encoding included, and base64 makes an attachment 37 %
// larger (with its line ends): an attachment stops at 16 MiB (~23 MB encoded), so the mail, body
// included, always goes out. The rows (CSV) or items (JSON) past it are left out, and a last row
// or item says how many.
inline constexpr size_t kMaxAttachmentBytes = 16 * 1024 * 1024;

// "16 MiB" (or "N bytes").
std::string AttachmentLimitText(size_t max_bytes = kMaxAttachmentBytes);

// "N more … not listed: the attachment stops at 16 MiB".
std::string OmittedText(size_t omitted, std::string_view what, size_t max_bytes);

// Keeps an attachment under max_bytes: a piece that does not fit, and every one after it (the
// list keeps its order), is counted instead of added; room is left for the closing row or item
// that says how many.
class AttachmentBudget {
 public:
  explicit AttachmentBudget(size_t max_bytes) : max_bytes_(max_bytes) {}
  // Appends `piece` to `out` if it fits; false if it was counted instead.
  bool Add(std::string& out, const std::string& piece);
  size_t omitted() const { return omitted_; }
  size_t max_bytes() const { return max_bytes_; }

 private:
  static constexpr size_t kTailBytes = 256;
  size_t max_bytes_;
  size_t omitted_ = 0;
};

// Header row "status,alertname,fingerprint,starts_at,ends_at,labels,summary", then one row per
// alert (firing, then resolved); CRLF line ends. labels are written as k=v, k2=v2. Past
// max_bytes: a last row with status "omitted" and OmittedText as its summary.
std::string AlertsCsv(const Notification& n, size_t max_bytes = kMaxAttachmentBytes);

// {"name":"value",…} in label order, strings JSON-escaped.
std::string LabelsJsonObject(const LabelSet& labels);

// A JSON array of {status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint}.
// Past max_bytes: a last item {"omitted": N, "reason": OmittedText}.
std::string AlertsJson(const Notification& n, size_t max_bytes = kMaxAttachmentBytes);

// alerts.csv / alerts.json with its content type.
MimeAttachment CsvAttachment(const Notification& n);
MimeAttachment JsonAttachment(const Notification& n);

}  // namespace alertdigest
