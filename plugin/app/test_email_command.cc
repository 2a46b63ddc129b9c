// `alertdigest test-email --to ADDR`: one message through the configured transport, with every
// step of an SMTP session reported and any failure explained in plain words.
#include <fmt/format.h>

#include <iostream>
#include <random>

#include "app/commands.h"
#include "config/config.h"
#include "deliver/file_transport.h"
#include "deliver/smtp/credentials.h"
#include "deliver/smtp/smtp_client.h"
#include "deliver/smtp/smtp_transport.h"
#include "render/email.h"
#include "render/mime_writer.h"

namespace alertdigest {
namespace {

std::string TestMessage(const Config& cfg, const std::string& to, Timestamp now, std::string* id) {
  std::mt19937_64 rng(std::random_device{}());
  Mailbox from = ParseMailbox(cfg.smtp.from.empty() ? "alertdigest <alertdigest@localhost>"
                                                    : cfg.smtp.from);
  auto at = from.address.find('@');
  *id = fmt::format("test.{:016x}@{}", rng(),
                    at == std::string::npos ? "alertdigest.localhost" : from.address.substr(at + 1));
  MimeWriter w;
  w.SetDate(now);
  w.SetFrom(from);
  w.AddTo(ParseMailbox(to));
  w.SetSubject("[alertdigest] test message");
  w.SetMessageId(*id);
  w.SetKind(std::string(EmailKindText(EmailKind::kTest)));
  w.SetText("This is a test message from alertdigest.\n\nIf you can read it, alert emails will "
            "reach this mailbox.\n");
  w.SetHtml("<p>This is a test message from <b>alertdigest</b>.</p><p>If you can read it, alert "
            "emails will reach this mailbox.</p>");
  return w.Write(rng());
}

void Explain(const SmtpFailure& f, std::ostream& out) {
  out << fmt::format("  ✗ {}: {}\n", SmtpStepText(f.step), f.text);
  if (!f.hint.empty()) out << "    what to do: " << f.hint << '\n';
}

}  // namespace

int TestEmailCommand(const std::string& config_path, const std::string& to, std::ostream& out) {
  ConfigLoad load = LoadConfig(config_path);
  if (!load.errors.empty()) {
    for (const ConfigError& e : load.errors) std::cerr << e.ToString() << '\n';
    return 2;
  }
  const Config& cfg = *load.config;
  Timestamp now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  OutboxMessage m;
  m.data = TestMessage(cfg, to, now, &m.message_id);
  m.recipients = {ParseMailbox(to).address};
  m.created_at = now;
  m.group_key = "test";

  if (cfg.delivery.transport == DeliveryConfig::Transport::kFile) {
    DeliveryResult r = FileTransport(cfg.delivery.file_dir).Deliver(m);
    if (r.kind != DeliveryResult::Kind::kDelivered) {
      out << "  ✗ " << r.detail << '\n';
      return 3;
    }
    out << "transport is \"file\": the test message was written to " << r.detail << '\n';
    return 0;
  }

  const SmtpConfig& smtp = cfg.smtp;
  out << fmt::format("connecting to {}:{} ({}) …\n", smtp.host, smtp.port,
                     smtp.security == "tls" ? "implicit TLS" : smtp.security == "starttls"
                                                                    ? "STARTTLS"
                                                                    : "no TLS");
  auto secret = ReadSmtpSecret(smtp);
  if (!secret.ok()) {
    out << "  ✗ " << secret.status().message() << '\n';
    return 3;
  }
  SmtpClient client(SmtpTransport::ClientOptions(smtp));
  if (auto f = client.Open(*secret)) {
    Explain(*f, out);
    return 3;
  }
  out << fmt::format("  ✓ connected{}, {}\n", client.tls() ? " over TLS (certificate verified)" : "",
                     client.auth_mechanism().empty()
                         ? std::string("no login")
                         : fmt::format("logged in as {} (AUTH {})", smtp.username,
                                       client.auth_mechanism()));
  SmtpTransaction t = client.Send(SmtpTransport::EnvelopeFrom(smtp), m.recipients, m.data);
  client.Close();
  if (t.failure) {
    Explain(*t.failure, out);
    return 3;
  }
  for (const auto& [addr, f] : t.refused) {
    out << "  ✗ recipient " << addr << " refused\n";
    Explain(f, out);
    return 3;
  }
  out << fmt::format("  ✓ accepted by the server for {} (Message-ID <{}>)\n", to, m.message_id);
  return 0;
}

}  // namespace alertdigest
