// What an acknowledgement POST carries, decoded and checked: the link page's form
// (application/x-www-form-urlencoded: by, comment) and the API's JSON document
// ({"group", "episode"?, "by", "comment"?, "via"?}). Both end as an AckRequest whose `by` is
// trimmed, non-empty, at most kMaxAckByBytes, valid UTF-8 without control characters, and whose
// comment is at most kMaxAckCommentBytes of valid UTF-8 (line breaks as "\n", no other control
// characters but tabs).
//
// Errors are InvalidArgument naming the field: "by: required (your name or address)",
// "episode: expected a non-negative integer", "invalid JSON at offset 3: …".
//
// Thread-safety: stateless functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "ingest/intake.h"

namespace alertdigest::http {

inline constexpr size_t kMaxAckByBytes = 200;
inline constexpr size_t kMaxAckCommentBytes = 2000;

// The link page's form as typed: `by` and `comment` (the first of each; other fields are
// ignored), not yet checked. InvalidArgument "form: bad percent-encoding".
struct AckFormFields {
  std::string by;
  std::string comment;
};
Result<AckFormFields> DecodeAckForm(std::string_view body);

// Trims `by` and normalises the comment's line breaks in place, then checks both as above.
Status CheckAckFields(AckRequest& request);

// The API's document; `via` is "api" unless the document says "cli" (or "api").
Result<AckRequest> DecodeAckJson(std::string_view body);

}  // namespace alertdigest::http
