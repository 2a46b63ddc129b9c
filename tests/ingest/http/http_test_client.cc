#include "ingest/http/http_test_client.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <fstream>
#include <sstream>

namespace alertdigest::http_test {

std::string Response::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

Response Send(uint16_t port, const Request& request) {
  Response out;
  try {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest req(request.method, request.path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : request.headers) req.set(name, value);
    const bool has_body = !request.body.empty() || request.method == "POST";
    if (has_body) {
      if (!request.content_type.empty()) req.setContentType(request.content_type);
      req.setContentLength64(static_cast<Poco::Int64>(request.body.size()));
    }
    std::ostream& os = session.sendRequest(req);
    if (has_body) os << request.body;
    Poco::Net::HTTPResponse resp;
    std::istream& is = session.receiveResponse(resp);
    out.status = resp.getStatus();
    for (const auto& [name, value] : resp) out.headers.emplace(name, value);
    std::ostringstream body;
    Poco::StreamCopier::copyStream(is, body);
    out.body = body.str();
  } catch (const Poco::Exception& e) {
    out.status = 0;
    out.body = e.displayText();
  }
  return out;
}

std::string SendRaw(uint16_t port, const std::string& bytes, int timeout_ms) {
  std::string out;
  try {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
    socket.setReceiveTimeout(Poco::Timespan(timeout_ms * 1000LL));
    socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    char buffer[4096];
    while (true) {
      int n = socket.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) break;
      out.append(buffer, static_cast<size_t>(n));
    }
  } catch (const Poco::TimeoutException&) {
    out += "<timeout>";
  } catch (const Poco::Exception& e) {
    out += "<error: " + e.displayText() + ">";
  }
  return out;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::filesystem::path SamplesDir() { return std::filesystem::path(AD_TESTDATA_DIR) / "samples"; }

void HttpApiTest::StartServer(ServerConfig cfg, HttpLimits limits, AckLinkOptions ack) {
  cfg.listen = "127.0.0.1:0";
  Result<std::unique_ptr<HttpApi>> api = HttpApi::Start(cfg, limits, intake_, metrics_, ack);
  ASSERT_TRUE(api.ok()) << api.status().message();
  api_ = std::move(api).value();
}

Response HttpApiTest::Post(const std::string& path, const std::string& body,
                           std::vector<std::pair<std::string, std::string>> headers) {
  Request r;
  r.method = "POST";
  r.path = path;
  r.body = body;
  r.headers = std::move(headers);
  return Send(port(), r);
}

Response HttpApiTest::Get(const std::string& path) {
  Request r;
  r.path = path;
  return Send(port(), r);
}

double HttpApiTest::CounterValue(const std::string& name, const MetricLabels& labels) {
  return metrics_.GetCounter(name, "", labels).value();
}

}  // namespace alertdigest::http_test
