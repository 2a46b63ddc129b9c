// POST /webhook/alertmanager: an Alertmanager webhook v4 document (one notification of one
// group). Answers as AlertSubmission does, with source "alertmanager". Alertmanager re-sends a
// 4xx'd notification every group_interval without end, so 400 is answered only for a malformed
// document or invalid alerts in it — never for a transient problem (that is 503, retried).
//
// Thread-safety: stateless; safe from any thread.
#pragma once

#include "ingest/http/alert_submission.h"
#include "ingest/http/http_exchange.h"

namespace alertdigest::http {

HttpReply PostWebhook(const HttpRequest& request, const AlertSubmission& submission);

}  // namespace alertdigest::http
