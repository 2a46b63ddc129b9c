#include "ingest/http/http_exchange.h"

#include "ingest/http/json_writer.h"

namespace alertdigest::http {

std::vector<std::string> HttpRequest::QueryValues(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [key, value] : query) {
    if (key == name) out.push_back(value);
  }
  return out;
}

HttpReply JsonErrorReply(int status, std::string message) {
  HttpReply reply;
  reply.status = status;
  reply.content_type = "application/json";
  JsonWriter w;
  w.BeginObject().Key("code").Int(status).Key("message").String(message).EndObject();
  reply.body = w.Take();
  reply.reject_reason = std::move(message);
  return reply;
}

HttpReply TextReply(int status, std::string text) {
  HttpReply reply;
  reply.status = status;
  reply.body = std::move(text);
  return reply;
}

}  // namespace alertdigest::http
