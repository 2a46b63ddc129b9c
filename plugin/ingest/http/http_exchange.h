// HttpRequest / HttpReply: what a handler of the HTTP API sees and answers, free of Poco so the
// handlers stay plain functions. The request has already passed the RequestGuard (auth, method,
// content type, body size) when a handler gets it.
//
// Thread-safety: value types.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alertdigest::http {

struct HttpRequest {
  std::string method;  // "GET", "POST"
  std::string path;    // decoded, without the query: "/api/v2/alerts"
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order, repeats kept
  std::string user_agent;
  std::string remote_address;  // the peer, "203.0.113.7:51234" (for logs)
  std::string body;  // read in full, at most ServerConfig::max_body bytes

  // Every value of query parameter `name`, in order.
  std::vector<std::string> QueryValues(std::string_view name) const;
};

struct HttpReply {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra response headers
  // Set when the request was refused or partly refused: logged at info, never sent.
  std::string reject_reason;
};

// {"code":<status>,"message":"…"}, Alertmanager's error body; `message` is also the reject
// reason that gets logged.
HttpReply JsonErrorReply(int status, std::string message);
HttpReply TextReply(int status, std::string text);

}  // namespace alertdigest::http
