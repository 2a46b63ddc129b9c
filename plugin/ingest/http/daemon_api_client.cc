#include "ingest/http/daemon_api_client.h"

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

}  // namespace

DaemonApiClient::DaemonApiClient(std::string host, int port, std::string token,
                                 std::string user_agent)
    : host_(std::move(host)),
      port_(port),
      token_(std::move(token)),
      user_agent_(std::move(user_agent)) {
  address_ = (host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_) + ":" +
             std::to_string(port_);
}

Result<DaemonApiClient> DaemonApiClient::Create(const ServerConfig& server,
                                                std::string user_agent) {
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
  return DaemonApiClient(std::move(host), port, std::move(token), std::move(user_agent));
}

Result<DaemonApiClient::Answer> DaemonApiClient::Exchange(const std::string& method,
                                                          const std::string& path,
                                                          const std::string& body) const {
  try {
    Poco::Net::HTTPClientSession session(host_, static_cast<Poco::UInt16>(port_));
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("User-Agent", user_agent_);
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

std::string DaemonApiClient::ErrorMessage(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError()) return body;
  if (doc.IsString()) return doc.GetString();
  if (doc.IsObject()) {
    for (const char* key : {"message", "error"}) {
      if (doc.HasMember(key) && doc[key].IsString()) return doc[key].GetString();
    }
  }
  return body;
}

}  // namespace alertdigest::http
