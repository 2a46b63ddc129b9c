// AlertDecoder: turns one JSON text (one record of stdin, or one HTTP request body) into alerts,
// with Alertmanager's POST /api/v2/alerts rules:
//   labels       required object of strings; empty values are dropped first; then at least one
//                label must remain and every name must match [a-zA-Z_][a-zA-Z0-9_]*
//   annotations  optional object of strings, same name rule
//   startsAt     optional RFC 3339; Go's zero time "0001-01-01T00:00:00Z" means unset
//   endsAt       optional RFC 3339, same; must not be before startsAt when both are given
//   generatorURL optional string
//   status       optional "firing" | "resolved" (webhook alerts and JSON lines carry it);
//                "resolved" without endsAt ends the alert at `now`
// Unknown fields are ignored (e.g. the webhook's "fingerprint": ours is recomputed, and equal).
// A JSON null counts as an absent optional field. Each accepted alert is Finalize()d with `now`.
//
// Accepted shapes (PayloadShape::kAny picks by shape):
//   array                       → alerts (Prometheus' POST body), paths "$[i]"
//   object with "alerts" array  → Alertmanager webhook v4 document, paths "$.alerts[i]"
//   object with "labels" (or another alert field but "status") → one alert (a JSON line), "$"
// One bad alert never sinks the others of the same array or document: it becomes one
// RejectedEvent and decoding goes on. Syntax errors reject the whole text, with RapidJSON's
// message and the exact line of the error; nesting depth is not limited by the C++ stack.
// Strings an alert keeps (label and annotation names and values, generatorURL) must be valid
// UTF-8 and free of NUL: otherwise that alert is rejected naming the field
// ("$[0].labels.job: value is not valid UTF-8", "…: value contains a NUL character (\u0000)").
//
// Thread-safe: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "core/alert.h"
#include "ingest/rejected_event.h"

namespace alertdigest {

enum class PayloadShape {
  kAny,         // whichever of the three below the text is
  kAlert,       // one alert object
  kAlertArray,  // an array of alert objects
  kWebhook,     // an Alertmanager webhook document
};

struct DecodeOptions {
  Timestamp now = kNoTime;  // receipt time: Finalize() and "resolved" without endsAt use it
  Duration resolve_timeout = std::chrono::minutes(5);
  PayloadShape expect = PayloadShape::kAny;
};

struct DecodeResult {
  std::vector<Alert> alerts;            // finalized, in input order
  std::vector<RejectedEvent> rejected;  // in input order
};

// Decodes `text`, one JSON value whose first byte is on line `first_line` of the input (lines
// of rejections are counted from there), and appends to *out.
void DecodeJson(std::string_view text, int first_line, const DecodeOptions& options,
                DecodeResult* out);
inline DecodeResult DecodeJson(std::string_view text, int first_line,
                               const DecodeOptions& options) {
  DecodeResult result;
  DecodeJson(text, first_line, options, &result);
  return result;
}

}  // namespace alertdigest
