// GET /metrics: Intake::Metrics() (the daemon's registry, which HttpApi's own series are part
// of) in Prometheus' text exposition format 0.0.4.
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include "ingest/http/http_exchange.h"
#include "ingest/intake.h"

namespace alertdigest::http {

HttpReply GetMetrics(Intake& intake);

}  // namespace alertdigest::http
