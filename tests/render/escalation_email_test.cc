// Escalation mails end to end: EmailRenderer::RenderEscalation, then parsed by Python's email
// package (check_eml.py).
#include <gtest/gtest.h>

#include "check_eml.h"
#include "digest_test_util.h"
#include "render/email_renderer.h"

namespace alertdigest {
namespace {

using testing::CheckEml;
using testing::Quoted;

class EscalationEmailTest : public ::testing::Test {
 protected:
  Email Render(const EscalationNotice& n, const EpisodeThread& thread = {}) {
    std::vector<ConfigError> errors;
    auto renderer = EmailRenderer::Create(config_, &errors);
    for (const ConfigError& e : errors) ADD_FAILURE() << e.where.file << ": " << e.message;
    if (!renderer) return {};
    Result<Email> email = renderer->RenderEscalation(n, thread);
    EXPECT_TRUE(email.ok()) << email.status().message();
    return email.ok() ? *email : Email{};
  }

  static bool Has(const std::string& quoted_part, const std::string& plain) {
    const std::string q = Quoted(plain);
    return quoted_part.find(q.substr(1, q.size() - 2)) != std::string::npos;
  }

  Config config_ = testing::SampleConfig();
};

TEST_F(EscalationEmailTest, HeadersGoToTheStepsRecipients) {
  const EscalationNotice n = testing::SampleEscalation();
  const Email e = Render(n);
  auto eml = CheckEml(e.data);
  ASSERT_FALSE(eml.empty());
  EXPECT_EQ(eml["defects.length"], "0");
  EXPECT_EQ(eml["headers.X-Alertdigest-Kind"], "\"escalation\"");
  EXPECT_EQ(eml["headers.X-Alertdigest-Group"], Quoted(HashHex(n.group_key)));
  EXPECT_EQ(eml["headers.To"], "\"Ann Oncall <ann@example.com>, bob@example.com\"");
  EXPECT_EQ(eml.count("headers.Cc"), 0u);
  EXPECT_EQ(eml["headers.From"], "\"Alerts <alerts@example.com>\"");
  EXPECT_EQ(e.recipients, (std::vector<std::string>{"ann@example.com", "bob@example.com"}));
  EXPECT_EQ(e.data.find("team@example.com"), std::string::npos);  // not the receiver's To
  EXPECT_EQ(e.subject, "[ESCALATION step 2/3] HighCPU (cluster=eu-1)");
  EXPECT_EQ(eml["headers.Subject"], Quoted(e.subject));
  EXPECT_EQ(eml.count("headers.In-Reply-To"), 0u);
  EXPECT_LE(std::stoi(eml["max_line_length"]), 998);
}

TEST_F(EscalationEmailTest, ThreadKeepsSubjectAndReferencesFirstMail) {
  const Email e = Render(testing::SampleEscalation(),
                         {"20261126T010000.00000000000000aa@example.com",
                          "[ESCALATION step 1/3] HighCPU (cluster=eu-1)"});
  auto eml = CheckEml(e.data);
  EXPECT_EQ(e.subject, "[ESCALATION step 1/3] HighCPU (cluster=eu-1)");
  EXPECT_EQ(eml["headers.In-Reply-To"], "\"<20261126T010000.00000000000000aa@example.com>\"");
  EXPECT_EQ(eml["headers.References"], "\"<20261126T010000.00000000000000aa@example.com>\"");
}

TEST_F(EscalationEmailTest, AckLinkIntactInTextAndHtml) {
  const EscalationNotice n = testing::SampleEscalation();
  ASSERT_GT(n.ack_url.size(), 76u);  // longer than a quoted-printable line
  auto eml = CheckEml(Render(n).data);
  const std::string& text = eml["text"];
  const std::string& html = eml["html"];
  EXPECT_TRUE(Has(text, "\r\nAcknowledge: " + n.ack_url + "\r\n")) << text;
  EXPECT_TRUE(Has(text, "Opening the link shows a confirmation page")) << text;
  EXPECT_TRUE(Has(text, "The link expires at 2026-11-28T02:00:00Z (in 2 days).")) << text;
  int ack_links = 0;  // the button and the written-out link; href values as a browser reads them
  for (int i = 0; i < std::stoi(eml["html_links.length"]); ++i) {
    ack_links += eml["html_links[" + std::to_string(i) + "]"] == Quoted(n.ack_url);
  }
  EXPECT_EQ(ack_links, 2) << html;
  EXPECT_TRUE(Has(html, ">" + n.ack_url + "</a>")) << html;
  EXPECT_TRUE(Has(html, "Opening the link shows a confirmation page"));
  EXPECT_TRUE(Has(html, "The link expires at 2026-11-28T02:00:00Z (in 2 days)."));
}

TEST_F(EscalationEmailTest, BodySaysStepPolicyOnCallEpisodeAndAlerts) {
  auto eml = CheckEml(Render(testing::SampleEscalation()).data);
  const std::string& text = eml["text"];
  EXPECT_TRUE(text.starts_with(Quoted("ESCALATION step 2 of 3 · policy db\r\n").substr(0, 30)))
      << text;
  EXPECT_TRUE(Has(text, "HighCPU (cluster=eu-1) — 2 firing, firing since 2026-11-26T01:00:00Z "
                        "(1 hour)\r\n"))
      << text;
  EXPECT_TRUE(Has(text, "On call: ann@example.com is on call in db-primary\r\n"));
  EXPECT_TRUE(Has(text, "Sent to: Ann Oncall <ann@example.com>, bob@example.com\r\n"));
  EXPECT_TRUE(Has(text, "FIRING (2)\r\n* CPU above 90% on web-1\r\n  Labels:      instance=web-1"))
      << text;
  EXPECT_TRUE(Has(text, "* web-2 is busy.\r\n"));
  EXPECT_FALSE(Has(text, "repeated"));
  EXPECT_FALSE(Has(text, "Sent late"));
  const std::string& html = eml["html"];
  EXPECT_TRUE(Has(html, "ESCALATION &middot; step 2 of 3 &middot; policy db<"));
  EXPECT_TRUE(Has(html, "CPU above 90% on web-1"));
  EXPECT_TRUE(Has(html, "ann@example.com is on call in db-primary"));
}

TEST_F(EscalationEmailTest, RepeatAndLateMarkers) {
  EscalationNotice n = testing::SampleEscalation();
  n.step = 3;
  n.repeat = true;
  n.late = true;
  auto eml = CheckEml(Render(n).data);
  EXPECT_TRUE(Has(eml["text"], "ESCALATION step 3 of 3 · policy db · repeated: still not "
                               "acknowledged\r\n"))
      << eml["text"];
  EXPECT_TRUE(Has(eml["text"], "\r\nSent late: this step came due while alertdigest was not "
                               "running.\r\n"));
  EXPECT_TRUE(Has(eml["html"], "repeated: still not acknowledged"));
  EXPECT_TRUE(Has(eml["html"], "Sent late: this step came due while alertdigest was not running."));
}

TEST_F(EscalationEmailTest, AlertDataEscapedInertAndNeverAHeader) {
  EscalationNotice n = testing::SampleEscalation();
  n.group_labels.Set("cluster", "<script>x</script>\r\nBcc: evil@example.com {{policy}}");
  n.firing[0].annotations.Set("summary", "<script>alert(1)</script> {{#firing}}{{/firing}}");
  const Email e = Render(n);
  EXPECT_EQ(testing::HeadersOf(e.data).find("\nBcc:"), std::string::npos);
  EXPECT_EQ(e.subject,
            "[ESCALATION step 2/3] HighCPU (cluster=<script>x</script> Bcc: evil@example.com "
            "{{policy}})");
  auto eml = CheckEml(e.data);
  EXPECT_FALSE(Has(eml["html"], "<script>"));
  EXPECT_TRUE(Has(eml["html"], "&lt;script&gt;alert(1)&lt;/script&gt; {{#firing}}{{/firing}}"));
  EXPECT_TRUE(Has(eml["text"], "* <script>alert(1)</script> {{#firing}}{{/firing}}\r\n"));
  EXPECT_TRUE(Has(eml["text"], "{{policy}}"));
}

TEST_F(EscalationEmailTest, NoRecipientsIsAnError) {
  EscalationNotice n = testing::SampleEscalation();
  n.recipients.clear();
  std::vector<ConfigError> errors;
  auto renderer = EmailRenderer::Create(config_, &errors);
  ASSERT_TRUE(renderer);
  EXPECT_EQ(renderer->RenderEscalation(n, {}).status().message(),
            "render escalation db step 2: no recipients");
}

}  // namespace
}  // namespace alertdigest
