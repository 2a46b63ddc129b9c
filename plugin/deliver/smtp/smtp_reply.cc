#include "deliver/smtp/smtp_reply.h"

#include <fmt/format.h>

#include <cctype>

namespace alertdigest {
namespace {

constexpr std::string_view kAppPasswordHint =
    "check smtp.username and the password in password_file/password_env. For Gmail this must be "
    "an app password (Google Account → Security → 2-Step Verification → App passwords; create "
    "one for \"Mail\", 16 letters, spaces don't matter); your normal Google password is refused";

std::string OneLine(std::string_view s) {
  std::string out;
  for (char c : s) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool Contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

}  // namespace

std::string_view SmtpStepText(SmtpStep s) {
  switch (s) {
    case SmtpStep::kConnect: return "connect";
    case SmtpStep::kTls: return "TLS handshake";
    case SmtpStep::kGreeting: return "greeting";
    case SmtpStep::kEhlo: return "EHLO";
    case SmtpStep::kStartTls: return "STARTTLS";
    case SmtpStep::kAuth: return "AUTH";
    case SmtpStep::kMail: return "MAIL FROM";
    case SmtpStep::kRcpt: return "RCPT TO";
    case SmtpStep::kData: return "DATA";
    case SmtpStep::kDot: return "end of DATA";
  }
  return "?";
}

std::string SmtpFailure::ToString() const {
  std::string out = fmt::format("{}: {}", SmtpStepText(step), text);
  if (!hint.empty()) out += " — " + hint;
  return out;
}

std::string ExtractEnhancedCode(std::string_view text) {
  size_t p = 0;
  while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p]))) ++p;
  if (p == 3) {  // skip the reply code and its separator
    while (p < text.size() && (text[p] == ' ' || text[p] == '-')) ++p;
  } else {
    p = 0;
  }
  // class.subject.detail: [245].\d{1,3}.\d{1,3}
  size_t start = p;
  if (p >= text.size() || (text[p] != '2' && text[p] != '4' && text[p] != '5')) return "";
  ++p;
  for (int part = 0; part < 2; ++part) {
    if (p >= text.size() || text[p] != '.') return "";
    ++p;
    size_t digits = 0;
    while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p])) && digits < 3)
      ++p, ++digits;
    if (digits == 0) return "";
  }
  if (p < text.size() && !std::isspace(static_cast<unsigned char>(text[p]))) return "";
  return std::string(text.substr(start, p - start));
}

SmtpFailure ClassifyReply(SmtpStep step, int code, std::string_view text) {
  SmtpFailure f;
  f.step = step;
  f.code = code;
  f.text = OneLine(text);
  f.enhanced = ExtractEnhancedCode(text);
  if (code >= 400 && code < 500) {
    f.scope = SmtpFailure::Scope::kTransient;
    if (code == 454 && step == SmtpStep::kAuth)
      f.hint = "the server refuses logins for now (too many attempts); alertdigest backs off";
    else if (code == 452 && f.enhanced == "4.5.3")
      f.hint = "too many recipients in one transaction; lower smtp.max_recipients_per_message";
    return f;
  }
  if (code < 500 || code >= 600) {
    // No reply, or a positive reply where a negative one was expected: out of step.
    f.scope = SmtpFailure::Scope::kTransient;
    if (f.text.empty()) f.text = "no reply from the server (connection closed)";
    return f;
  }
  f.scope = step == SmtpStep::kRcpt ? SmtpFailure::Scope::kRecipient : SmtpFailure::Scope::kMessage;
  if (code == 535 || (step == SmtpStep::kAuth && code != 534 && code != 530)) {
    f.scope = SmtpFailure::Scope::kAccount;
    f.hint = fmt::format("the server rejected the login; {}", kAppPasswordHint);
  } else if (code == 534 || f.enhanced == "5.7.9") {
    f.scope = SmtpFailure::Scope::kAccount;
    f.hint = fmt::format("the account requires an app password; {}", kAppPasswordHint);
  } else if (code == 530 && (Contains(text, "STARTTLS") || f.enhanced == "5.7.0")) {
    f.scope = SmtpFailure::Scope::kAccount;
    f.hint = Contains(text, "STARTTLS")
                 ? "the server requires TLS first: set smtp.security = \"starttls\" (port 587) or "
                   "\"tls\" (port 465)"
                 : "the server requires authentication: set smtp.username and password_file";
  } else if (f.enhanced == "5.4.5" || Contains(text, "sending limit") ||
             Contains(text, "sending quota")) {
    f.scope = SmtpFailure::Scope::kAccount;
    f.account_retry_later = true;
    f.hint = "the account's daily sending limit is reached (Gmail: about 500 a day, rolling 24 "
             "hours); sending pauses and every message stays queued; lower smtp.daily_budget to "
             "stay below the limit";
  } else if (code == 552 || f.enhanced == "5.3.4") {
    f.scope = SmtpFailure::Scope::kMessage;
    f.hint = "the message is too big for the server (Gmail: 25 MB); turn off attachments for "
             "this receiver";
  } else if (step == SmtpStep::kMail && (f.enhanced == "5.7.1" || f.enhanced == "5.1.7" ||
                                          f.enhanced == "5.1.8")) {
    f.scope = SmtpFailure::Scope::kAccount;
    f.hint = "the server refuses this sender address: smtp.from must be the account's address "
             "or a verified alias";
  }
  return f;
}

SmtpFailure ClassifyLocal(SmtpStep step, LocalError kind, std::string_view detail) {
  SmtpFailure f;
  f.step = step;
  f.text = OneLine(detail);
  switch (kind) {
    case LocalError::kRefused:
      f.hint = "nothing listens there: check smtp.host and smtp.port; alertdigest retries";
      break;
    case LocalError::kTimeout:
      f.hint = "the server did not answer in time (smtp.timeout); alertdigest retries";
      break;
    case LocalError::kIo:
    case LocalError::kProtocol:
      break;
    case LocalError::kTlsHandshake:
      f.hint = "the TLS handshake failed: check smtp.security (\"tls\" is for port 465, "
               "\"starttls\" for 587)";
      break;
    case LocalError::kCertificate:
      f.scope = SmtpFailure::Scope::kAccount;
      f.hint = "the server's certificate is not trusted for this host name: check smtp.host, or "
               "name the CA with smtp.ca_file; never turn verification off for a public server";
      break;
    case LocalError::kNoStartTls:
      f.scope = SmtpFailure::Scope::kAccount;
      f.hint = "the server does not offer STARTTLS, so alertdigest will not send the password in "
               "clear: use security = \"tls\" for port 465, or \"none\" only for a local relay";
      break;
  }
  return f;
}

}  // namespace alertdigest
