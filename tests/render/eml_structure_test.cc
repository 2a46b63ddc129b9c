// Structural check by an independent parser: the rendered .eml is parsed by Python's email
// package (tests/render/check_eml.py) and we assert on what a mail client would see.
#include <gtest/gtest.h>

#include "check_eml.h"
#include "render/email_renderer.h"
#include "render_test_util.h"

namespace alertdigest {
namespace {

using testing::CheckEml;

Email RenderSample(Receiver::Attach attach, const Notification& n) {
  Config c = testing::SampleConfig();
  c.smtp.from = "Zoë Ünicode-Alerts <alerts@example.com>";
  c.receivers[0].attach = attach;
  std::vector<ConfigError> errors;
  auto r = EmailRenderer::Create(c, &errors);
  EXPECT_TRUE(r != nullptr);
  Result<Email> e = r->Render(n, {});
  EXPECT_TRUE(e.ok()) << e.status().message();
  return *e;
}

Notification Utf8Notification() {
  Notification n = testing::SampleNotification();
  n.group_labels.Set("cluster",
                     "Zürich 📬 Rechenzentrum Süd-Ost mit sehr langem Namen für Umbrüche");
  n.firing[0].annotations.Set(
      "description", "Zeile eins\nZeile zwei = 100% 🔥\n" + std::string(1500, 'x') + "\n.\n");
  return n;
}

TEST(EmlStructureTest, AlternativeWithUtf8SubjectParsesCleanly) {
  const Notification n = Utf8Notification();
  const Email e = RenderSample(Receiver::Attach::kNone, n);
  auto eml = CheckEml(e.data);
  ASSERT_FALSE(eml.empty());
  EXPECT_EQ(eml["defects.length"], "0");
  EXPECT_EQ(eml["structure.content_type"], "\"multipart/alternative\"");
  EXPECT_EQ(eml["structure.parts[0].content_type"], "\"text/plain\"");
  EXPECT_EQ(eml["structure.parts[0].charset"], "\"utf-8\"");
  EXPECT_EQ(eml["structure.parts[0].transfer_encoding"], "\"quoted-printable\"");
  EXPECT_EQ(eml["structure.parts[1].content_type"], "\"text/html\"");
  EXPECT_EQ(eml["structure.parts[1].charset"], "\"utf-8\"");
  EXPECT_EQ(eml["headers.Subject"], "\"" + e.subject + "\"");
  EXPECT_EQ(e.subject,
            "[alertdigest] HighCPU (cluster=Zürich 📬 Rechenzentrum Süd-Ost mit sehr "
            "langem Namen für Umbrüche)");
  EXPECT_EQ(eml["headers.From"], "\"Zoë Ünicode-Alerts <alerts@example.com>\"");
  EXPECT_EQ(eml["headers.To"], "\"Team <team@example.com>, ops@example.com\"");
  EXPECT_EQ(eml["headers.MIME-Version"], "\"1.0\"");
  EXPECT_EQ(eml.count("headers.Bcc"), 0u);
  EXPECT_LE(std::stoi(eml["max_line_length"]), 998);
  EXPECT_EQ(eml["bare_line_ends"], "false");
  EXPECT_EQ(eml["seven_bit"], "true");
  const std::string& text = eml["text"];
  EXPECT_NE(text.find("2 firing, 1 resolved — first notification"), std::string::npos) << text;
  EXPECT_NE(text.find("Zeile zwei = 100% 🔥\\r\\n"), std::string::npos) << text;
  EXPECT_NE(text.find(std::string(1500, 'x')), std::string::npos);
  EXPECT_NE(text.find("\\r\\n.\\r\\n"), std::string::npos);
  const std::string& html = eml["html"];
  EXPECT_NE(html.find("CPU above 90% on web-1"), std::string::npos);
  EXPECT_NE(html.find("href=\\\"https://runbooks.example.com/high-cpu\\\""), std::string::npos);
}

TEST(EmlStructureTest, CsvAttachmentMakesMixed) {
  const Email e = RenderSample(Receiver::Attach::kCsv, Utf8Notification());
  auto eml = CheckEml(e.data);
  ASSERT_FALSE(eml.empty());
  EXPECT_EQ(eml["defects.length"], "0");
  EXPECT_EQ(eml["structure.content_type"], "\"multipart/mixed\"");
  EXPECT_EQ(eml["structure.parts[0].content_type"], "\"multipart/alternative\"");
  EXPECT_EQ(eml["structure.parts[1].content_type"], "\"text/csv\"");
  EXPECT_EQ(eml["structure.parts[1].transfer_encoding"], "\"base64\"");
  EXPECT_EQ(eml["attachments[0].filename"], "\"alerts.csv\"");
  EXPECT_NE(
      eml["attachments[0].content"].find(
          "status,alertname,fingerprint,starts_at,ends_at,labels,summary\\r\\nfiring,HighCPU,"),
      std::string::npos)
      << eml["attachments[0].content"];
  EXPECT_LE(std::stoi(eml["max_line_length"]), 998);
}

TEST(EmlStructureTest, JsonAttachment) {
  const Email e = RenderSample(Receiver::Attach::kJson, testing::SampleNotification());
  auto eml = CheckEml(e.data);
  EXPECT_EQ(eml["defects.length"], "0");
  EXPECT_EQ(eml["attachments[0].filename"], "\"alerts.json\"");
  EXPECT_EQ(eml["attachments[0].content_type"], "\"application/json\"");
}

}  // namespace
}  // namespace alertdigest
