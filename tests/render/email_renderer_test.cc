#include "render/email_renderer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "render/embedded_templates.h"
#include "render/mustache_template.h"
#include "render/view_model.h"
#include "render_test_util.h"

namespace alertdigest {
namespace {

namespace fs = std::filesystem;
using testing::BodyOf;
using testing::HeadersOf;

class EmailRendererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::path(::testing::TempDir()) /
        ("render_" + std::to_string(getpid()) + "_" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "templates");
    config_ = testing::SampleConfig();
    config_.templates_dir = (dir_ / "templates").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / "templates" / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

  std::unique_ptr<EmailRenderer> Create() {
    std::vector<ConfigError> errors;
    auto r = EmailRenderer::Create(config_, &errors);
    for (const ConfigError& e : errors) ADD_FAILURE() << e.where.file << ": " << e.message;
    return r;
  }

  Email Render(const Notification& n, const EpisodeThread& thread = {}) {
    auto renderer = Create();
    if (!renderer) return {};
    Result<Email> email = renderer->Render(n, thread);
    EXPECT_TRUE(email.ok()) << email.status().message();
    return email.ok() ? *email : Email{};
  }

  fs::path dir_;
  Config config_;
};

TEST_F(EmailRendererTest, DefaultSubjectIsStableTitle) {
  const Email e = Render(testing::SampleNotification());
  EXPECT_EQ(e.subject, "[alertdigest] HighCPU (cluster=eu-1)");
  EXPECT_NE(HeadersOf(e.data).find("\r\nSubject: [alertdigest] HighCPU (cluster=eu-1)\r\n"),
            std::string::npos);
}

TEST_F(EmailRendererTest, ThreadSubjectIsReusedVerbatimAndRepliesReference) {
  Notification n = testing::SampleNotification();
  n.group_labels.Set("cluster", "changed");
  const Email e = Render(n, {"20261126T010000.00000000000000aa@example.com", "[alertdigest] Old"});
  EXPECT_EQ(e.subject, "[alertdigest] Old");
  const std::string h = HeadersOf(e.data);
  EXPECT_NE(h.find("\r\nSubject: [alertdigest] Old\r\n"), std::string::npos);
  EXPECT_NE(h.find("\r\nIn-Reply-To: <20261126T010000.00000000000000aa@example.com>\r\n"),
            std::string::npos);
  EXPECT_NE(h.find("\r\nReferences: <20261126T010000.00000000000000aa@example.com>\r\n"),
            std::string::npos);
}

TEST_F(EmailRendererTest, FirstMailHasNoThreadingHeaders) {
  const std::string h = HeadersOf(Render(testing::SampleNotification()).data);
  EXPECT_EQ(h.find("In-Reply-To:"), std::string::npos);
  EXPECT_EQ(h.find("References:"), std::string::npos);
}

TEST_F(EmailRendererTest, MessageIdEnvelopeAndRecipients) {
  const Email e = Render(testing::SampleNotification());
  // <UTC yyyymmddThhmmss>.<16 hex>@<domain of From>
  ASSERT_EQ(e.message_id.size(),
            std::string("20261126T020000.0123456789abcdef@example.com").size());
  EXPECT_TRUE(e.message_id.starts_with("20261126T020000."));
  EXPECT_TRUE(e.message_id.ends_with("@example.com"));
  EXPECT_NE(HeadersOf(e.data).find("\r\nMessage-ID: <" + e.message_id + ">\r\n"),
            std::string::npos);
  EXPECT_EQ(e.envelope_from, "alerts@example.com");
  EXPECT_EQ(e.recipients, (std::vector<std::string>{"team@example.com", "ops@example.com",
                                                    "lead@example.com", "audit@example.com"}));
  EXPECT_NE(Render(testing::SampleNotification()).message_id, e.message_id);
}

TEST_F(EmailRendererTest, BccIsEnvelopeOnly) {
  const Email e = Render(testing::SampleNotification());
  EXPECT_EQ(e.data.find("audit@example.com"), std::string::npos);
  EXPECT_EQ(e.data.find("Bcc"), std::string::npos);
  EXPECT_NE(HeadersOf(e.data).find("\r\nTo: Team <team@example.com>,\r\n ops@example.com\r\n"),
            std::string::npos);
  EXPECT_NE(HeadersOf(e.data).find("\r\nCc: lead@example.com\r\n"), std::string::npos);
}

TEST_F(EmailRendererTest, DefaultFrom) {
  config_.smtp.from.clear();
  const Email e = Render(testing::SampleNotification());
  EXPECT_EQ(e.envelope_from, "alertdigest@localhost");
  EXPECT_NE(e.data.find("\r\nFrom: alertdigest <alertdigest@localhost>\r\n"), std::string::npos);
  EXPECT_TRUE(e.message_id.ends_with("@localhost"));
}

TEST_F(EmailRendererTest, KindAndGroupHeaders) {
  const Notification n = testing::SampleNotification();
  const std::string h = HeadersOf(Render(n).data);
  EXPECT_NE(h.find("\r\nX-Alertdigest-Kind: notification\r\n"), std::string::npos);
  EXPECT_NE(h.find("\r\nX-Alertdigest-Group: " + HashHex(n.group_key) + "\r\n"), std::string::npos);
  EXPECT_NE(h.find("\r\nAuto-Submitted: auto-generated\r\n"), std::string::npos);
  EXPECT_TRUE(h.starts_with("Date: Thu, 26 Nov 2026 02:00:00 +0000\r\n")) << h;
}

TEST_F(EmailRendererTest, GroupLabelCannotInjectHeader) {
  Notification n = testing::SampleNotification();
  n.group_labels.Set("cluster", "x\r\nBcc: evil@example.com");
  const Email e = Render(n);
  // The text body shows the value as it is (its line break included); the headers never do.
  EXPECT_EQ(HeadersOf(e.data).find("\nBcc:"), std::string::npos);
  EXPECT_EQ(e.subject, "[alertdigest] HighCPU (cluster=x Bcc: evil@example.com)");
  EXPECT_EQ(e.recipients.size(), 4u);
}

TEST_F(EmailRendererTest, HtmlEscapesAnnotationsButTextDoesNot) {
  Notification n = testing::SampleNotification();
  n.firing[0].annotations.Set("description", "<script>alert(1)</script>");
  const Email e = Render(n);
  const std::string html = BodyOf(e.data, "text/html");
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(BodyOf(e.data, "text/plain").find("<script>alert(1)</script>"), std::string::npos);
}

TEST_F(EmailRendererTest, TemplateSyntaxInLabelsIsLiteral) {
  Notification n = testing::SampleNotification();
  n.group_labels.Set("cluster", "{{receiver}}");
  n.firing[0].annotations.Set("summary", "{{#firing}}{{> alert_text}}{{/firing}}");
  const Email e = Render(n);
  EXPECT_EQ(e.subject, "[alertdigest] HighCPU (cluster={{receiver}})");
  EXPECT_NE(BodyOf(e.data, "text/plain").find("* {{#firing}}{{> alert_text}}{{/firing}}\r\n"),
            std::string::npos);
}

TEST_F(EmailRendererTest, SubjectTemplateIsCollapsedAndCapped) {
  config_.receivers[0].subject.path = Write("subject.mustache", "  A\n\tB  {{group_title}}\n");
  EXPECT_EQ(Render(testing::SampleNotification()).subject, "A B HighCPU (cluster=eu-1)");
  config_.receivers[0].subject.path = Write("long.mustache", std::string(300, 'x'));
  EXPECT_EQ(Render(testing::SampleNotification()).subject, std::string(199, 'x') + "…");
}

TEST_F(EmailRendererTest, PartialsFromTemplatesDirOverrideDefaults) {
  Write("alert_text.mustache", "CUSTOM {{alertname}} {{labels.instance}}\n");
  const std::string text = BodyOf(Render(testing::SampleNotification()).data, "text/plain");
  EXPECT_NE(text.find("CUSTOM HighCPU web-1\r\n"), std::string::npos) << text;
}

TEST_F(EmailRendererTest, ExtraHeadersAreRenderedAndSanitised) {
  config_.receivers[0].headers["X-Team"] = "{{receiver}} {{group_title}}";
  Notification n = testing::SampleNotification();
  n.group_labels.Set("cluster", "a\nB: c");
  const std::string h = HeadersOf(Render(n).data);
  EXPECT_NE(h.find("\r\nX-Team: team HighCPU (cluster=a B: c)\r\n"), std::string::npos) << h;
}

TEST_F(EmailRendererTest, CsvAttachment) {
  config_.receivers[0].attach = Receiver::Attach::kCsv;
  const Email e = Render(testing::SampleNotification());
  EXPECT_NE(e.data.find("Content-Type: multipart/mixed;"), std::string::npos);
  EXPECT_NE(e.data.find("filename=\"alerts.csv\""), std::string::npos);
}

TEST_F(EmailRendererTest, UnknownReceiver) {
  Notification n = testing::SampleNotification();
  n.receiver = "nobody";
  Result<Email> e = Create()->Render(n, {});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(), "render email: unknown receiver \"nobody\"");
}

TEST_F(EmailRendererTest, CompileErrorNamesFileLineAndKey) {
  const std::string path =
      Write("bad.mustache", "<p>\n{{group_title}}\n{{#alerts}}\n<li>{{x}}</li>\n");
  config_.receivers[0].html = {path, {"config.toml", 12}, "receiver[0].html"};
  config_.receivers[0].text = {
      Write("text.mustache", "ok\n{{> nosuch}}"), {"config.toml", 13}, "receiver[0].text"};
  std::vector<ConfigError> errors;
  EXPECT_EQ(EmailRenderer::Create(config_, &errors), nullptr);
  ASSERT_EQ(errors.size(), 2u);
  auto str = [](const ConfigError& e) {
    return e.where.file + ":" + std::to_string(e.where.line) + ": " + e.key_path + ": " + e.message;
  };
  EXPECT_EQ(str(errors[0]), (dir_ / "templates/text.mustache").string() +
                                ":2: receiver[0].text: partial \"nosuch\" not found");
  EXPECT_EQ(str(errors[1]), path + ":3: receiver[0].html: Unclosed section \"alerts\" at 20");
}

TEST_F(EmailRendererTest, MissingTemplateFile) {
  config_.receivers[0].subject = {
      "/nonexistent/s.mustache", {"config.toml", 7}, "receiver[0].subject"};
  std::vector<ConfigError> errors;
  EXPECT_EQ(EmailRenderer::Create(config_, &errors), nullptr);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where.file, "config.toml");
  EXPECT_EQ(errors[0].where.line, 7);
  EXPECT_EQ(errors[0].message, "read template /nonexistent/s.mustache: No such file or directory");
}

TEST_F(EmailRendererTest, ReservedExtraHeaderIsAnError) {
  config_.receivers[0].headers["Bcc"] = "x@example.com";
  std::vector<ConfigError> errors;
  EXPECT_EQ(EmailRenderer::Create(config_, &errors), nullptr);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].key_path, "receiver[0].headers.Bcc");
  EXPECT_EQ(errors[0].message, "header \"Bcc\" is set by alertdigest");
}

TEST_F(EmailRendererTest, AckLinkInDefaultBodies) {
  Notification n = testing::SampleNotification();
  n.ack_url = "http://alerts.example.com:9095/ack/djEKe306e2FsZXJ0bmFtZT0iSGlnaENQVSJ9CjcKMTc5.c2ln-_";
  const Email e = Render(n);
  const std::string text = BodyOf(e.data, "text/plain");
  EXPECT_NE(text.find("\r\nAcknowledge: " + n.ack_url + "\r\n(opening the link shows a "
                      "confirmation page; nothing is acknowledged until you confirm there)\r\n"),
            std::string::npos)
      << text;
  const std::string html = BodyOf(e.data, "text/html");
  EXPECT_NE(html.find("<a href=\"" + n.ack_url + "\""), std::string::npos) << html;
  EXPECT_NE(html.find(">Acknowledge</a>"), std::string::npos);
  EXPECT_EQ(text.find("Acknowledged by"), std::string::npos);
}

TEST_F(EmailRendererTest, AcknowledgementInDefaultBodies) {
  Notification n = testing::SampleNotification();
  n.ack = AckInfo{"ann@example.com", "on it <b>", "link", testing::At("2026-11-26T01:50:00Z")};
  const Email e = Render(n);
  const std::string text = BodyOf(e.data, "text/plain");
  EXPECT_NE(text.find("\r\nAcknowledged by ann@example.com at 2026-11-26T01:50:00Z via link: "
                      "on it <b>\r\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("Acknowledge:"), std::string::npos);
  const std::string html = BodyOf(e.data, "text/html");
  EXPECT_NE(html.find("Acknowledged by <strong>ann@example.com</strong> at 2026-11-26T01:50:00Z "
                      "via link: on it &lt;b&gt;"),
            std::string::npos)
      << html;
  n.ack->comment.clear();
  EXPECT_NE(BodyOf(Render(n).data, "text/plain")
                .find("Acknowledged by ann@example.com at 2026-11-26T01:50:00Z via link\r\n"),
            std::string::npos);
}

// Golden files of the default text and HTML bodies; UPDATE_GOLDEN=1 rewrites them.
void CheckGolden(const std::string& name, const std::string& got) {
  const std::string path = std::string(AD_TESTDATA_DIR) + "/render/golden/" + name;
  if (std::getenv("UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << got;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing " << path << " (run with UPDATE_GOLDEN=1)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got, want.str()) << "golden " << path << " differs (UPDATE_GOLDEN=1 rewrites it)";
}

// The default bodies of SampleNotification() as the recipient sees them (decoded, LF line ends).
std::string RenderDefault(const std::string& content_type) {
  const Config c = testing::SampleConfig();
  std::vector<ConfigError> errors;
  auto renderer = EmailRenderer::Create(c, &errors);
  EXPECT_TRUE(renderer != nullptr);
  Result<Email> e = renderer->Render(testing::SampleNotification(), {});
  EXPECT_TRUE(e.ok());
  std::string body = BodyOf(e->data, content_type);
  for (size_t p; (p = body.find("\r\n")) != std::string::npos;) body.erase(p, 1);
  return body;
}

TEST(DefaultTemplatesTest, GoldenText) {
  CheckGolden("default_text.txt", RenderDefault("text/plain"));
}

TEST(DefaultTemplatesTest, GoldenHtml) {
  CheckGolden("default_html.html", RenderDefault("text/html"));
}

TEST(DefaultTemplatesTest, EmbeddedMatchesSourceTree) {
  for (const char* name :
       {"subject", "text", "html", "alert_text", "alert_html", "digest.subject", "digest.text",
        "digest.html", "escalation.subject", "escalation.text", "escalation.html"}) {
    std::ifstream in(std::string(AD_SOURCE_DIR) + "/templates/" + name + ".mustache",
                     std::ios::binary);
    std::stringstream file;
    file << in.rdbuf();
    ASSERT_TRUE(EmbeddedTemplate(name).has_value()) << name;
    EXPECT_EQ(*EmbeddedTemplate(name), file.str()) << name;
  }
  EXPECT_FALSE(EmbeddedTemplate("nosuch").has_value());
}

}  // namespace
}  // namespace alertdigest
