// Operational endpoints: GET /healthz (200 "OK" while the process serves), GET /readyz (200
// "OK" once Intake::Ready(), else 503 "not ready: loading state") and POST /-/reload (200
// "reloaded", or 500 with every problem the new configuration has).
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include "ingest/http/http_exchange.h"
#include "ingest/intake.h"

namespace alertdigest::http {

HttpReply GetHealthz();
HttpReply GetReadyz(const Intake& intake);
HttpReply PostReload(Intake& intake);

}  // namespace alertdigest::http
