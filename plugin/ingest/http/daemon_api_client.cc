#include "ingest/http/daemon_api_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <rapidjson/document.h>

#include <cctype>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

namespace alertdigest::http {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

// A client context that trusts exactly the certificate(s) in `cert_file`: they are the only
// trust anchors, a chain may end at any of them (X509_V_FLAG_PARTIAL_CHAIN: the daemon's own leaf
// certificate suffices), and host names are not compared (the CLI dials the listen address,
// which the certificate need not name; the pin is stronger than a name).
Poco::Net::Context::Ptr PinnedContext(const std::string& cert_file) {
  static std::once_flag ssl_init;
  std::call_once(ssl_init, [] { Poco::Net::initializeSSL(); });
  Poco::Net::Context::Params p;
  p.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
  p.loadDefaultCAs = false;
  p.caLocation = cert_file;
  Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
  ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
  ctx->enableExtendedCertificateVerification(false);
  X509_STORE_set_flags(SSL_CTX_get_cert_store(ctx->sslContext()), X509_V_FLAG_PARTIAL_CHAIN);
  return ctx;
}

}  // namespace

DaemonApiClient::DaemonApiClient(std::string host, int port, std::string token,
                                 std::string user_agent, std::string tls_cert)
    : host_(std::move(host)),
      port_(port),
      token_(std::move(token)),
      user_agent_(std::move(user_agent)),
      tls_cert_(std::move(tls_cert)) {
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
  if (!server.tls_cert.empty() && !std::ifstream(server.tls_cert, std::ios::binary))
    return Status::InvalidArgument("tls_cert " + server.tls_cert + ": cannot read");
  return DaemonApiClient(std::move(host), port, std::move(token), std::move(user_agent),
                         server.tls_cert);
}

Result<DaemonApiClient::Answer> DaemonApiClient::Exchange(const std::string& method,
                                                          const std::string& path,
                                                          const std::string& body) const {
  try {
    const auto port = static_cast<Poco::UInt16>(port_);
    std::unique_ptr<Poco::Net::HTTPClientSession> tls_or_plain =
        tls_cert_.empty() ? std::make_unique<Poco::Net::HTTPClientSession>(host_, port)
                          : std::make_unique<Poco::Net::HTTPSClientSession>(
                                host_, port, PinnedContext(tls_cert_));
    Poco::Net::HTTPClientSession& session = *tls_or_plain;
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
  } catch (const Poco::Net::SSLException& e) {
    return Status::PermissionDenied(fmt::format(
        "TLS with the daemon at {} failed: {} (the CLI trusts exactly the certificate in "
        "tls_cert {})",
        address_, e.displayText(), tls_cert_));
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
