// Fuzz target: the HTTP request path — raw bytes from a client through Poco's request parser
// (HTTPServerConnection, the real per-connection loop: keep-alive, pipelining, chunked bodies),
// ApiRequestHandler (RequestGuard: bearer token, content type, body limits), the ApiRouter and
// every handler (alerts, webhook, silences, status, metrics, reload, ack pages and API).
//
// In process and single-threaded: each input is written into a fresh loopback TCP connection,
// the client half is shut down, and the server half is served on this thread until the
// connection ends; then the reply is read. The Intake is FuzzIntake below (the daemon's
// contract, no engine). The server has a bearer token ("fuzz-token": seeds carry
// "Authorization: Bearer fuzz-token"), max_body 32 KiB and an ack signer whose key is
// "fuzz-ack-key-0123456789abcdef" (tests/fuzz/make_seeds.py signs links with it).
//
// FUZZ_HTTP_ECHO=1 prints the replies (when replaying an input by hand).
//
// Invariants: what comes back starts with an HTTP status line (or nothing, when the input holds
// no request); a silence reaches the intake only as valid UTF-8; sanitizers do the rest.
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <sys/resource.h>

#include <fstream>
#include <mutex>

#include "core/ack_token.h"
#include "core/clock.h"
#include "core/utf8_validator.h"
#include "fuzz_support.h"
#include "ingest/http/api_request_handler.h"
#include "mute/silencer.h"

namespace alertdigest {
namespace {

Alert MakeAlert(LabelSet labels, LabelSet annotations) {
  Alert a;
  a.labels = std::move(labels);
  a.annotations = std::move(annotations);
  a.Finalize(fuzz::kNow - std::chrono::minutes(10), std::chrono::minutes(5));
  return a;
}

// The Intake contract without an engine: submissions are accepted (or refused with 503 when an
// alert carries fuzz_fail="1"), silences are validated like the daemon does and kept until the
// next input, acks and previews answer from canned data.
class FuzzIntake final : public Intake {
 public:
  FuzzIntake() {
    AlertSnapshot a;
    a.alert = MakeAlert({{"alertname", "HighCPU"}, {"instance", "web-1"}},
                        {{"summary", "CPU \"hot\" <b>"}});
    a.receivers = {"team"};
    snapshots_.push_back(a);
    a.alert = MakeAlert({{"alertname", "DiskFull"}, {"instance", "db-1"}}, {});
    a.state = "suppressed";
    a.silenced_by = {"silence-1"};
    snapshots_.push_back(a);
  }
  void Reset() { silences_.clear(); }

  Status Submit(std::vector<Alert>&& alerts, std::string_view) override {
    for (const Alert& a : alerts) {
      if (a.labels.Get("fuzz_fail") == "1") return Status::Unavailable("overloaded");
    }
    return Status::Ok();
  }
  std::vector<AlertSnapshot> ListAlerts() override { return snapshots_; }
  Result<std::string> PutSilence(Silence s) override {
    // What the API hands over is stored and shown as it is: it must be text.
    bool utf8 = IsValidUtf8(s.id) && IsValidUtf8(s.created_by) && IsValidUtf8(s.comment);
    for (const Matcher& m : s.matchers) utf8 = utf8 && IsValidUtf8(m.value());
    FUZZ_CHECK(utf8, "a silence that is not UTF-8 reached the intake: " + s.comment);
    if (Status v = Validate(s); !v.ok()) return v;
    if (s.id.empty()) {
      if (silences_.size() >= 16) return Status::Unavailable("too many silences");
      s.id = "silence-" + std::to_string(silences_.size() + 1);
      silences_.push_back(std::move(s));
      return silences_.back().id;
    }
    for (Silence& e : silences_) {
      if (e.id == s.id) {
        e = std::move(s);
        return e.id;
      }
    }
    return Status::NotFound("no silence with id \"" + s.id + "\"");
  }
  std::vector<Silence> ListSilences() override { return silences_; }
  Status ExpireSilence(const std::string& id) override {
    for (Silence& e : silences_) {
      if (e.id != id) continue;
      if (e.ends_at <= fuzz::kNow) return Status::InvalidArgument("already expired");
      e.ends_at = fuzz::kNow;
      return Status::Ok();
    }
    return Status::NotFound("no silence with id \"" + id + "\"");
  }
  Status Reload() override { return Status::InvalidArgument("config.toml:1: x: broken"); }
  Result<AckResult> Acknowledge(const AckRequest& request) override {
    if (request.group.empty() || request.by.empty()) return Status::InvalidArgument("missing");
    if (request.episode > 100) return Status::FailedPrecondition("this alert episode is over");
    AckResult r;
    r.group_key = request.group;
    r.episode = request.episode == 0 ? 1 : request.episode;
    r.already_acked = request.by == "ann@example.com";
    r.previous_by = r.already_acked ? "ann@example.com" : "";
    r.at = fuzz::kNow;
    return r;
  }
  Result<AckPreview> PreviewAck(const std::string& group_key, int64_t episode) override {
    if (episode > 100) return Status::NotFound("no escalating group \"" + group_key + "\"");
    AckPreview p;
    p.group_key = group_key;
    p.group_labels = {{"alertname", "HighCPU"}};
    p.episode = episode;
    p.current = episode < 50;
    p.firing = {snapshots_[0].alert};
    if (episode % 2 == 0) {
      p.acked_by = "ann@example.com";
      p.acked_at = fuzz::kNow;
    }
    return p;
  }
  bool Ready() const override { return true; }
  std::string Metrics() override { return "# fuzz\nalertdigest_up 1\n"; }

 private:
  std::vector<AlertSnapshot> snapshots_;
  std::vector<Silence> silences_;
};

// The deadline watchdog keeps a dup() of each connection's descriptor for up to 100 ms: at a
// few thousand connections a second that is more than the default 1024.
void RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

struct Server {
  Server()
      : clock(fuzz::kNow),
        signer(AckSigner::Create("fuzz-ack-key-0123456789abcdef").value()),
        listener(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    const std::string token_file = (fuzz::ScratchDir() / "token").string();
    std::ofstream(token_file) << "fuzz-token\n";
    ServerConfig cfg;
    cfg.auth_token_file = token_file;
    cfg.max_body = 32 << 10;
    HttpLimits limits;
    limits.max_alerts_per_request = 50;
    limits.max_labels_per_alert = 20;
    limits.max_label_name_length = 64;
    limits.max_label_value_length = 1024;
    state = std::make_unique<http::ServerState>(
        intake, metrics, limits, fuzz::kNow, http::RequestGuard::Create(cfg).value(),
        AckLinkOptions{AckLinkOptions::Fixed(&signer), &clock});
    factory = new http::ApiRequestHandlerFactory(*state);
    params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(8);  // replies of one input stay within the socket buffers
    params->setKeepAliveTimeout(Poco::Timespan(1, 0));
    params->setTimeout(Poco::Timespan(2, 0));
    params->setServerName("alertdigest");
    listener.setReceiveBufferSize(1 << 20);
  }

  ManualClock clock;
  AckSigner signer;
  MetricsRegistry metrics;
  FuzzIntake intake;
  std::unique_ptr<http::ServerState> state;
  Poco::Net::HTTPRequestHandlerFactory::Ptr factory;
  Poco::Net::HTTPServerParams::Ptr params;
  Poco::Net::ServerSocket listener;
};

}  // namespace
}  // namespace alertdigest

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alertdigest;
  static const bool quiet = (fuzz::QuietLogs(), RaiseDescriptorLimit(), true);
  (void)quiet;
  static Server server;
  if (size > (64 << 10)) return -1;  // larger than the socket buffers hold without a reader
  server.intake.Reset();

  Poco::Net::StreamSocket client(Poco::Net::SocketAddress::IPv4);
  client.setSendBufferSize(1 << 20);
  client.setReceiveBufferSize(1 << 20);
  client.connect(server.listener.address());
  {
    Poco::Net::StreamSocket served = server.listener.acceptConnection();
    served.setSendBufferSize(1 << 20);
    for (size_t sent = 0; sent < size;) {
      const int n = client.sendBytes(data + sent, static_cast<int>(size - sent));
      FUZZ_CHECK(n > 0, "cannot write the request");
      sent += static_cast<size_t>(n);
    }
    client.shutdownSend();
    try {
      // What TCPServerDispatcher does with a connection (its catch logs and drops the exception).
      Poco::Net::HTTPServerConnection connection(served, server.params, server.factory);
      connection.run();
    } catch (const Poco::Exception&) {
    } catch (const std::exception&) {
    }
  }

  // Every reply was written before run() returned: take what is there, without waiting for the
  // end of the connection (the deadline watchdog may hold the server's descriptor a while).
  std::string reply;
  char buffer[16384];
  try {
    client.setBlocking(false);
    for (int n; (n = client.receiveBytes(buffer, sizeof buffer)) > 0;) reply.append(buffer, n);
  } catch (const Poco::Exception&) {
    // Reset (the server closed with request bytes unread, e.g. after a 413), or nothing more.
  }
  client.close();
  static const bool echo = std::getenv("FUZZ_HTTP_ECHO") != nullptr;
  if (echo) std::fprintf(stderr, "%s\n", reply.c_str());
  // A status line: "<version> <3 digits> …". Poco echoes the version the client sent (even a
  // malformed one, at most 8 characters without spaces) when it refuses a request with 400.
  const size_t space = reply.find(' ');
  FUZZ_CHECK(
      reply.empty() || (space != std::string::npos && space <= 8 && reply.size() > space + 4 &&
                        std::isdigit(reply[space + 1]) && std::isdigit(reply[space + 2]) &&
                        std::isdigit(reply[space + 3]) && reply[space + 4] == ' '),
      "not an HTTP reply: " + reply.substr(0, 80));
  return 0;
}
