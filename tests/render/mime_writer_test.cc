#include "render/mime_writer.h"

#include <gtest/gtest.h>

#include "render_test_util.h"

namespace alertdigest {
namespace {

using testing::At;

MimeWriter BasicWriter() {
  MimeWriter w;
  w.SetDate(At("2026-11-26T01:08:18Z"));
  w.SetFrom({"Alerts", "alerts@example.com"});
  w.AddTo({"Team", "team@example.com"});
  w.AddCc({"", "lead@example.com"});
  w.SetSubject("[alertdigest] HighCPU");
  w.SetMessageId("20261126T010818.0123456789abcdef@example.com");
  w.SetKind("notification");
  w.SetGroup("4e0cdac755c2a543");
  w.SetText("hello\n");
  w.SetHtml("<p>hello</p>\n");
  return w;
}

std::string HeaderBlock(const std::string& msg) { return msg.substr(0, msg.find("\r\n\r\n") + 2); }

TEST(MimeWriterTest, HeadersInOrder) {
  const std::string msg = BasicWriter().Write(1);
  EXPECT_EQ(HeaderBlock(msg),
            "Date: Thu, 26 Nov 2026 01:08:18 +0000\r\n"
            "From: Alerts <alerts@example.com>\r\n"
            "To: Team <team@example.com>\r\n"
            "Cc: lead@example.com\r\n"
            "Subject: [alertdigest] HighCPU\r\n"
            "Message-ID: <20261126T010818.0123456789abcdef@example.com>\r\n"
            "MIME-Version: 1.0\r\n"
            "Auto-Submitted: auto-generated\r\n"
            "X-Alertdigest-Kind: notification\r\n"
            "X-Alertdigest-Group: 4e0cdac755c2a543\r\n"
            "Content-Type: multipart/alternative;\r\n"
            " boundary=\"=_ad_alt_0000000000000001\"\r\n");
}

TEST(MimeWriterTest, ThreadingHeaders) {
  MimeWriter w = BasicWriter();
  w.SetInReplyTo("first@example.com");
  const std::string h = HeaderBlock(w.Write(1));
  EXPECT_NE(h.find("\r\nIn-Reply-To: <first@example.com>\r\n"), std::string::npos);
  EXPECT_NE(h.find("\r\nReferences: <first@example.com>\r\n"), std::string::npos);
}

TEST(MimeWriterTest, AlertDataCannotAddHeaders) {
  MimeWriter w = BasicWriter();
  w.SetSubject("[alertdigest] x\r\nBcc: evil@example.com");
  w.AddHeader("X-Team", "a\nBcc: evil2@example.com\r\n\r\nbody");
  const std::string msg = w.Write(1);
  EXPECT_EQ(msg.find("\r\nBcc:"), std::string::npos);
  EXPECT_EQ(msg.find("\nBcc:"), std::string::npos);
  EXPECT_NE(msg.find("Subject: [alertdigest] x  Bcc: evil@example.com\r\n"), std::string::npos);
}

TEST(MimeWriterTest, NoLineOver998AndOnlyCrlf) {
  MimeWriter w = BasicWriter();
  w.SetText(std::string(5000, 'x') + "\n" + std::string(3000, 'y'));
  w.SetHtml("<div>" + std::string(10000, 'z') + "</div>");
  w.SetSubject(std::string(3000, 's'));
  w.AddHeader("X-Long", std::string(2000, 'h'));
  for (int i = 0; i < 50; ++i) w.AddTo({"Name " + std::to_string(i), "person@example.com"});
  const std::string msg = w.Write(7);
  size_t start = 0;
  for (size_t pos; (pos = msg.find("\r\n", start)) != std::string::npos; start = pos + 2) {
    ASSERT_LE(pos - start, 998u);
  }
  for (size_t i = 0; i < msg.size(); ++i) {
    if (msg[i] == '\n') {
      ASSERT_TRUE(i > 0 && msg[i - 1] == '\r') << i;
    }
    if (msg[i] == '\r') {
      ASSERT_TRUE(i + 1 < msg.size() && msg[i + 1] == '\n') << i;
    }
  }
}

TEST(MimeWriterTest, AttachmentMakesMultipartMixed) {
  MimeWriter w = BasicWriter();
  w.SetAttachment({"alerts ü.csv", "text/csv; charset=utf-8", "a,b\r\n"});
  const std::string msg = w.Write(1);
  EXPECT_NE(msg.find("Content-Type: multipart/mixed;\r\n boundary=\"=_ad_mix_"), std::string::npos);
  EXPECT_NE(msg.find("Content-Disposition: attachment; filename=\"alerts___.csv\""),
            std::string::npos);
  EXPECT_NE(msg.find("YSxiDQo=\r\n"), std::string::npos);  // base64 of the CSV
}

TEST(MimeWriterTest, BoundaryNeverInContent) {
  MimeWriter w = BasicWriter();
  w.SetAttachment({"x.txt", "text/plain", "--=_ad_alt_0000000000000001"});
  // The raw text can't collide (QP encodes '='), and base64 hides it; the boundary is unique.
  const std::string msg = w.Write(1);
  const std::string boundary = "=_ad_alt_0000000000000001";
  size_t count = 0;
  for (size_t p = msg.find(boundary); p != std::string::npos; p = msg.find(boundary, p + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 4u);  // its Content-Type parameter and the 3 delimiter lines
}

}  // namespace
}  // namespace alertdigest
