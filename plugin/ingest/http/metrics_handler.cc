#include "ingest/http/metrics_handler.h"

namespace alertdigest::http {

HttpReply GetMetrics(Intake& intake) {
  HttpReply reply;
  reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  reply.body = intake.Metrics();
  return reply;
}

}  // namespace alertdigest::http
