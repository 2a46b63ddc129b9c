// /api/v2/alerts: Prometheus' push (POST) and Alertmanager's gettableAlerts listing (GET), the
// latter with the query parameters amtool sends (`amtool alert query` always sends active,
// silenced, inhibited, unprocessed and every matcher as a repeated `filter`; `receiver` only
// when given):
//   filter=<matcher>   repeatable, Prometheus matcher syntax; all must match
//   receiver=<regex>   anchored RE2; at least one of the alert's receivers must match
//   active, silenced, inhibited, unprocessed   booleans (Go's strconv.ParseBool), default true;
//                      a "suppressed" alert is shown when silenced or inhibited is true (the
//                      intake does not say which of the two muted it)
// Bad parameters answer 400 with the reason. Alerts are sorted by fingerprint, as Alertmanager
// does.
//
// Thread-safety: stateless functions; safe from any thread.
#pragma once

#include <vector>

#include "ingest/http/alert_submission.h"
#include "ingest/http/http_exchange.h"
#include "ingest/intake.h"

namespace alertdigest::http {

// Source "prometheus" when the User-Agent says Prometheus, else "api".
HttpReply PostAlerts(const HttpRequest& request, const AlertSubmission& submission);
// The metrics source of a push: "prometheus" for Prometheus' user agent, else "api".
std::string_view AlertSourceOf(const HttpRequest& request);
HttpReply GetAlerts(const HttpRequest& request, Intake& intake);

// The JSON array of gettableAlerts for `alerts`, in the given order.
std::string RenderGettableAlerts(const std::vector<AlertSnapshot>& alerts);

}  // namespace alertdigest::http
