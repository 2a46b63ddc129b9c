#include "ingest/http/webhook_handler.h"

namespace alertdigest::http {

HttpReply PostWebhook(const HttpRequest& request, const AlertSubmission& submission) {
  return submission.Handle(request.body, PayloadShape::kWebhook, "alertmanager");
}

}  // namespace alertdigest::http
