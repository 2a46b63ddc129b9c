// AlertSubmission: the shared body of POST /api/v2/alerts and POST /webhook/alertmanager —
// decode (DecodeJson), apply HttpLimits, hand the valid alerts to Intake::Submit, and answer
// like Alertmanager's API:
//   200, empty body                  every alert committed
//   400 {"code","message"}           bad JSON ("$: <reason> (line L)"), or some alerts invalid:
//                                    the valid ones are committed first, the message names each
//                                    bad one ("2 of 5 alerts rejected: $[1].labels: …; $[3]…")
//   413                              more alerts than max_alerts_per_request; nothing submitted
//   503                              Submit said Unavailable / IoError; nothing accepted
// Counts alertdigest_alerts_received_total{source} and alertdigest_alerts_invalid_total{source,
// reason} with reason one of json, labels, annotations, time, limit, alert.
//
// Thread-safety: Handle() may run on many threads at once (Intake and MetricsRegistry are
// thread-safe); the object itself is immutable.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/metrics.h"
#include "ingest/alert_decoder.h"
#include "ingest/http/http_api.h"
#include "ingest/http/http_exchange.h"
#include "ingest/intake.h"

namespace alertdigest::http {

// A request decoded and checked, before its alerts go to the Intake.
struct PreparedSubmission {
  std::optional<HttpReply> reply;  // answered already: nothing to submit (bad JSON, 413, …)
  IntakeBatch batch;               // the valid alerts and their source
  std::string rejections;          // some alerts were rejected: the 400's message
};

class AlertSubmission {
 public:
  AlertSubmission(Intake& intake, MetricsRegistry& metrics, const HttpLimits& limits)
      : intake_(intake), metrics_(metrics), limits_(limits) {}

  // `shape` is kAlertArray or kWebhook; `source` labels metrics and is passed to Submit.
  // Handle = Prepare, Intake::Submit, Finish.
  HttpReply Handle(std::string_view body, PayloadShape shape, std::string_view source) const;

  // The two halves, for a server that submits many requests' alerts at once
  // (Intake::SubmitAllAsync): decode and check; then the reply once the batch's result is known.
  PreparedSubmission Prepare(std::string_view body, PayloadShape shape,
                             std::string_view source) const;
  static HttpReply Finish(PreparedSubmission& prepared);

 private:
  void CountInvalid(std::string_view source, std::string_view reason, double n) const;

  Intake& intake_;
  MetricsRegistry& metrics_;
  HttpLimits limits_;
};

}  // namespace alertdigest::http
