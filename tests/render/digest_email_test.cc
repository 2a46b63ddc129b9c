// Digest mails end to end: EmailRenderer::RenderDigest, then parsed by Python's email package
// (check_eml.py) and asserted on what a mail client shows.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "check_eml.h"
#include "digest_test_util.h"
#include "render/email_renderer.h"
#include "render/digest_view_model.h"

namespace alertdigest {
namespace {

using testing::At;
using testing::CheckEml;
using testing::Entry;
using testing::Quoted;

class DigestEmailTest : public ::testing::Test {
 protected:
  Email Render(const DigestReport& r) {
    std::vector<ConfigError> errors;
    auto renderer = EmailRenderer::Create(config_, &errors);
    for (const ConfigError& e : errors) ADD_FAILURE() << e.where.file << ": " << e.message;
    if (!renderer) return {};
    Result<Email> email = renderer->RenderDigest(r);
    EXPECT_TRUE(email.ok()) << email.status().message();
    return email.ok() ? *email : Email{};
  }

  // The decoded text or HTML part, JSON-quoted as check_eml.py prints it.
  static bool Has(const std::string& quoted_part, const std::string& plain) {
    const std::string q = Quoted(plain);
    return quoted_part.find(q.substr(1, q.size() - 2)) != std::string::npos;
  }

  Config config_ = testing::SampleConfig();
};

TEST_F(DigestEmailTest, HeadersAndRecipients) {
  const Email e = Render(testing::SampleDigest());
  auto eml = CheckEml(e.data);
  ASSERT_FALSE(eml.empty());
  EXPECT_EQ(eml["defects.length"], "0");
  EXPECT_EQ(eml["headers.X-Alertdigest-Kind"], "\"digest\"");
  EXPECT_EQ(eml["headers.X-Alertdigest-Group"], Quoted(HashHex("digest:morning")));
  EXPECT_EQ(eml["headers.To"], "\"Team <team@example.com>, ops@example.com\"");
  EXPECT_EQ(eml["headers.Cc"], "\"lead@example.com\"");
  EXPECT_EQ(eml.count("headers.Bcc"), 0u);
  EXPECT_EQ(eml["headers.From"], "\"Alerts <alerts@example.com>\"");
  EXPECT_EQ(eml["headers.Date"], "\"Mon, 30 Nov 2026 07:00:01 +0000\"");
  EXPECT_EQ(e.recipients, (std::vector<std::string>{"team@example.com", "ops@example.com",
                                                    "lead@example.com", "audit@example.com"}));
  EXPECT_EQ(e.subject,
            "[alertdigest] morning digest, Mon 30 Nov: 3 fired, 2 still open, 5 resolved, 1 "
            "flapping");
  EXPECT_EQ(eml["headers.Subject"], Quoted(e.subject));
  EXPECT_TRUE(e.message_id.starts_with("20261130T070001.")) << e.message_id;
  EXPECT_EQ(eml["structure.content_type"], "\"multipart/alternative\"");
  EXPECT_EQ(eml["attachments.length"], "0");
}

TEST_F(DigestEmailTest, ReceiverTemplatesDoNotApply) {
  const std::string path = ::testing::TempDir() + "/digest_custom_text_" +
                           std::to_string(getpid()) + ".mustache";
  std::ofstream(path) << "CUSTOM {{group_title}}\n";
  config_.receivers[0].text.path = path;
  config_.receivers[0].subject.path = path;
  config_.receivers[0].headers["X-Team"] = "{{receiver}}";
  const Email e = Render(testing::SampleDigest());
  std::remove(path.c_str());
  EXPECT_EQ(e.data.find("CUSTOM"), std::string::npos);
  EXPECT_EQ(testing::HeadersOf(e.data).find("X-Team"), std::string::npos);
  EXPECT_TRUE(e.subject.starts_with("[alertdigest] morning digest")) << e.subject;
}

TEST_F(DigestEmailTest, SectionsCountsAndBerlinTimes) {
  const Email e = Render(testing::SampleDigest());
  auto eml = CheckEml(e.data);
  const std::string& text = eml["text"];
  const std::string& html = eml["html"];
  const std::string headline =
      "3 fired, 2 still open, 5 resolved, 1 flapping — Mon 30 Nov 08:00 CET, window since Sun 29 "
      "Nov 08:00";
  EXPECT_TRUE(text.starts_with("\"3 fired, ")) << text;
  EXPECT_TRUE(Has(text, headline + "\r\n")) << text;
  EXPECT_TRUE(Has(html, headline)) << html;
  for (const char* heading : {"NEWLY FIRED (3)", "STILL OPEN (2)", "RESOLVED (5)",
                              "FLAPPING (1)", "NOISIEST ALERTS", "NOISIEST LABEL SETS",
                              "EVENTS (2)", "DEFERRED BY MUTE INTERVALS (1)"}) {
    EXPECT_TRUE(Has(text, std::string("\r\n") + heading + "\r\n")) << heading << "\n" << text;
  }
  for (const char* heading : {"Newly fired (3)", "Still open (2)", "Resolved (5)", "Flapping (1)",
                              "Noisiest alerts", "Noisiest label sets", "Events (2)",
                              "Deferred by mute intervals (1)"}) {
    EXPECT_TRUE(Has(html, heading)) << heading;
  }
  const char* lines[] = {
      "* HighCPU instance=web-1\r\n  open 3h 12m, since Mon 30 Nov 04:48 CET\r\n  CPU above 90% "
      "on web-1\r\n",
      "* DiskFull instance=db-1\r\n  fired Mon 30 Nov 02:00 CET, resolved after 20m\r\n",
      "* Probe target=t0\r\n  resolved Sun 29 Nov 14:05 CET after 1h 5m\r\n",
      "* Flappy instance=x\r\n  fired 4 times, last Mon 30 Nov 07:00 CET\r\n",
      "* Probe: 5\r\n",
      "* {alertname=\"Flappy\", instance=\"x\"}: 4\r\n",
      "* Mon 30 Nov 07:30 CET: OldAlert instance=legacy\r\n  acknowledged by ann@example.com via "
      "link: looking into it\r\n",
      "* Mon 30 Nov 07:01 CET: Flappy instance=x\r\n  flapping started (nagios)\r\n",
      "* NightlyBackup job=backup\r\n  held back from team by mute interval night, first Sun 29 "
      "Nov 23:10 CET, last Mon 30 Nov 05:55 CET\r\n",
  };
  for (const char* line : lines) EXPECT_TRUE(Has(text, line)) << line << "\n" << text;
  EXPECT_TRUE(Has(html, "open 3h 12m, since Mon 30 Nov 04:48 CET"));
  EXPECT_TRUE(Has(html, "acknowledged by ann@example.com via link: looking into it"));
  EXPECT_TRUE(Has(html, "held back from team by mute interval night"));
  EXPECT_FALSE(Has(text, "sent late"));
  EXPECT_FALSE(Has(text, " more "));
  EXPECT_LE(std::stoi(eml["max_line_length"]), 998);
  EXPECT_EQ(eml["seven_bit"], "true");
}

TEST_F(DigestEmailTest, SummerTimeIsCest) {
  DigestReport r = testing::SampleDigest();
  r.window_start = At("2026-07-05T06:00:00Z");
  r.window_end = At("2026-07-06T06:00:00Z");
  r.generated_at = r.window_end;
  r.fired = {Entry({{"alertname", "HighCPU"}}, "2026-07-06T01:00:00Z")};
  auto eml = CheckEml(Render(r).data);
  EXPECT_TRUE(Has(eml["text"], "— Mon 6 Jul 08:00 CEST, window since Sun 5 Jul 08:00\r\n"))
      << eml["text"];
  EXPECT_TRUE(Has(eml["text"], "fired Mon 6 Jul 03:00 CEST, still open"));
  EXPECT_TRUE(Has(eml["html"], "Mon 6 Jul 08:00 CEST"));
}

TEST_F(DigestEmailTest, LateMarker) {
  DigestReport r = testing::SampleDigest();
  r.late = true;
  r.generated_at = At("2026-11-30T09:14:00Z");
  const Email e = Render(r);
  auto eml = CheckEml(e.data);
  const std::string note =
      "sent late: alertdigest was not running at 08:00 (sent Mon 30 Nov 10:14 CET)";
  EXPECT_TRUE(Has(eml["text"], "\r\n" + note + "\r\n")) << eml["text"];
  EXPECT_TRUE(Has(eml["html"], note));
  EXPECT_TRUE(e.subject.ends_with(" (sent late)")) << e.subject;
}

TEST_F(DigestEmailTest, EmptyReportSaysNothingHappened) {
  DigestReport r;
  r.rule = "morning";
  r.receiver = "team";
  r.timezone = "Europe/Berlin";
  r.window_start = At("2026-11-29T07:00:00Z");
  r.window_end = At("2026-11-30T07:00:00Z");
  const Email e = Render(r);
  auto eml = CheckEml(e.data);
  EXPECT_EQ(e.subject, "[alertdigest] morning digest, Mon 30 Nov: nothing happened");
  EXPECT_TRUE(Has(eml["text"], "Nothing happened in the window"));
  EXPECT_TRUE(Has(eml["html"], "Nothing happened in the window"));
  EXPECT_FALSE(Has(eml["text"], "NEWLY FIRED"));
  EXPECT_LT(std::stoi(eml["html_bytes"]), 4000);
}

TEST_F(DigestEmailTest, AlertDataIsEscapedAndInert) {
  DigestReport r = testing::SampleDigest();
  r.open[0].labels.Set("note", "<script>alert(1)</script>");
  r.open[0].annotations.Set("summary", "<b>bold</b> & {{receiver}} {{#sections}}x{{/sections}}");
  r.events[1].comment = "<img src=x onerror=alert(1)> {{> digest.html}}";
  const Email e = Render(r);
  auto eml = CheckEml(e.data);
  const std::string& html = eml["html"];
  EXPECT_FALSE(Has(html, "<script>"));
  EXPECT_FALSE(Has(html, "<img"));
  EXPECT_FALSE(Has(html, "<b>bold"));
  EXPECT_TRUE(Has(html, "note=&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(Has(html, "&lt;b&gt;bold&lt;/b&gt; &amp; {{receiver}} {{#sections}}x{{/sections}}"));
  EXPECT_TRUE(Has(html, "&lt;img src=x onerror=alert(1)&gt; {{&gt; digest.html}}"));
  const std::string& text = eml["text"];
  EXPECT_TRUE(Has(text, "note=<script>alert(1)</script>"));
  EXPECT_TRUE(Has(text, "  <b>bold</b> & {{receiver}} {{#sections}}x{{/sections}}\r\n"));
  EXPECT_TRUE(Has(text, ": <img src=x onerror=alert(1)> {{> digest.html}}\r\n"));
}

// Every string of a digest that comes from alerts, Nagios or an acknowledgement — in every
// section — is escaped in HTML and inert text (the config-given names are trusted).
TEST_F(DigestEmailTest, HostileTextInEverySectionIsEscaped) {
  const std::string evil = "<script>alert(1)</script>{{receiver}}";
  DigestReport r = testing::SampleDigest();
  for (auto* section : {&r.fired, &r.open, &r.resolved, &r.flapping}) {
    for (DigestEntry& e : *section) {
      e.labels.Set("instance", evil);
      e.annotations.Set("summary", evil);
    }
  }
  r.noisiest_alertnames = {{evil, 5}};
  r.noisiest_label_sets = {{"{alertname=\"" + evil + "\"}", 4}};
  for (DigestEvent& ev : r.events) {
    ev.labels.Set("instance", evil);
    ev.author = evil;
    ev.comment = evil;
  }
  r.deferred[0].labels.Set("instance", evil);
  auto eml = CheckEml(Render(r).data);
  const std::string& html = eml["html"];
  EXPECT_FALSE(Has(html, "<script>"));
  EXPECT_TRUE(Has(html, "&lt;script&gt;alert(1)&lt;/script&gt;{{receiver}}"));
  EXPECT_TRUE(Has(eml["text"], evil));
  EXPECT_EQ(eml["defects.length"], "0");
}

TEST_F(DigestEmailTest, LabelsNeverBecomeHeaders) {
  DigestReport r = testing::SampleDigest();
  r.fired[0].labels.Set("alertname", "X\r\nBcc: evil@example.com");
  const Email e = Render(r);
  EXPECT_EQ(testing::HeadersOf(e.data).find("evil"), std::string::npos);
  EXPECT_EQ(e.recipients.size(), 4u);
}

TEST_F(DigestEmailTest, UnknownReceiverAndZone) {
  std::vector<ConfigError> errors;
  auto renderer = EmailRenderer::Create(config_, &errors);
  ASSERT_TRUE(renderer);
  DigestReport r = testing::SampleDigest();
  r.receiver = "nobody";
  EXPECT_EQ(renderer->RenderDigest(r).status().message(),
            "render digest morning: unknown receiver \"nobody\"");
  r.receiver = "team";
  r.timezone = "Nowhere/Special";
  EXPECT_EQ(renderer->RenderDigest(r).status().message(),
            "render digest morning: unknown time zone \"Nowhere/Special\"");
}

TEST_F(DigestEmailTest, CsvAttachmentQuotesEverything) {
  config_.receivers[0].attach = Receiver::Attach::kCsv;
  DigestReport r = testing::SampleDigest();
  r.fired[0].labels.Set("note", "a \"quoted\", comma\r\nand newline");
  auto eml = CheckEml(Render(r).data);
  EXPECT_EQ(eml["defects.length"], "0");
  EXPECT_EQ(eml["structure.content_type"], "\"multipart/mixed\"");
  EXPECT_EQ(eml["attachments[0].filename"], "\"digest-morning-2026-11-30.csv\"");
  EXPECT_EQ(eml["attachments[0].content_type"], "\"text/csv\"");
  EXPECT_EQ(eml["attachments[0].csv.rows"], "15");  // the header and 14 entries
  EXPECT_EQ(eml["attachments[0].csv.widths.length"], "1");
  EXPECT_EQ(eml["attachments[0].csv.widths[0]"], "8");
  EXPECT_EQ(eml["attachments[0].csv.head[1][2]"],
            Quoted("alertname=HighCPU, instance=web-1, note=a \"quoted\", comma\r\nand newline"));
  EXPECT_EQ(eml["attachments[0].csv.first_column_counts.resolved"], "5");
  EXPECT_EQ(eml["attachments[0].csv.first_column_counts.event"], "2");
  EXPECT_TRUE(Has(eml["text"], "every entry in digest-morning-2026-11-30.csv"));
}

TEST_F(DigestEmailTest, JsonAttachment) {
  config_.receivers[0].attach = Receiver::Attach::kJson;
  auto eml = CheckEml(Render(testing::SampleDigest()).data);
  EXPECT_EQ(eml["attachments[0].filename"], "\"digest-morning-2026-11-30.json\"");
  EXPECT_EQ(eml["attachments[0].content_type"], "\"application/json\"");
  EXPECT_EQ(eml["attachments[0].json.fired"], "3");
  EXPECT_EQ(eml["attachments[0].json.resolved"], "5");
  EXPECT_EQ(eml["attachments[0].json.events"], "2");
  EXPECT_EQ(eml["attachments[0].json.deferred"], "1");
}

// Counts "* " entry lines of one text section (from its heading to the next blank line) and
// reads its "… and N more <noun>" line.
struct TextSection {
  size_t shown = 0;
  long more = -1;
};
TextSection ReadSection(const std::string& text, const std::string& heading,
                        const std::string& noun) {
  TextSection s;
  size_t p = text.find("\n" + heading + "\n");
  if (p == std::string::npos) return s;
  const size_t end = text.find("\n\n", p + 1);
  const std::string body = text.substr(p, end == std::string::npos ? std::string::npos : end - p);
  for (size_t q = 0; (q = body.find("\n* ", q)) != std::string::npos; q += 3) ++s.shown;
  const size_t more = body.find("… and ");
  if (more != std::string::npos) {
    const std::string rest = body.substr(more + std::string("… and ").size());
    const size_t space = rest.find(' ');
    if (rest.compare(space, noun.size() + 6, " more " + noun) == 0) {
      s.more = std::stol(rest.substr(0, space));
    }
  }
  return s;
}

// 20,000 entries with long labels: the HTML stays under Gmail's clipping limit, every section
// says how many it left out, and the CSV holds every row.
// 20,000 entries of ~1.1 KB: the body keeps under Gmail's clipping limit, and the attachment
// stops at 16 MiB so that the whole message stays under Gmail's 25 MB — saying so in the last
// row, the "and N more" lines and the footer.
TEST_F(DigestEmailTest, HugeDigestFitsAndTheAttachmentStopsUnderGmailsLimit) {
  config_.receivers[0].attach = Receiver::Attach::kCsv;
  DigestReport r = testing::SampleDigest();
  r.fired.clear();
  r.open.clear();
  r.resolved.clear();
  r.flapping.clear();
  r.events.clear();
  r.deferred.clear();
  auto entry = [](const char* kind, int i, bool open) {
    LabelSet labels = {{"alertname", std::string("Alert") + kind + std::to_string(i % 37)},
                       {"instance", "host-" + std::to_string(i) + ".example.com:9100"}};
    for (const char* name : {"datacenter", "team", "service", "pod", "container"}) {
      labels.Set(name, std::string(name) + "-" + std::string(120, char('a' + i % 26)) +
                           ",\"quoted\"" + std::to_string(i));
    }
    return Entry(std::move(labels), "2026-11-29T08:00:00Z", open ? nullptr : "2026-11-29T09:00:00Z",
                 1 + i % 5, "Summary <" + std::to_string(i) + "> " + std::string(200, 's'));
  };
  for (int i = 0; i < 8000; ++i) r.fired.push_back(entry("F", i, i % 2 == 0));
  for (int i = 0; i < 4000; ++i) r.open.push_back(entry("O", i, true));
  for (int i = 0; i < 6000; ++i) r.resolved.push_back(entry("R", i, false));
  for (int i = 0; i < 2000; ++i) r.flapping.push_back(entry("L", i, false));
  const Email e = Render(r);
  auto eml = CheckEml(e.data);
  ASSERT_FALSE(eml.empty());
  EXPECT_LT(e.data.size(), 25'000'000u) << "Gmail's limit, MIME encoding included";
  EXPECT_EQ(eml["defects.length"], "0");
  EXPECT_LT(std::stoul(eml["html_bytes"]), kMaxDigestHtmlBytes);
  EXPECT_LT(std::stoul(eml["encoded_sizes.text/html"]), kMaxDigestHtmlBytes);
  EXPECT_LE(std::stoi(eml["max_line_length"]), 998);

  // Every section cut the same way, the rest counted, in the text and the HTML alike.
  std::string text = eml["text"];
  for (size_t p; (p = text.find("\\r\\n")) != std::string::npos;) text.replace(p, 4, "\n");
  struct Want {
    const char* heading;
    const char* html_heading;
    const char* noun;
    size_t total;
  };
  const Want wants[] = {{"NEWLY FIRED (8000)", "Newly fired (8000)", "fired alerts", 8000},
                        {"STILL OPEN (4000)", "Still open (4000)", "open alerts", 4000},
                        {"RESOLVED (6000)", "Resolved (6000)", "resolved alerts", 6000},
                        {"FLAPPING (2000)", "Flapping (2000)", "flapping alerts", 2000}};
  size_t shown = 0;
  for (const Want& w : wants) {
    const TextSection s = ReadSection(text, w.heading, w.noun);
    EXPECT_GT(s.shown, 0u) << w.heading;
    EXPECT_LT(s.shown, kMaxDigestEntriesPerSection) << w.heading << ": the HTML had to shrink";
    EXPECT_EQ(s.more, long(w.total - s.shown)) << w.heading << "\n" << text.substr(0, 3000);
    if (shown == 0) shown = s.shown;
    EXPECT_EQ(s.shown, shown) << w.heading;
    const std::string more = "and " + std::to_string(w.total - s.shown) + " more " + w.noun +
                             " (digest-morning-2026-11-30.csv lists those that fit in 16 MiB)";
    EXPECT_TRUE(Has(eml["html"], more)) << more;
    EXPECT_TRUE(Has(eml["html"], w.html_heading)) << w.html_heading;
  }

  EXPECT_EQ(eml["attachments[0].filename"], "\"digest-morning-2026-11-30.csv\"");
  EXPECT_EQ(eml["attachments[0].csv.widths.length"], "1");
  EXPECT_EQ(eml["attachments[0].csv.widths[0]"], "8");
  // In report order, as many as fit: all fired and open ones, some resolved, then the count.
  EXPECT_EQ(eml["attachments[0].csv.first_column_counts.fired"], "8000");
  EXPECT_EQ(eml["attachments[0].csv.first_column_counts.open"], "4000");
  const int resolved = std::stoi(eml["attachments[0].csv.first_column_counts.resolved"]);
  EXPECT_GT(resolved, 0);
  EXPECT_LT(resolved, 6000);
  EXPECT_EQ(eml["attachments[0].csv.first_column_counts.flapping"], "");
  EXPECT_EQ(eml["attachments[0].csv.first_column_counts.omitted"], "1");
  EXPECT_EQ(eml["attachments[0].csv.rows"], std::to_string(1 + 8000 + 4000 + resolved + 1));
  EXPECT_TRUE(Has(text, "digest-morning-2026-11-30.csv stops at 16 MiB")) << "the footer";
  EXPECT_EQ(eml["attachments[0].csv.head[1][0]"], "\"fired\"");
  EXPECT_EQ(eml["attachments[0].csv.head[1][1]"], "\"AlertF0\"");
}

}  // namespace
}  // namespace alertdigest
