#include "render/alert_attachment.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>

#include "core/json_quote.h"
#include "render_test_util.h"

namespace alertdigest {
namespace {

struct CsvCase {
  const char* why;
  const char* in;
  const char* out;
};

TEST(CsvCellTest, Table) {
  const CsvCase cases[] = {
      {"plain", "web-1", "web-1"},
      {"comma quotes", "a,b", "\"a,b\""},
      {"quote doubled", "say \"hi\"", "\"say \"\"hi\"\"\""},
      {"newline quotes", "a\nb", "\"a\nb\""},
      {"formula =", "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""},
      {"formula +", "+1", "'+1"},
      {"formula -", "-1", "'-1"},
      {"formula @", "@SUM(A1)", "'@SUM(A1)"},
      {"empty", "", ""},
  };
  for (const CsvCase& c : cases) EXPECT_EQ(CsvCell(c.in), c.out) << c.why;
}

TEST(AlertsCsvTest, HeaderAndRows) {
  Notification n;
  n.firing.push_back(testing::MakeAlert({{"alertname", "A"}, {"x", "=1+2"}},
                                        {{"summary", "one, two"}}, "2026-11-26T01:00:00Z"));
  n.resolved.push_back(
      testing::MakeAlert({{"alertname", "B"}}, {}, "2026-11-26T01:00:00Z", "2026-11-26T02:00:00Z"));
  const std::string fp_a = n.firing[0].fingerprint.ToHex();
  const std::string fp_b = n.resolved[0].fingerprint.ToHex();
  EXPECT_EQ(AlertsCsv(n),
            "status,alertname,fingerprint,starts_at,ends_at,labels,summary\r\n"
            "firing,A," +
                fp_a +
                ",2026-11-26T01:00:00Z,,\"alertname=A, x==1+2\",\"one, two\"\r\n"
                "resolved,B," +
                fp_b + ",2026-11-26T01:00:00Z,2026-11-26T02:00:00Z,alertname=B,B\r\n");
}

TEST(AlertsJsonTest, EscapesAndShape) {
  Notification n;
  n.firing.push_back(testing::MakeAlert({{"alertname", "A\"\n"}}, {}, "2026-11-26T01:00:00Z"));
  const std::string json = AlertsJson(n);
  EXPECT_NE(json.find("\"labels\":{\"alertname\":\"A\\\"\\n\"}"), std::string::npos) << json;
  EXPECT_NE(json.find("\"status\":\"firing\""), std::string::npos);
  EXPECT_NE(json.find("\"endsAt\":\"\""), std::string::npos);
  EXPECT_EQ(JsonQuote(std::string("\x01", 1)), "\"\\u0001\"");
}

// Past the size limit the rest is counted, not listed — and the JSON stays JSON.
TEST(AlertAttachmentBudgetTest, RowsPastTheLimitAreCountedNotListed) {
  Notification n;
  for (int i = 0; i < 100; ++i) {
    n.firing.push_back(testing::MakeAlert({{"alertname", "A" + std::to_string(i)}},
                                          {{"summary", std::string(100, 's')}},
                                          "2026-11-26T01:00:00Z"));
  }
  const size_t limit = 4096;
  const std::string csv = AlertsCsv(n, limit);
  EXPECT_LE(csv.size(), limit);
  const size_t rows = static_cast<size_t>(std::count(csv.begin(), csv.end(), '\n'));
  const size_t listed = rows - 2;  // header, omitted
  EXPECT_GT(listed, 5u);
  EXPECT_NE(csv.find("\r\nomitted,,,,,," + std::to_string(100 - listed) +
                     " more alerts not listed: the attachment stops at 4096 bytes\r\n"),
            std::string::npos)
      << csv;
  EXPECT_EQ(AlertsCsv(n).find("omitted"), std::string::npos) << "under 16 MiB: every alert";

  const std::string json = AlertsJson(n, limit);
  EXPECT_LE(json.size(), limit);
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  ASSERT_FALSE(doc.HasParseError()) << json;
  ASSERT_TRUE(doc.IsArray());
  const auto& last = doc[doc.Size() - 1];
  ASSERT_TRUE(last.HasMember("omitted"));
  EXPECT_EQ(last["omitted"].GetUint() + (doc.Size() - 1), 100u);
  EXPECT_EQ(AlertsJson(n).find("omitted"), std::string::npos);
}

}  // namespace
}  // namespace alertdigest
