// The view model of a calendar digest (documented field by field in docs/TEMPLATES.md, "Digest
// view model"): a DigestReport with its times on the report's wall clock ("Mon 30 Nov 08:00
// CET") and every list cut to `max_per_section` entries, the rest counted ("and N more").
// Values are data only, as in view_model.h; every entry field is always present (conditions
// use booleans), so a name missing in an entry never falls through to an outer context.
//
// Every value shown is bounded (kMaxDigestValueChars characters, cut with "…"), so the size of
// the rendered mail grows only with max_per_section: EmailRenderer::RenderDigest lowers it until
// the HTML part fits kMaxDigestHtmlBytes.
//
// Render-internal (exposes kainjow types). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "core/time.h"
#include "render/digest_report.h"
#include "render/kainjow.h"
#include "render/zoned_time_text.h"

namespace alertdigest {

inline constexpr size_t kMaxDigestEntriesPerSection = 50;
inline constexpr size_t kMaxDigestValueChars = 300;

struct DigestViewOptions {
  size_t max_per_section = kMaxDigestEntriesPerSection;
  std::string attachment_filename;  // the CSV/JSON attachment, "" when there is none
  bool attachment_cut = false;      // it stopped at kMaxAttachmentBytes: not every entry is in it
  std::string external_url;
};

mustache::data BuildDigestViewModel(const DigestReport& report, const ZonedTimeText& zone,
                                    const DigestViewOptions& options);

// "3 fired, 2 still open, 5 resolved, 1 flapping".
std::string DigestCounts(const DigestReport& report);

// The two largest units, short: "2d 4h", "3h 12m", "5m 3s", "45s"; "0s" for zero or less.
std::string ShortDuration(Duration d);

// How long an entry was (or, still open at window_end, has been) firing; zero when unknown.
Duration DigestEntryDuration(const DigestEntry& e, Timestamp window_end);

// "FLAPPINGSTART" → "flapping started", "ACKNOWLEDGEMENT" → "acknowledged", …; other types in
// lower case.
std::string DigestEventWhat(std::string_view type);

// One line for an event: "acknowledged by ann via link: on it",
// "downtime started (nagios) by admin: maintenance" (uncut).
std::string DigestEventText(const DigestEvent& e);

}  // namespace alertdigest
