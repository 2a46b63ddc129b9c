// ApiRouter: the endpoint table of HttpApi — which (method, path) runs which handler, under which
// metric label, whether it needs the bearer token and whether it takes a JSON body. The table is
// written once, in api_router.cc.
//
// Thread-safety: immutable after construction; Find() and the handlers are safe from any thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/metrics.h"
#include "core/time.h"
#include "ingest/http/ack_handler.h"
#include "ingest/http/alert_submission.h"
#include "ingest/http/http_api.h"
#include "ingest/http/http_exchange.h"
#include "ingest/intake.h"

namespace alertdigest::http {

struct Route {
  std::string method;
  std::string path;
  std::string label;       // metric label "handler": the path
  bool open = false;       // served without the bearer token (health probes, ack links)
  bool json_body = false;  // POST of a JSON document: content type and size are checked
  bool form_body = false;  // POST of an HTML form (urlencoded): content type and size checked
  bool prefix = false;     // `path` ends in '/' and matches every longer path ("…/{id}")
  std::function<HttpReply(const HttpRequest&)> handle;
  // The alert intake routes only: the first half of `handle` (decode and check), for a server
  // that submits many requests at once and answers with AlertSubmission::Finish.
  std::function<PreparedSubmission(const HttpRequest&)> prepare;
};

class ApiRouter {
 public:
  ApiRouter(Intake& intake, MetricsRegistry& metrics, const HttpLimits& limits,
            Timestamp started_at, const AckLinkOptions& ack);
  ApiRouter(const ApiRouter&) = delete;  // routes point into this object
  ApiRouter& operator=(const ApiRouter&) = delete;

  // The route for (method, path). When the path exists under other methods only, returns nullptr
  // and sets *allow to them ("GET, POST"); when the path is unknown, nullptr and *allow empty.
  const Route* Find(std::string_view method, std::string_view path, std::string* allow) const;

 private:
  AlertSubmission submission_;
  AckHandler ack_;
  std::vector<Route> routes_;
};

}  // namespace alertdigest::http
