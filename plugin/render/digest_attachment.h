// The attachment of a calendar digest (the receiver's attach): EVERY entry of the report, also
// those the mail body leaves out to stay under Gmail's clipping limit. Pure functions;
// thread-safe.
#pragma once

#include <string>

#include "render/alert_attachment.h"
#include "render/digest_report.h"
#include "render/mime_writer.h"
#include "render/zoned_time_text.h"

namespace alertdigest {

// "digest-<rule>-<local date of window_end>.<ext>", e.g. "digest-daily-2026-11-30.csv";
// characters a file name should not hold become '_' (MimeWriter does the same again).
std::string DigestAttachmentName(const DigestReport& r, const ZonedTimeText& zone,
                                 std::string_view ext);

// Header row "section,alertname,labels,starts_at,ends_at,duration_seconds,fired_count,summary",
// then one row per entry, CRLF line ends, cells quoted per CsvCell (alert_attachment.h):
//   fired | open | resolved | flapping — the DigestEntry sections in this order; starts_at and
//     ends_at RFC 3339 UTC (ends_at empty while open); duration_seconds until ends_at, or until
//     window_end while open; summary = annotations.summary, else annotations.description;
//   event — starts_at = when, summary = "acknowledged by ann via link: on it" and the like;
//   deferred — starts_at/ends_at = first/last held, summary = which interval held it from whom.
// labels are all labels as "k=v, k2=v2". Past max_bytes (alert_attachment.h): a last row with
// section "omitted" and OmittedText as its summary.
// `left_out`, when given, gets the number of rows left out.
std::string DigestCsv(const DigestReport& r, size_t max_bytes = kMaxAttachmentBytes,
                      size_t* left_out = nullptr);

// One JSON object: {rule, receiver, timezone, window_start, window_end, generated_at, late,
// fired, open, resolved, flapping: [{fingerprint, labels, annotations, starts_at, ends_at,
// duration_seconds, fired_count}], noisiest_alertnames, noisiest_label_sets: [{what, count}],
// events: [{type, source, labels, author, comment, at}], deferred: [{labels, receiver,
// interval, first_at, last_at}]}; times RFC 3339 UTC, "" when unset. Past max_bytes, the
// items that do not fit are left out and "omitted": {"count": N, "reason": OmittedText} says so.
std::string DigestJson(const DigestReport& r, size_t max_bytes = kMaxAttachmentBytes,
                       size_t* left_out = nullptr);

// The attachment; `left_out` as above (0: every entry is in it).
MimeAttachment DigestCsvAttachment(const DigestReport& r, const ZonedTimeText& zone,
                                   size_t* left_out = nullptr);
MimeAttachment DigestJsonAttachment(const DigestReport& r, const ZonedTimeText& zone,
                                    size_t* left_out = nullptr);

}  // namespace alertdigest
