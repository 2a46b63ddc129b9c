// GET /api/v2/status: the parts of Alertmanager's alertmanagerStatus that clients read. amtool
// (0.25+) fetches it before every command for its version check and only warns when the
// versions differ or the call fails; every field the OpenAPI spec marks required is present.
//   {"cluster":{"status":"disabled","peers":[]},"config":{"original":""},
//    "uptime":"<start time, RFC 3339>","versionInfo":{"version":"alertdigest-0.1.0",…}}
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include "core/time.h"
#include "ingest/http/http_exchange.h"

namespace alertdigest::http {

// `started_at` is when the server started (Alertmanager's "uptime" is that time).
HttpReply GetStatus(Timestamp started_at);

}  // namespace alertdigest::http
