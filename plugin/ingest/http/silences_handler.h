// Alertmanager's v2 silence endpoints, as amtool uses them:
//   GET    /api/v2/silences       gettableSilences; `filter` (repeatable matcher) keeps the
//                                 silences whose own matchers, read as labels name=value,
//                                 satisfy every filter (Alertmanager's rule); sorted like
//                                 Alertmanager: active by endsAt, pending by startsAt, then
//                                 expired, most recently ended first
//   POST   /api/v2/silences       postableSilence → {"silenceID":"…"}; create, or update when
//                                 it carries an id
//   GET    /api/v2/silence/{id}   one gettableSilence
//   DELETE /api/v2/silence/{id}   expire it now; 200 with an empty body
// Errors are a bare JSON string, as Alertmanager answers them (amtool decodes that).
// Status codes: 400 for a malformed or invalid silence (the reason in the message), 404 for an
// unknown id, 503 when it could not be stored.
//
// Thread-safety: stateless functions; safe from any thread.
#pragma once

#include <string_view>

#include "ingest/http/http_exchange.h"
#include "ingest/intake.h"

namespace alertdigest::http {

inline constexpr std::string_view kSilencePathPrefix = "/api/v2/silence/";

HttpReply GetSilences(const HttpRequest& request, Intake& intake);
HttpReply PostSilences(const HttpRequest& request, Intake& intake);
// The id is what follows kSilencePathPrefix in request.path.
HttpReply GetSilence(const HttpRequest& request, Intake& intake);
HttpReply DeleteSilence(const HttpRequest& request, Intake& intake);

}  // namespace alertdigest::http
