// SMTP throughput: N digest-sized messages through the real outbox worker and SmtpTransport
// (one authenticated session for the batch) to an SMTP server; prints messages/s.
// Also writes the messages to DIR/*.eml so another client can send the very same bytes.
//
// usage: smtp_throughput HOST PORT CA_FILE USER PASSWORD_FILE N DIR
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "core/log.h"
#include "deliver/outbox_worker.h"
#include "deliver/smtp/smtp_transport.h"
#include "render/mime_writer.h"
#include "store/store.h"

using namespace alertdigest;

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr, "usage: %s HOST PORT CA_FILE USER PASSWORD_FILE N DIR\n", argv[0]);
    return 2;
  }
  const int n = std::stoi(argv[6]);
  const std::string dir = argv[7];
  std::filesystem::create_directories(dir);
  log::SetLevel(log::Level::kWarn);
  // A real state file: marking each message sent is a durable commit, as in production.
  // (AD_BENCH_STATE=memory measures the network part alone.)
  const char* state = std::getenv("AD_BENCH_STATE");
  auto store = std::move(
      OpenSqliteStore(state && std::string(state) == "memory" ? ":memory:" : dir + "/state.db")
          .value());
  SystemClock clock;

  // A realistic digest: ~7 KB of text and HTML.
  std::string text, html = "<html><body>";
  for (int i = 0; i < 40; ++i) {
    text += "* HighCPU on web-" + std::to_string(i) + ":9100 — CPU usage is 93% for 10 minutes\n";
    html += "<p><b>HighCPU on web-" + std::to_string(i) + ":9100</b> CPU usage is 93%</p>";
  }
  html += "</body></html>";
  WriteBatch batch;
  for (int i = 0; i < n; ++i) {
    std::string id = "bench" + std::to_string(i) + "@alertdigest.test";
    MimeWriter w;
    w.SetDate(clock.Now());
    w.SetFrom(ParseMailbox(std::string("Alerts <") + argv[4] + ">"));
    w.AddTo(ParseMailbox("team@example.com"));
    w.AddTo(ParseMailbox("oncall@example.com"));
    w.SetSubject("[alertdigest] HighCPU (cluster=eu-1)");
    w.SetMessageId(id);
    w.SetKind("digest");
    w.SetText(text);
    w.SetHtml(html);
    OutboxMessage m;
    m.message_id = id;
    m.recipients = {"team@example.com", "oncall@example.com"};
    m.data = w.Write(static_cast<uint64_t>(i) + 1);
    m.created_at = m.next_attempt_at = clock.Now();
    std::ofstream(dir + "/" + std::to_string(i) + ".eml", std::ios::binary) << m.data;  // for smtplib
    batch.AddOutbox(std::move(m));
  }
  if (!store->Write(batch).ok()) return 1;
  ::sync();  // the setup's writes must not compete with the timed part

  SmtpConfig c;
  c.host = argv[1];
  c.port = std::stoi(argv[2]);
  c.security = "starttls";
  c.ca_file = argv[3];
  c.username = argv[4];
  c.password_file = argv[5];
  c.from = argv[4];
  c.daily_budget = 0;
  SmtpTransport transport(c);
  OutboxWorker worker(*store, transport, clock, OutboxWorkerOptions{});
  auto start = std::chrono::steady_clock::now();
  auto reports = worker.DeliverDue(n);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int delivered = 0;
  if (reports.ok()) {
    for (const auto& r : *reports) delivered += r.result.kind == DeliveryResult::Kind::kDelivered;
  }
  std::printf("alertdigest (one session, %d login%s): %d/%d delivered in %.2f s = %.0f msg/s\n",
              transport.sessions_opened(), transport.sessions_opened() == 1 ? "" : "s", delivered,
              n, secs, delivered / secs);
  return delivered == n ? 0 : 1;
}
