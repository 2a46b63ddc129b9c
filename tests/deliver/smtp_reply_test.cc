// How each SMTP reply is classified, and what the user is told (pure; no network).
#include <gtest/gtest.h>

#include "deliver/smtp/smtp_reply.h"

namespace alertdigest {
namespace {

using Scope = SmtpFailure::Scope;

TEST(SmtpReplyTest, GmailRepliesAreClassified) {
  struct Case {
    SmtpStep step;
    int code;
    const char* text;
    Scope scope;
    bool retry_later;
    const char* hint_has;
    const char* why;
  } cases[] = {
      {SmtpStep::kMail, 421, "421 4.7.0 Try again later, closing connection.", Scope::kTransient,
       false, "", "4xx is temporary"},
      {SmtpStep::kRcpt, 450, "450 4.2.1 The user you are trying to contact is receiving mail too "
       "quickly", Scope::kTransient, false, "", "recipient busy: later"},
      {SmtpStep::kRcpt, 452, "452 4.5.3 Your message has too many recipients.", Scope::kTransient,
       false, "max_recipients_per_message", "split smaller"},
      {SmtpStep::kAuth, 454, "454 4.7.0 Too many login attempts, please try again later.",
       Scope::kTransient, false, "too many attempts", "back off"},
      {SmtpStep::kAuth, 535, "535 5.7.8 Username and Password not accepted.", Scope::kAccount,
       false, "app password", "bad credentials stop the sender"},
      {SmtpStep::kAuth, 534, "534 5.7.9 Application-specific password required.", Scope::kAccount,
       false, "requires an app password", "2SV account with its normal password"},
      {SmtpStep::kMail, 530, "530 5.7.0 Must issue a STARTTLS command first.", Scope::kAccount,
       false, "starttls", "configuration: TLS first"},
      {SmtpStep::kMail, 550, "550 5.4.5 Daily user sending limit exceeded.", Scope::kAccount, true,
       "daily sending limit", "stop, but it clears by itself"},
      {SmtpStep::kRcpt, 550, "550 5.1.1 The email account that you tried to reach does not exist.",
       Scope::kRecipient, false, "", "one bad address"},
      {SmtpStep::kDot, 552, "552 5.3.4 Your message exceeded Google's message size limits.",
       Scope::kMessage, false, "too big", "this message can never go"},
      {SmtpStep::kDot, 550, "550 5.7.1 Message rejected.", Scope::kMessage, false, "",
       "content refused"},
      {SmtpStep::kMail, 0, "", Scope::kTransient, false, "", "no reply: the connection is gone"},
      {SmtpStep::kMail, 250, "250 OK", Scope::kTransient, false, "", "out of step: reconnect"},
  };
  for (const auto& c : cases) {
    SmtpFailure f = ClassifyReply(c.step, c.code, c.text);
    EXPECT_EQ(f.scope, c.scope) << c.why;
    EXPECT_EQ(f.account_retry_later, c.retry_later) << c.why;
    EXPECT_NE(f.hint.find(c.hint_has), std::string::npos) << c.why << ": " << f.hint;
  }
}

TEST(SmtpReplyTest, EnhancedCodes) {
  EXPECT_EQ(ExtractEnhancedCode("535 5.7.8 Username and Password not accepted."), "5.7.8");
  EXPECT_EQ(ExtractEnhancedCode("550-5.4.5 Daily user sending limit"), "5.4.5");
  EXPECT_EQ(ExtractEnhancedCode("5.1.1 no such user"), "5.1.1");
  EXPECT_EQ(ExtractEnhancedCode("550 Mailbox unavailable"), "");
  EXPECT_EQ(ExtractEnhancedCode("250 2.0.0 OK 1 - gsmtp"), "2.0.0");
  EXPECT_EQ(ExtractEnhancedCode("550 5.7"), "");
}

TEST(SmtpReplyTest, LocalFailuresAreClassified) {
  EXPECT_EQ(ClassifyLocal(SmtpStep::kConnect, LocalError::kRefused, "Connection refused").scope,
            Scope::kTransient);
  EXPECT_EQ(ClassifyLocal(SmtpStep::kDot, LocalError::kTimeout, "Timeout").scope,
            Scope::kTransient);
  SmtpFailure cert = ClassifyLocal(SmtpStep::kTls, LocalError::kCertificate, "verify failed");
  EXPECT_EQ(cert.scope, Scope::kAccount) << "an untrusted certificate is not retried quickly";
  SmtpFailure no_tls = ClassifyLocal(SmtpStep::kStartTls, LocalError::kNoStartTls, "no STARTTLS");
  EXPECT_EQ(no_tls.scope, Scope::kAccount);
  EXPECT_NE(no_tls.hint.find("will not send the password in clear"), std::string::npos);
}

TEST(SmtpReplyTest, TextIsOneLine) {
  SmtpFailure f = ClassifyReply(SmtpStep::kEhlo, 554, "554-first\r\n554 second\r\n");
  EXPECT_EQ(f.text.find('\n'), std::string::npos);
  EXPECT_EQ(f.ToString(), "EHLO: 554-first  554 second");
}

}  // namespace
}  // namespace alertdigest
