#include "ingest/http/silence_api_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <fmt/format.h>
#include <rapidjson/document.h>

#include <cctype>
#include <fstream>
#include <sstream>

namespace alertdigest::http {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

// Alertmanager's error body: a JSON string, or {"message":…}; else the body itself.
std::string ErrorMessage(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (!doc.HasParseError() && doc.IsString()) return doc.GetString();
  if (!doc.HasParseError() && doc.IsObject() && doc.HasMember("message") &&
      doc["message"].IsString())
    return doc["message"].GetString();
  return body;
}

}  // namespace

SilenceApiClient::SilenceApiClient(std::string host, int port, std::string token)
    : host_(std::move(host)), port_(port), token_(std::move(token)) {
  address_ = (host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_) + ":" +
             std::to_string(port_);
}

Result<SilenceApiClient> SilenceApiClient::Create(const ServerConfig& server) {
  const std::string& listen = server.listen;
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size())
    return Status::InvalidArgument("server.listen \"" + listen + "\": expected host:port");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  int port = 0;
  for (char c : listen.substr(colon + 1)) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || port > 65535)
      return Status::InvalidArgument("server.listen \"" + listen + "\": bad port");
    port = port * 10 + (c - '0');
  }
  std::string token;
  if (!server.auth_token_file.empty()) {
    std::ifstream in(server.auth_token_file, std::ios::binary);
    if (!in)
      return Status::InvalidArgument("auth_token_file " + server.auth_token_file + ": cannot read");
    std::stringstream content;
    content << in.rdbuf();
    token = Trim(content.str());
  }
  return SilenceApiClient(std::move(host), port, std::move(token));
}

Result<SilenceApiClient::Answer> SilenceApiClient::Exchange(const std::string& method,
                                                            const std::string& path,
                                                            const std::string& body) const {
  try {
    Poco::Net::HTTPClientSession session(host_, static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("User-Agent", "alertdigest-silence");
    if (!token_.empty()) request.set("Authorization", "Bearer " + token_);
    if (!body.empty()) {
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Answer answer;
    answer.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(in, answer.body);
    return answer;
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return Status::Unavailable(fmt::format(
        "no alertdigest daemon answers at {}: connection refused; start `alertdigest serve`",
        address_));
  } catch (const Poco::Exception& e) {
    return Status::Unavailable(
        fmt::format("no alertdigest daemon answers at {}: {}", address_, e.displayText()));
  }
}

namespace {
Status FromAnswer(int status, const std::string& body, const std::string& what) {
  std::string message = what + ": " + ErrorMessage(body);
  if (status == 400) return Status::InvalidArgument(message);
  if (status == 404) return Status::NotFound(message);
  if (status == 401) return Status::InvalidArgument(message + " (check auth_token_file)");
  return Status::Internal(fmt::format("{} (HTTP {})", message, status));
}
}  // namespace

Result<std::string> SilenceApiClient::Add(const Silence& silence) const {
  Result<Answer> a = Exchange("POST", "/api/v2/silences", PostableSilenceJson(silence));
  if (!a.ok()) return a.status();
  if (a->status != 200) return FromAnswer(a->status, a->body, "add silence");
  rapidjson::Document doc;
  doc.Parse(a->body.data(), a->body.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("silenceID") ||
      !doc["silenceID"].IsString())
    return Status::Internal("add silence: unexpected answer: " + a->body);
  return std::string(doc["silenceID"].GetString());
}

Result<std::vector<ListedSilence>> SilenceApiClient::List() const {
  Result<Answer> a = Exchange("GET", "/api/v2/silences", "");
  if (!a.ok()) return a.status();
  if (a->status != 200) return FromAnswer(a->status, a->body, "list silences");
  auto listed = DecodeGettableSilences(a->body);
  if (!listed.ok()) return listed.status().Wrap("list silences: unexpected answer");
  return listed;
}

Status SilenceApiClient::Expire(const std::string& id) const {
  Result<Answer> a = Exchange("DELETE", "/api/v2/silence/" + id, "");
  if (!a.ok()) return a.status();
  if (a->status != 200) return FromAnswer(a->status, a->body, "expire silence " + id);
  return Status::Ok();
}

}  // namespace alertdigest::http
