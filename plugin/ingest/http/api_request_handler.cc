#include "ingest/http/api_request_handler.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>
#include <fmt/format.h>

#include <chrono>

#include "core/log.h"
#include "ingest/http/ack_handler.h"

namespace alertdigest::http {
namespace {

const std::vector<double> kDurationBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                              0.5,   1,    2.5,   5,    10};

// Decoded query parameters, in order; '+' means a space, as Go's url.Values.Encode writes it.
// Throws Poco::SyntaxException on a bad percent escape.
std::vector<std::pair<std::string, std::string>> ParseQuery(const std::string& raw) {
  std::vector<std::pair<std::string, std::string>> out;
  auto decode = [](std::string s) {
    for (char& c : s)
      if (c == '+') c = ' ';
    std::string decoded;
    Poco::URI::decode(s, decoded);
    return decoded;
  };
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find('&', start);
    if (end == std::string::npos) end = raw.size();
    std::string part = raw.substr(start, end - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      if (eq == std::string::npos)
        out.emplace_back(decode(part), "");
      else
        out.emplace_back(decode(part.substr(0, eq)), decode(part.substr(eq + 1)));
    }
    start = end + 1;
  }
  return out;
}

bool HasBody(const Poco::Net::HTTPServerRequest& request) {
  return request.getChunkedTransferEncoding() ||
         (request.hasContentLength() && request.getContentLength64() > 0);
}

// The connection's socket (for its deadline); nullptr if Poco ever hands us another request type.
Poco::Net::StreamSocket* SocketOf(Poco::Net::HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  return impl ? &impl->socket() : nullptr;
}

// At most `n` bytes of a client-supplied value for a message.
std::string Clip(std::string_view s, size_t n = 100) {
  return s.size() <= n ? std::string(s) : std::string(s.substr(0, n)) + "…";
}

}  // namespace

Admission Admit(const ServerState& state, const RequestHead& head) {
  Admission a;
  a.request.method = head.method;
  auto refuse = [&](HttpReply reply) {
    a.route = nullptr;
    a.refusal = std::move(reply);
    return std::move(a);
  };
  if (state.stopping.load()) return refuse(JsonErrorReply(503, "shutting down"));
  std::string raw_query;
  try {
    Poco::URI uri(head.target);
    a.request.path = uri.getPath();
    raw_query = uri.getRawQuery();
  } catch (const Poco::SyntaxException& e) {
    // Poco's message quotes the text it failed to decode: for an ack link, the token.
    const bool ack_link = head.target.starts_with(kAckPathPrefix);
    return refuse(
        JsonErrorReply(400, "bad request: " + (ack_link ? "malformed URI" : e.displayText())));
  }
  std::string allow;
  a.route = state.router.Find(head.method, a.request.path, &allow);
  if (!a.route) {
    if (allow.empty())
      return refuse(
          JsonErrorReply(404, "no such endpoint: " + Clip(LoggableTarget(a.request.path))));
    HttpReply reply = JsonErrorReply(
        405, fmt::format("method {} not allowed on {} (allowed: {})", Clip(head.method, 16),
                         LoggableTarget(a.request.path), allow));
    reply.headers.emplace_back("Allow", allow);
    return refuse(std::move(reply));
  }
  a.label = a.route->label;
  if (!a.route->open && !state.guard.Authorized(head.authorization)) {
    HttpReply reply =
        JsonErrorReply(401, head.has_authorization ? "wrong credentials" : "missing credentials");
    reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"alertdigest\"");
    return refuse(std::move(reply));
  }
  if (a.route->json_body || a.route->form_body) {
    const size_t max_body = state.guard.max_body();
    const bool type_ok = a.route->json_body ? RequestGuard::IsJsonContentType(head.content_type)
                                            : RequestGuard::IsFormContentType(head.content_type);
    if (!type_ok) {
      return refuse(JsonErrorReply(
          415,
          fmt::format("Content-Type must be {}, got \"{}\"",
                      a.route->json_body ? "application/json" : "application/x-www-form-urlencoded",
                      Clip(head.content_type))));
    }
    if (!head.chunked && !head.content_length) {
      return refuse(JsonErrorReply(411, "Content-Length or chunked transfer encoding required"));
    }
    if (head.content_length && *head.content_length > max_body) {
      return refuse(JsonErrorReply(413, fmt::format("request body of {} bytes is larger than "
                                                    "max_body ({} bytes)",
                                                    *head.content_length, max_body)));
    }
  }
  try {
    a.request.query = ParseQuery(raw_query);
  } catch (const Poco::SyntaxException& e) {
    return refuse(JsonErrorReply(400, "bad request: " + e.displayText()));
  }
  return a;
}

HttpReply RunHandler(const Route& route, const HttpRequest& request) {
  try {
    return route.handle(request);
  } catch (const Poco::Exception& e) {
    return JsonErrorReply(500, "internal error: " + e.displayText());
  } catch (const std::exception& e) {
    return JsonErrorReply(500, std::string("internal error: ") + e.what());
  }
}

void RecordRequest(ServerState& state, std::string_view method, std::string_view target,
                   const std::string& label, const HttpReply& reply,
                   std::chrono::steady_clock::time_point start) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  state.metrics
      .GetCounter("alertdigest_http_requests_total", "HTTP requests, by handler and status code.",
                  {{"handler", label}, {"code", std::to_string(reply.status)}})
      .Inc();
  state.metrics
      .GetHistogram("alertdigest_http_request_duration_seconds",
                    "Time to answer an HTTP request, by handler.", kDurationBuckets,
                    {{"handler", label}})
      .Observe(seconds);
  if (log::Enabled(log::Level::kDebug) || !reply.reject_reason.empty()) {
    const std::string path = Clip(LoggableTarget(target), 200);
    log::Debug("http request", {{"method", Clip(method, 16)},
                                {"path", path},
                                {"status", reply.status},
                                {"bytes", reply.body.size()},
                                {"duration_ms", static_cast<int64_t>(seconds * 1000)}});
    if (!reply.reject_reason.empty()) {
      log::Info("http request refused", {{"method", Clip(method, 16)},
                                         {"path", path},
                                         {"status", reply.status},
                                         {"reason", Clip(reply.reject_reason, 2000)}});
    }
  }
}

HttpReply ApiRequestHandler::Serve(Poco::Net::HTTPServerRequest& request, std::string* label,
                                   bool* body_unread) {
  RequestHead head;
  head.method = request.getMethod();
  head.target = request.getURI();
  head.has_authorization = request.has("Authorization");
  head.authorization = request.get("Authorization", "");
  head.content_type = request.getContentType();
  head.chunked = request.getChunkedTransferEncoding();
  if (request.hasContentLength())
    head.content_length = static_cast<uint64_t>(request.getContentLength64());
  Admission a = Admit(state_, head);
  *label = a.label;
  if (a.refusal) return std::move(*a.refusal);
  HttpRequest& req = a.request;
  if (a.route->json_body || a.route->form_body) {
    const size_t max_body = state_.guard.max_body();
    switch (state_.guard.ReadBody(request.stream(), &req.body)) {
      case RequestGuard::BodyRead::kOk:
        *body_unread = false;
        // Poco's fixed-length stream ends quietly when the connection does (a client gone, or
        // cut off for being too slow): a short body is a failed read, never a request.
        if (head.content_length && req.body.size() != *head.content_length) {
          return JsonErrorReply(400, fmt::format("read request body: connection closed after {} "
                                                 "of {} bytes",
                                                 req.body.size(), *head.content_length));
        }
        break;
      case RequestGuard::BodyRead::kTooLarge:
        return JsonErrorReply(
            413, fmt::format("request body is larger than max_body ({} bytes)", max_body));
      case RequestGuard::BodyRead::kFailed:
        return JsonErrorReply(400, "read request body: connection failed or timed out");
    }
  }
  req.user_agent = request.get("User-Agent", "");
  req.remote_address = request.clientAddress().toString();
  // The request is in: no deadline while we work on it (a commit may take its time).
  if (Poco::Net::StreamSocket* socket = SocketOf(request)) state_.deadlines.Disarm(*socket);
  return RunHandler(*a.route, req);
}

void ApiRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                      Poco::Net::HTTPServerResponse& response) {
  const auto start = std::chrono::steady_clock::now();
  state_.in_flight.fetch_add(1);
  std::string label = "other";
  bool body_unread = HasBody(request);
  HttpReply reply;
  try {
    reply = Serve(request, &label, &body_unread);
  } catch (const Poco::Exception& e) {
    reply = JsonErrorReply(500, "internal error: " + e.displayText());
  } catch (const std::exception& e) {
    reply = JsonErrorReply(500, std::string("internal error: ") + e.what());
  }
  try {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    if (!reply.content_type.empty()) response.setContentType(reply.content_type);
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    // A body left unread would be parsed as the next request: close the connection instead.
    if (body_unread || state_.stopping.load()) response.setKeepAlive(false);
    // The client must take the reply within request_timeout, then send its next request on a
    // keep-alive connection within request_timeout after Poco's idle wait for it.
    Poco::Net::StreamSocket* socket = SocketOf(request);
    if (socket) state_.deadlines.Arm(*socket, state_.request_timeout);
    response.sendBuffer(reply.body.data(), reply.body.size());
    if (socket) state_.deadlines.Arm(*socket, state_.keep_alive_timeout + state_.request_timeout);
  } catch (const Poco::Exception& e) {
    log::Debug("http reply not sent",
               {{"path", LoggableTarget(request.getURI())}, {"error", e.displayText()}});
  } catch (const std::exception& e) {
    log::Debug("http reply not sent",
               {{"path", LoggableTarget(request.getURI())}, {"error", e.what()}});
  }
  state_.in_flight.fetch_sub(1);
  RecordRequest(state_, request.getMethod(), request.getURI(), label, reply, start);
}

Poco::Net::HTTPRequestHandler* ApiRequestHandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
  // Poco answers "Expect: 100-continue" with "100 Continue" after this returns, unless the
  // response status is no longer 200. A body that will be refused for its size is not invited:
  // the client gets the 413 (from the handler) without sending a byte of it.
  if (request.getExpectContinue() && request.hasContentLength() &&
      static_cast<uint64_t>(request.getContentLength64()) > state_.guard.max_body()) {
    request.response().setStatus(Poco::Net::HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE);
  }
  return new ApiRequestHandler(state_);
}

}  // namespace alertdigest::http
