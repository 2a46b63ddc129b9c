#include "ingest/http/http_api.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <thread>

#include "core/clock.h"
#include "core/log.h"
#include "ingest/http/api_request_handler.h"
#include "ingest/http/event_loop_server.h"

namespace alertdigest {

using http::ServerState;

class HttpApi::Impl {
 public:
  Impl(std::unique_ptr<ServerState> state, const HttpLimits& limits)
      : state_(std::move(state)),
        limits_(limits),
        pool_(1, std::max(1, limits.worker_threads), 60) {}

  std::unique_ptr<ServerState> state_;
  HttpLimits limits_;
  // Plain HTTP: our event loop. TLS: Poco's TCPServer with HTTPServerConnection, on pool_.
  std::unique_ptr<http::EventLoopServer> loop_;
  Poco::ThreadPool pool_;
  Poco::Net::ServerSocket socket_;  // shares the server's socket, to close it at Stop()
  std::unique_ptr<Poco::Net::TCPServer> server_;
  uint16_t port_ = 0;
  bool stopped_ = false;
};

namespace {

// "address already in use" for errno-carrying socket errors, Poco's text otherwise.
std::string Describe(const Poco::Exception& e) {
  if (e.code() > 0 && e.code() < 4096) {
    std::string text = std::strerror(e.code());
    if (!text.empty())
      text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return text;
  }
  return e.displayText();
}

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown TLS error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

// A server context holding the certificate chain and key; never prompts for a passphrase.
Result<Poco::Net::Context::Ptr> MakeTlsContext(const ServerConfig& cfg) {
  Poco::Net::Context::Ptr ctx;
  try {
    ctx =
        new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, "",
                               Poco::Net::Context::VERIFY_NONE, 9, false, "HIGH:!aNULL:!MD5:!RC4");
    ctx->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                          Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("create TLS context: " + e.displayText());
  }
  SSL_CTX* ssl = ctx->sslContext();
  ERR_clear_error();
  SSL_CTX_set_default_passwd_cb(ssl, [](char*, int, int, void*) { return 0; });
  if (SSL_CTX_use_certificate_chain_file(ssl, cfg.tls_cert.c_str()) != 1) {
    return Status::InvalidArgument(fmt::format("tls_cert {}: {}", cfg.tls_cert, OpenSslError()));
  }
  if (SSL_CTX_use_PrivateKey_file(ssl, cfg.tls_key.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Status::InvalidArgument(fmt::format("tls_key {}: {}", cfg.tls_key, OpenSslError()));
  }
  if (SSL_CTX_check_private_key(ssl) != 1) {
    return Status::InvalidArgument(
        fmt::format("tls_key {}: does not match tls_cert {}", cfg.tls_key, cfg.tls_cert));
  }
  return ctx;
}

Result<Poco::Net::ServerSocket> Listen(const ServerConfig& cfg) {
  const std::string where = "listen " + cfg.listen;
  std::string address = cfg.listen;
  if (!address.empty() && address[0] == ':') address = "0.0.0.0" + address;
  Poco::Net::SocketAddress socket_address;
  try {
    socket_address = Poco::Net::SocketAddress(address);
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument(where + ": " + e.displayText());
  }
  Poco::Net::ServerSocket socket;
  if (!cfg.tls_cert.empty()) {
    Result<Poco::Net::Context::Ptr> ctx = MakeTlsContext(cfg);
    if (!ctx.ok()) return ctx.status();
    socket = Poco::Net::SecureServerSocket(ctx.value());
  }
  try {
    // SO_REUSEADDR for quick restarts, but not SO_REUSEPORT: a second daemon must fail here.
    socket.bind(socket_address, true, false);
    socket.listen(64);
  } catch (const Poco::Exception& e) {
    return Status::IoError(where + ": " + Describe(e));
  }
  return socket;
}

// Plain HTTP: the event loop owns a duplicate of the listening descriptor; Poco's socket object
// is closed.
Status StartEventLoop(HttpApi::Impl& impl, Poco::Net::ServerSocket& socket, Intake& intake) {
  int fd = dup(socket.impl()->sockfd());
  socket.close();
  if (fd < 0) return Status::IoError(std::strerror(errno));
  Result<std::unique_ptr<http::EventLoopServer>> loop =
      http::EventLoopServer::Start(fd, *impl.state_, intake, impl.limits_);
  if (!loop.ok()) return loop.status();
  impl.loop_ = std::move(loop).value();
  return Status::Ok();
}

// TLS: Poco's HTTPServer, with connections watched for slow clients (slowloris): each must
// deliver its request within request_timeout of its accept (connection_deadlines.h).
Status StartPocoServer(HttpApi::Impl& impl, const Poco::Net::ServerSocket& socket) {
  const HttpLimits& limits = impl.limits_;
  try {
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(std::max(1, limits.worker_threads));
    params->setMaxQueued(std::max(1, limits.max_queued));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(limits.keep_alive_timeout.count() * 1000));
    params->setTimeout(Poco::Timespan(limits.receive_timeout.count() * 1000));
    params->setServerName("alertdigest");
    impl.socket_ = socket;
    http::ConnectionDeadlines& deadlines = impl.state_->deadlines;
    impl.server_ = std::make_unique<Poco::Net::TCPServer>(
        deadlines.ConnectionFactory(params, new http::ApiRequestHandlerFactory(*impl.state_)),
        impl.pool_, socket, params);
    deadlines.SetServer(impl.server_.get());
    impl.server_->setConnectionFilter(deadlines.AcceptFilter());
    impl.server_->start();
  } catch (const Poco::Exception& e) {
    return Status::IoError("start server: " + e.displayText());
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<HttpApi>> HttpApi::Start(const ServerConfig& cfg, const HttpLimits& limits,
                                                Intake& intake, MetricsRegistry& metrics,
                                                const AckLinkOptions& ack) {
  Result<http::RequestGuard> guard = http::RequestGuard::Create(cfg);
  if (!guard.ok()) return guard.status();
  Result<Poco::Net::ServerSocket> socket = Listen(cfg);
  if (!socket.ok()) return socket.status();

  auto state = std::make_unique<ServerState>(intake, metrics, limits, SystemClock().Now(),
                                             std::move(guard).value(), ack);
  auto impl = std::make_unique<Impl>(std::move(state), limits);
  impl->port_ = socket->address().port();
  Status started = cfg.tls_cert.empty() ? StartEventLoop(*impl, *socket, intake)
                                        : StartPocoServer(*impl, *socket);
  if (!started.ok()) return started.Wrap("listen " + cfg.listen);
  log::Info("http listening", {{"listen", cfg.listen},
                               {"port", impl->port_},
                               {"tls", cfg.tls_cert.empty() ? "off" : "on"},
                               {"auth", impl->state_->guard.auth_required() ? "bearer" : "none"},
                               {"ack_links", ack.signer && ack.signer() ? "on" : "off"}});
  return std::unique_ptr<HttpApi>(new HttpApi(std::move(impl)));
}

HttpApi::HttpApi(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpApi::~HttpApi() { Stop(); }

uint16_t HttpApi::port() const { return impl_->port_; }

void HttpApi::Stop() {
  if (impl_->stopped_) return;
  impl_->stopped_ = true;
  ServerState& state = *impl_->state_;
  state.stopping.store(true);
  if (impl_->loop_) {
    impl_->loop_->Stop();
    return;
  }
  try {
    impl_->server_->stop();  // no new connections
    impl_->socket_.close();  // and none waiting in the backlog: clients see "refused" at once
    const auto deadline = std::chrono::steady_clock::now() + impl_->limits_.stop_grace;
    while (state.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (state.in_flight.load() > 0) {
      log::Warn("http stop: requests still running after the grace period",
                {{"in_flight", state.in_flight.load()}});
    }
    // Closes idle keep-alive connections (and any request that overran the grace period), as
    // Poco's HTTPServer::stopAll(true) would.
    state.deadlines.CutAll();
    impl_->pool_.joinAll();
  } catch (const Poco::Exception& e) {
    log::Warn("http stop", {{"error", e.displayText()}});
  }
}

}  // namespace alertdigest
