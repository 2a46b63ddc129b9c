#include "deliver/smtp/smtp_client.h"

#include <Poco/Base64Encoder.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/Net/SocketAddress.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <sstream>

#include "core/log.h"

namespace alertdigest {
namespace {

using Poco::Timespan;
using Poco::Net::Context;

Timespan ToTimespan(Duration d) { return Timespan(static_cast<Poco::Int64>(d.count()) * 1000); }

std::string Base64(std::string_view in) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out);
  enc.rdbuf()->setLineLength(0);
  enc.write(in.data(), static_cast<std::streamsize>(in.size()));
  enc.close();
  return out.str();
}

// The DATA payload on the wire: dot-stuffed (RFC 5321 §4.5.2), CRLF-terminated, with the
// final "." line. One buffer, so it leaves in as few TLS records as possible (Poco's mail
// stream writes 1 KB at a time: six records for a digest, each costing the server work).
std::string DotStuffed(const std::string& data) {
  std::string out;
  out.reserve(data.size() + data.size() / 64 + 8);
  bool line_start = true;
  for (char c : data) {
    if (line_start && c == '.') out.push_back('.');
    out.push_back(c);
    line_start = c == '\n';
  }
  if (!out.ends_with("\r\n")) out += "\r\n";
  out += ".\r\n";
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// "250-AUTH LOGIN PLAIN\n250-SIZE 1" → {"AUTH LOGIN PLAIN", "SIZE 1"} (upper-cased).
std::vector<std::string> ParseEhlo(const std::string& reply) {
  std::vector<std::string> out;
  std::istringstream in(reply);
  bool first = true;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() >= 4 && std::isdigit(static_cast<unsigned char>(line[0]))) line = line.substr(4);
    if (first) {  // the greeting line names the server, not a capability
      first = false;
      continue;
    }
    if (!line.empty()) out.push_back(Upper(line));
  }
  return out;
}

bool Offers(const std::vector<std::string>& caps, std::string_view keyword) {
  return std::any_of(caps.begin(), caps.end(), [&](const std::string& c) {
    return c == keyword || c.starts_with(std::string(keyword) + " ");
  });
}

std::vector<std::string> AuthMechanisms(const std::vector<std::string>& caps) {
  std::vector<std::string> out;
  for (const std::string& c : caps) {
    if (!c.starts_with("AUTH ") && !c.starts_with("AUTH=")) continue;
    std::istringstream in(c.substr(5));
    for (std::string m; in >> m;) out.push_back(m);
  }
  return out;
}

Context::Ptr MakeContext(const SmtpClientOptions& o) {
  static std::once_flag ssl_init;
  std::call_once(ssl_init, [] { Poco::Net::initializeSSL(); });
  Context::Params p;
  p.verificationMode = o.insecure_skip_verify ? Context::VERIFY_NONE : Context::VERIFY_STRICT;
  p.loadDefaultCAs = true;  // the system store (ca-certificates)
  p.caLocation = o.ca_file;
  Context::Ptr ctx = new Context(Context::TLS_CLIENT_USE, p);
  ctx->requireMinimumProtocol(Context::PROTO_TLSV1_2);
  return ctx;
}

}  // namespace

// The stock session, plus what 1.11 keeps protected: the socket (for STARTTLS with a verified
// host name, and for the watchdog) and open() without Poco's login.
class SmtpClient::Session : public Poco::Net::SecureSMTPClientSession {
 public:
  Session(const Poco::Net::StreamSocket& s, std::string host)
      : SecureSMTPClientSession(s), host_(std::move(host)) {}
  using SMTPClientSession::socket;
  void ReadGreeting() { open(); }
  void StartTls(Context::Ptr ctx) {
    Poco::Net::SecureStreamSocket tls(Poco::Net::SecureStreamSocket::attach(socket(), host_, ctx));
    socket() = tls;
  }
  int fd() { return static_cast<int>(socket().impl()->sockfd()); }
  // Closes without QUIT: after an I/O error or timeout the dialogue is out of step.
  void Abandon() {
    Poco::Net::SocketImpl* impl = socket().impl();
    if (auto* t = dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(impl)) t->abort();
    else impl->close();
  }

 private:
  std::string host_;
};

SmtpClient::SmtpClient(SmtpClientOptions options) : options_(std::move(options)) {}

SmtpClient::~SmtpClient() { Abandon(); }

bool SmtpClient::is_open() const { return session_ != nullptr; }

void SmtpClient::Abandon() {
  if (!session_) return;
  try {
    session_->Abandon();
  } catch (const Poco::Exception&) {
  }
  session_.reset();  // its destructor's QUIT fails at once on the closed socket
}

int SmtpClient::Command(const std::string& line, std::string* reply) {
  // Bounded even if Poco loops: twice the command timeout (TLS reads may take two) plus slack.
  WatchdogScope guard(watchdog_, session_->fd(),
                      options_.command_timeout * 2 + std::chrono::seconds(2));
  return session_->sendCommand(line, *reply);
}

std::optional<SmtpFailure> SmtpClient::Open(const std::string& secret) {
  Abandon();
  try {
    return Handshake(secret);
  } catch (const Poco::Net::ConnectionRefusedException& e) {
    Abandon();
    return ClassifyLocal(step_, LocalError::kRefused, e.displayText());
  } catch (const Poco::TimeoutException& e) {
    Abandon();
    return ClassifyLocal(step_, LocalError::kTimeout, e.displayText());
  } catch (const Poco::Net::CertificateValidationException& e) {
    Abandon();
    return ClassifyLocal(SmtpStep::kTls, LocalError::kCertificate, e.displayText());
  } catch (const Poco::Net::SSLException& e) {
    Abandon();
    bool cert = e.displayText().find("certificate verify failed") != std::string::npos;
    return ClassifyLocal(SmtpStep::kTls, cert ? LocalError::kCertificate : LocalError::kTlsHandshake,
                         e.displayText());
  } catch (const Poco::Net::SMTPException& e) {
    Abandon();
    return ClassifyReply(step_, e.code(), e.message());
  } catch (const Poco::FileNotFoundException& e) {
    Abandon();
    SmtpFailure f = ClassifyLocal(SmtpStep::kTls, LocalError::kCertificate, e.displayText());
    f.hint = "smtp.ca_file does not exist";
    return f;
  } catch (const Poco::Exception& e) {
    Abandon();
    return ClassifyLocal(step_, watchdog_.tripped() ? LocalError::kProtocol : LocalError::kIo,
                         watchdog_.tripped() ? "the server stopped in the middle of a reply"
                                             : e.displayText());
  }
}

std::optional<SmtpFailure> SmtpClient::Handshake(const std::string& secret) {
  const SmtpClientOptions& o = options_;
  Context::Ptr ctx = o.security == "none" ? nullptr : MakeContext(o);
  Poco::Net::SocketAddress address(o.host, static_cast<Poco::UInt16>(o.port));
  step_ = SmtpStep::kConnect;
  tls_ = false;
  if (o.security == "tls") {
    step_ = SmtpStep::kTls;
    Poco::Net::SecureStreamSocket sock(ctx);
    sock.setPeerHostName(o.host);  // SNI, and the name the certificate must carry
    sock.connect(address, ToTimespan(o.connect_timeout));
    sock.setNoDelay(true);
    sock.setSendTimeout(ToTimespan(o.data_timeout));
    session_ = std::make_unique<Session>(sock, o.host);
    tls_ = true;
  } else {
    Poco::Net::StreamSocket sock;
    sock.connect(address, ToTimespan(o.connect_timeout));
    sock.setNoDelay(true);
    sock.setSendTimeout(ToTimespan(o.data_timeout));
    session_ = std::make_unique<Session>(sock, o.host);
  }
  // Over TLS Poco waits twice its receive timeout; configure half so the total is as asked.
  session_->setTimeout(ToTimespan(tls_ ? o.command_timeout / 2 : o.command_timeout));

  step_ = SmtpStep::kGreeting;
  {
    WatchdogScope guard(watchdog_, session_->fd(), o.command_timeout * 2 + std::chrono::seconds(2));
    session_->ReadGreeting();
  }
  std::string reply;
  step_ = SmtpStep::kEhlo;
  int code = Command("EHLO " + o.hello, &reply);
  if (code / 100 != 2) {
    auto f = ClassifyReply(step_, code, reply);
    Abandon();
    return f;
  }
  capabilities_ = ParseEhlo(reply);
  if (o.security == "starttls") {
    step_ = SmtpStep::kStartTls;
    if (!Offers(capabilities_, "STARTTLS")) {
      Abandon();
      return ClassifyLocal(step_, LocalError::kNoStartTls, "the server does not offer STARTTLS");
    }
    code = Command("STARTTLS", &reply);
    if (code / 100 != 2) {
      auto f = ClassifyReply(step_, code, reply);
      Abandon();
      return f;
    }
    step_ = SmtpStep::kTls;
    session_->StartTls(ctx);
    tls_ = true;
    session_->setTimeout(ToTimespan(o.command_timeout / 2));
    step_ = SmtpStep::kEhlo;  // RFC 3207: forget what was said in clear, ask again
    code = Command("EHLO " + o.hello, &reply);
    if (code / 100 != 2) {
      auto f = ClassifyReply(step_, code, reply);
      Abandon();
      return f;
    }
    capabilities_ = ParseEhlo(reply);
  }
  if (auto f = Authenticate(secret)) {
    Abandon();
    return f;
  }
  return std::nullopt;
}

std::optional<SmtpFailure> SmtpClient::Authenticate(const std::string& secret) {
  const SmtpClientOptions& o = options_;
  auth_mechanism_.clear();
  if (o.username.empty()) return std::nullopt;
  step_ = SmtpStep::kAuth;
  std::vector<std::string> offered = AuthMechanisms(capabilities_);
  auto has = [&](std::string_view m) {
    return std::find(offered.begin(), offered.end(), m) != offered.end();
  };
  std::string mech;
  if (o.auth == "auto") {
    mech = has("PLAIN") ? "PLAIN" : has("LOGIN") ? "LOGIN" : "";
  } else {
    mech = Upper(o.auth);
    if (!has(mech)) mech.clear();
  }
  if (mech.empty()) {
    std::string list;
    for (const auto& m : offered) list += (list.empty() ? "" : " ") + m;
    SmtpFailure f = ClassifyLocal(step_, LocalError::kProtocol,
                                  fmt::format("no usable AUTH mechanism (auth = \"{}\"; the server "
                                              "offers: {})",
                                              o.auth, list.empty() ? "none" : list));
    f.scope = SmtpFailure::Scope::kAccount;
    f.hint = !tls_ && Offers(capabilities_, "STARTTLS")
                 ? "the server offers AUTH only after TLS: set smtp.security = \"starttls\""
                 : "set smtp.auth to one the server offers";
    return f;
  }
  std::string reply;
  int code = 0;
  if (mech == "PLAIN") {
    code = Command("AUTH PLAIN " + Base64(std::string("\0", 1) + o.username + '\0' + secret), &reply);
  } else if (mech == "LOGIN") {
    // Whatever the prompts say: user, then password (Poco compares prompt texts and gives up).
    code = Command("AUTH LOGIN", &reply);
    if (code == 334) code = Command(Base64(o.username), &reply);
    if (code == 334) code = Command(Base64(secret), &reply);
  } else {  // XOAUTH2
    code = Command("AUTH XOAUTH2 " + Base64("user=" + o.username + "\x01" + "auth=Bearer " +
                                            secret + "\x01\x01"),
                   &reply);
    if (code == 334) code = Command("", &reply);  // the error details came; ask for the verdict
  }
  if (code != 235) return ClassifyReply(step_, code == 334 ? 535 : code, reply);
  auth_mechanism_ = mech;
  return std::nullopt;
}

SmtpTransaction SmtpClient::Send(const std::string& from, const std::vector<std::string>& recipients,
                                 const std::string& data) {
  SmtpTransaction t;
  if (!session_) {
    t.failure = ClassifyLocal(SmtpStep::kMail, LocalError::kIo, "not connected");
    return t;
  }
  std::string reply;
  auto rset = [&] {
    std::string r;
    if (session_ && Command("RSET", &r) / 100 != 2) Abandon();
  };
  try {
    step_ = SmtpStep::kMail;
    int code = Command("MAIL FROM:<" + from + ">", &reply);
    if (code / 100 != 2) {
      t.failure = ClassifyReply(step_, code, reply);
      if (code == 421) Abandon();
      else rset();
      return t;
    }
    step_ = SmtpStep::kRcpt;
    for (const std::string& r : recipients) {
      code = Command("RCPT TO:<" + r + ">", &reply);
      if (code / 100 == 2) {
        t.accepted.push_back(r);
      } else if (code == 421) {
        t.failure = ClassifyReply(step_, code, reply);
        t.accepted.clear();
        Abandon();
        return t;
      } else {
        t.refused.emplace_back(r, ClassifyReply(step_, code, reply));
      }
    }
    if (t.accepted.empty()) {
      rset();
      return t;
    }
    step_ = SmtpStep::kData;
    code = Command("DATA", &reply);
    if (code != 354) {
      t.failure = ClassifyReply(step_, code, reply);
      t.accepted.clear();
      if (code == 421) Abandon();
      else rset();
      return t;
    }
    step_ = SmtpStep::kDot;
    session_->setTimeout(ToTimespan(tls_ ? options_.data_timeout / 2 : options_.data_timeout));
    const std::string wire = DotStuffed(data);
    {
      WatchdogScope guard(watchdog_, session_->fd(),
                          options_.data_timeout * 2 + std::chrono::seconds(2));
      for (size_t off = 0; off < wire.size();) {
        int n = session_->socket().sendBytes(wire.data() + off, static_cast<int>(wire.size() - off));
        if (n <= 0) throw Poco::IOException("connection closed while sending the message");
        off += static_cast<size_t>(n);
      }
      code = session_->socket().receiveStatusMessage(reply);
    }
    session_->setTimeout(
        ToTimespan(tls_ ? options_.command_timeout / 2 : options_.command_timeout));
    if (code / 100 != 2) {
      // The transaction is over either way; the session stays usable unless the server closed
      // (421) or nothing came back (0).
      t.failure = ClassifyReply(step_, code, reply);
      t.accepted.clear();
      if (code == 0 || code == 421) Abandon();
      return t;
    }
    t.reply = reply;
    return t;
  } catch (const Poco::TimeoutException& e) {
    t.failure = ClassifyLocal(step_, LocalError::kTimeout, e.displayText());
  } catch (const Poco::Exception& e) {
    t.failure = ClassifyLocal(step_, watchdog_.tripped() ? LocalError::kProtocol : LocalError::kIo,
                              watchdog_.tripped() ? "the server stopped in the middle of a reply"
                                                  : e.displayText());
  }
  // Connection-level failure: whether the server got the message is unknown after the dot;
  // the message is retried with the same Message-ID (at most one duplicate).
  t.accepted.clear();
  Abandon();
  return t;
}

void SmtpClient::Close() {
  if (!session_) return;
  try {
    std::string reply;
    Command("QUIT", &reply);
  } catch (const Poco::Exception&) {
  }
  Abandon();
}

}  // namespace alertdigest
