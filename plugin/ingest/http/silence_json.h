// Silences in Alertmanager's v2 JSON (api/v2/openapi.yaml): postableSilence in, gettableSilence
// out, and back again for the API client. A matcher's {isRegex, isEqual} pair maps onto the
// four operators: (false,true) =, (false,false) !=, (true,true) =~, (true,false) !~; isEqual
// defaults to true as in the spec.
//
// Thread-safety: stateless functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "ingest/http/json_writer.h"
#include "store/records.h"

namespace alertdigest::http {

// One gettableSilence: id, status.state (at `now`), updatedAt, matchers, startsAt, endsAt,
// createdBy, comment.
void WriteGettableSilence(JsonWriter& w, const Silence& silence, Timestamp now);

// A postableSilence: id (when set), matchers, startsAt, endsAt, createdBy, comment.
std::string PostableSilenceJson(const Silence& silence);

// A postableSilence (a gettableSilence is accepted too; unknown fields are ignored). Errors
// (InvalidArgument) name the field: "matchers[1].isRegex: required boolean",
// "startsAt: bad time \"x\"", "invalid JSON at offset 3: …".
Result<Silence> DecodePostableSilence(std::string_view json);

// A silence as the API lists it: the silence and its state ("pending", "active", "expired").
struct ListedSilence {
  Silence silence;
  std::string state;
};
// A gettableSilences array (what GET /api/v2/silences answers).
Result<std::vector<ListedSilence>> DecodeGettableSilences(std::string_view json);

}  // namespace alertdigest::http
