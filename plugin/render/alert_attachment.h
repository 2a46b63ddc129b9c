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

// Header row "status,alertname,fingerprint,starts_at,ends_at,labels,summary", then one row per
// alert (firing, then resolved); CRLF line ends. labels are written as k=v, k2=v2.
std::string AlertsCsv(const Notification& n);

// {"name":"value",…} in label order, strings JSON-escaped.
std::string LabelsJsonObject(const LabelSet& labels);

// A JSON array of {status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint}.
std::string AlertsJson(const Notification& n);

// alerts.csv / alerts.json with its content type.
MimeAttachment CsvAttachment(const Notification& n);
MimeAttachment JsonAttachment(const Notification& n);

}  // namespace alertdigest
