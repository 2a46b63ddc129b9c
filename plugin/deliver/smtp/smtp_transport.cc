#include "deliver/smtp/smtp_transport.h"

#include <fmt/format.h>
#include <unistd.h>

#include "core/log.h"
#include "deliver/smtp/credentials.h"

namespace alertdigest {
namespace {

std::string DefaultHello() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) == 0 && name[0] != '\0') return name;
  return "localhost";
}

}  // namespace

SmtpClientOptions SmtpTransport::ClientOptions(const SmtpConfig& c) {
  SmtpClientOptions o;
  o.host = c.host;
  o.port = c.port;
  o.security = c.security;
  o.hello = c.hello.empty() ? DefaultHello() : c.hello;
  o.ca_file = c.ca_file;
  o.insecure_skip_verify = c.insecure_skip_verify;
  o.connect_timeout = c.connect_timeout;
  o.command_timeout = c.timeout;
  o.data_timeout = c.data_timeout;
  o.username = c.username;
  o.auth = c.auth;
  return o;
}

std::string SmtpTransport::EnvelopeFrom(const SmtpConfig& c) {
  const std::string& from = c.from.empty() ? c.username : c.from;
  auto lt = from.rfind('<');
  auto gt = from.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt)
    return from.substr(lt + 1, gt - lt - 1);
  return from;
}

DeliveryResult ToDeliveryResult(const SmtpFailure& f) {
  DeliveryResult r;
  r.detail = fmt::format("{}: {}", SmtpStepText(f.step), f.text);
  r.hint = f.hint;
  switch (f.scope) {
    case SmtpFailure::Scope::kTransient: r.kind = DeliveryResult::Kind::kTransient; break;
    case SmtpFailure::Scope::kMessage:
    case SmtpFailure::Scope::kRecipient: r.kind = DeliveryResult::Kind::kPermanent; break;
    case SmtpFailure::Scope::kAccount:
      r.kind = f.account_retry_later ? DeliveryResult::Kind::kTransient
                                     : DeliveryResult::Kind::kPermanent;
      r.account_problem = true;
      r.retry_later = f.account_retry_later;
      break;
  }
  return r;
}

SmtpTransport::SmtpTransport(SmtpConfig config)
    : config_(std::move(config)), client_(ClientOptions(config_)) {
  if (config_.insecure_skip_verify) {
    log::Warn("smtp.insecure_skip_verify is on: the server's certificate is NOT checked; anyone "
              "on the path can read the password and the mail",
              {{"host", config_.host}});
  }
  if (config_.security == "none") {
    log::Warn("smtp.security is \"none\": no TLS; use it only for a relay on this machine",
              {{"host", config_.host}});
  }
}

std::optional<SmtpFailure> SmtpTransport::EnsureOpen() {
  if (client_.is_open()) return std::nullopt;
  auto secret = ReadSmtpSecret(config_);
  if (!secret.ok()) {
    SmtpFailure f = ClassifyLocal(SmtpStep::kAuth, LocalError::kProtocol, secret.status().message());
    f.scope = SmtpFailure::Scope::kAccount;
    f.hint = "fix the file or variable, then reload (or run again)";
    return f;
  }
  auto failure = client_.Open(secret.value());
  if (failure) return failure;
  ++sessions_opened_;
  log::Info("smtp session opened",
            {{"host", config_.host}, {"port", config_.port}, {"tls", client_.tls() ? "yes" : "no"},
             {"auth", client_.auth_mechanism().empty() ? "none" : client_.auth_mechanism()}});
  return std::nullopt;
}

DeliveryResult SmtpTransport::Deliver(const OutboxMessage& m) {
  if (auto f = EnsureOpen()) return ToDeliveryResult(*f);
  const std::string from = EnvelopeFrom(config_);
  const size_t chunk = std::max(1, config_.max_recipients_per_message);

  DeliveryResult result;
  std::optional<SmtpFailure> first_failure;
  size_t accepted = 0;
  for (size_t i = 0; i < m.recipients.size(); i += chunk) {
    std::vector<std::string> batch(m.recipients.begin() + i,
                                   m.recipients.begin() + std::min(m.recipients.size(), i + chunk));
    SmtpTransaction t = client_.Send(from, batch, m.data);
    if (t.failure && !client_.is_open() && t.failure->scope == SmtpFailure::Scope::kTransient &&
        t.failure->step != SmtpStep::kDot) {
      // The connection died before the server could have the message: once more, fresh.
      if (!EnsureOpen()) t = client_.Send(from, batch, m.data);
    }
    accepted += t.accepted.size();
    for (auto& [addr, f] : t.refused) {
      if (f.scope == SmtpFailure::Scope::kTransient) result.deferred_recipients.push_back(addr);
      else result.rejected_recipients.push_back({addr, ToDeliveryResult(f).detail});
      if (!first_failure) first_failure = f;
      log::Warn("recipient refused", {{"message_id", m.message_id}, {"recipient", addr},
                                      {"reply", f.text}});
    }
    if (t.failure) {
      if (!first_failure) first_failure = t.failure;
      // Every recipient of this transaction not refused on its own is still owed the message.
      bool for_now = t.failure->scope == SmtpFailure::Scope::kTransient ||
                     t.failure->scope == SmtpFailure::Scope::kAccount;
      for (const auto& r : batch) {
        bool refused = false;
        for (const auto& [addr, f] : t.refused) refused |= addr == r;
        if (refused) continue;
        if (for_now) result.deferred_recipients.push_back(r);
        else result.rejected_recipients.push_back({r, ToDeliveryResult(*t.failure).detail});
      }
      if (t.failure->scope == SmtpFailure::Scope::kAccount) {
        // Stop here: every further transaction would fail the same way.
        for (size_t j = i + chunk; j < m.recipients.size(); ++j)
          result.deferred_recipients.push_back(m.recipients[j]);
        break;
      }
    }
  }
  if (accepted == 0) {
    if (!first_failure) return DeliveryResult::Permanent("no recipients");
    DeliveryResult r = ToDeliveryResult(*first_failure);
    // Someone may still get it later: retry them; those refused for good are listed apart.
    if (!result.deferred_recipients.empty() && !r.account_problem)
      r.kind = DeliveryResult::Kind::kTransient;
    r.rejected_recipients = std::move(result.rejected_recipients);
    r.deferred_recipients = std::move(result.deferred_recipients);
    return r;
  }
  result.kind = DeliveryResult::Kind::kDelivered;
  result.detail = fmt::format("250 accepted for {} of {} recipient{} ({}:{})", accepted,
                              m.recipients.size(), m.recipients.size() == 1 ? "" : "s",
                              config_.host, config_.port);
  if (first_failure) result.hint = first_failure->ToString();
  return result;
}

void SmtpTransport::EndBatch() {
  if (client_.is_open()) client_.Close();
}

}  // namespace alertdigest
