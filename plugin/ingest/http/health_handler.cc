#include "ingest/http/health_handler.h"

namespace alertdigest::http {

HttpReply GetHealthz() { return TextReply(200, "OK\n"); }

HttpReply GetReadyz(const Intake& intake) {
  if (intake.Ready()) return TextReply(200, "OK\n");
  HttpReply reply = TextReply(503, "not ready: loading state\n");
  reply.reject_reason = "not ready";
  return reply;
}

HttpReply PostReload(Intake& intake) {
  Status st = intake.Reload();
  if (st.ok()) return TextReply(200, "reloaded\n");
  HttpReply reply = TextReply(500, "reload: " + st.message() + "\n");
  reply.reject_reason = "reload failed";
  return reply;
}

}  // namespace alertdigest::http
