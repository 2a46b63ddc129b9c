#include "render/digest_attachment.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "digest_test_util.h"

namespace alertdigest {
namespace {

using testing::At;
using testing::Entry;

ZonedTimeText Berlin() { return ZonedTimeText::Create("Europe/Berlin").value(); }

TEST(DigestAttachmentTest, CsvHasEveryEntryOfEverySection) {
  const std::string csv = DigestCsv(testing::SampleDigest());
  const std::string want =
      "section,alertname,labels,starts_at,ends_at,duration_seconds,fired_count,summary\r\n"
      "fired,HighCPU,\"alertname=HighCPU, instance=web-1\",2026-11-30T03:48:00Z,,11520,1,"
      "CPU above 90% on web-1\r\n"
      "fired,DiskFull,\"alertname=DiskFull, instance=db-1\",2026-11-30T01:00:00Z,"
      "2026-11-30T01:20:00Z,1200,1,\r\n"
      "fired,Flappy,\"alertname=Flappy, instance=x\",2026-11-30T06:00:00Z,2026-11-30T06:05:00Z,"
      "300,4,\r\n"
      "open,OldAlert,\"alertname=OldAlert, instance=legacy\",2026-11-27T10:00:00Z,,248400,1,\r\n"
      "open,HighCPU,\"alertname=HighCPU, instance=web-1\",2026-11-30T03:48:00Z,,11520,1,"
      "CPU above 90% on web-1\r\n";
  EXPECT_TRUE(csv.starts_with(want)) << csv;
  size_t rows = 0;
  for (size_t p = 0; (p = csv.find("\r\n", p)) != std::string::npos; p += 2) ++rows;
  EXPECT_EQ(rows, 1u + 3 + 2 + 5 + 1 + 2 + 1);
  EXPECT_NE(csv.find("\r\nevent,OldAlert,\"alertname=OldAlert, instance=legacy\","
                     "2026-11-30T06:30:00Z,,,,acknowledged by ann@example.com via link: looking "
                     "into it\r\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\r\ndeferred,NightlyBackup,\"alertname=NightlyBackup, job=backup\","
                     "2026-11-29T22:10:00Z,2026-11-30T04:55:00Z,,,held back from team by mute "
                     "interval night\r\n"),
            std::string::npos)
      << csv;
}

TEST(DigestAttachmentTest, CsvQuotesAndDefusesCells) {
  DigestReport r;
  r.window_end = At("2026-11-30T07:00:00Z");
  r.resolved = {Entry({{"alertname", "=HYPERLINK(\"x\")"}, {"note", "a \"b\", c\r\nd"}},
                      "2026-11-30T01:00:00Z", "2026-11-30T02:00:00Z", 1, "line1\nline2")};
  EXPECT_EQ(DigestCsv(r),
            "section,alertname,labels,starts_at,ends_at,duration_seconds,fired_count,summary\r\n"
            "resolved,\"'=HYPERLINK(\"\"x\"\")\",\"alertname==HYPERLINK(\"\"x\"\"), note=a "
            "\"\"b\"\", c\r\nd\",2026-11-30T01:00:00Z,2026-11-30T02:00:00Z,3600,1,"
            "\"line1\nline2\"\r\n");
}

TEST(DigestAttachmentTest, FileNameUsesLocalDateAndSafeRule) {
  DigestReport r;
  r.rule = "night/ops team";
  r.window_end = At("2026-11-29T23:30:00Z");  // already the 30th in Berlin
  EXPECT_EQ(DigestAttachmentName(r, Berlin(), "csv"), "digest-night_ops_team-2026-11-30.csv");
  EXPECT_EQ(DigestCsvAttachment(r, Berlin()).content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(DigestJsonAttachment(r, Berlin()).filename, "digest-night_ops_team-2026-11-30.json");
}

TEST(DigestAttachmentTest, Json) {
  DigestReport r;
  r.rule = "r";
  r.window_end = At("2026-11-30T07:00:00Z");
  r.open = {Entry({{"alertname", "A\"B"}}, "2026-11-30T06:00:00Z")};
  r.noisiest_alertnames = {{"A\"B", 2}};
  const std::string json = DigestJson(r);
  EXPECT_NE(json.find("\"open\":[\n  {\"fingerprint\":\"" + r.open[0].fingerprint.ToHex() +
                      "\",\"labels\":{\"alertname\":\"A\\\"B\"},\"annotations\":{},"
                      "\"starts_at\":\"2026-11-30T06:00:00Z\",\"ends_at\":\"\","
                      "\"duration_seconds\":3600,\"fired_count\":1}\n ]"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"noisiest_alertnames\":[\n  {\"what\":\"A\\\"B\",\"count\":2}\n ]"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"fired\":[]"), std::string::npos);
  EXPECT_NE(json.find("\"late\":false"), std::string::npos);
}

TEST(DigestAttachmentTest, PastTheLimitTheRestIsCountedAndTheJsonStaysJson) {
  DigestReport r;
  r.rule = "r";
  r.window_end = At("2026-11-30T07:00:00Z");
  for (int i = 0; i < 200; ++i)
    r.fired.push_back(Entry({{"alertname", "A" + std::to_string(i)}}, "2026-11-30T06:00:00Z"));
  size_t left_out = 0;
  const std::string csv = DigestCsv(r, 8192, &left_out);
  EXPECT_LE(csv.size(), 8192u);
  EXPECT_GT(left_out, 0u);
  EXPECT_NE(csv.find("omitted,,,,,,," + std::to_string(left_out) + " more rows not listed"),
            std::string::npos)
      << csv;

  const std::string json = DigestJson(r, 8192, &left_out);
  EXPECT_LE(json.size(), 8192u);
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  ASSERT_FALSE(doc.HasParseError()) << json;
  ASSERT_TRUE(doc.HasMember("omitted"));
  EXPECT_EQ(doc["omitted"]["count"].GetUint64(), left_out);
  EXPECT_EQ(doc["fired"].Size() + left_out, 200u);

  DigestJson(r, kMaxAttachmentBytes, &left_out);
  EXPECT_EQ(left_out, 0u);
}

}  // namespace
}  // namespace alertdigest
