#include "render/digest_view_model.h"

#include <gtest/gtest.h>

#include "digest_test_util.h"
#include "render/mustache_template.h"

namespace alertdigest {
namespace {

using testing::At;
using testing::Entry;

std::string Eval(const std::string& text, const mustache::data& view) {
  ConfigError error;
  auto t = MustacheTemplate::Compile(
      {"t", text}, MustacheTemplate::Escape::kNone,
      [](const std::string&) { return std::optional<TemplateText>(); }, "k", &error);
  EXPECT_TRUE(t) << error.message;
  return t ? t->Render(view).value() : "";
}

mustache::data View(const DigestReport& r, size_t max = kMaxDigestEntriesPerSection) {
  DigestViewOptions options;
  options.max_per_section = max;
  options.external_url = "http://alerts.example.com:9095";
  return BuildDigestViewModel(r, ZonedTimeText::Create(r.timezone).value(), options);
}

TEST(DigestViewModelTest, ShortDuration) {
  using std::chrono::hours;
  using std::chrono::minutes;
  using std::chrono::seconds;
  EXPECT_EQ(ShortDuration(hours(3) + minutes(12) + seconds(5)), "3h 12m");
  EXPECT_EQ(ShortDuration(hours(24 * 2 + 4) + minutes(1)), "2d 4h");
  EXPECT_EQ(ShortDuration(hours(24 * 2) + minutes(5)), "2d");
  EXPECT_EQ(ShortDuration(minutes(5) + seconds(3)), "5m 3s");
  EXPECT_EQ(ShortDuration(seconds(45)), "45s");
  EXPECT_EQ(ShortDuration(hours(1)), "1h");
  EXPECT_EQ(ShortDuration(Duration{999}), "0s");
  EXPECT_EQ(ShortDuration(-seconds(5)), "0s");
}

struct FieldCase {
  const char* tmpl;
  std::string want;
};

TEST(DigestViewModelTest, Fields) {
  const mustache::data view = View(testing::SampleDigest());
  const FieldCase cases[] = {
      {"{{kind}} {{rule}} {{receiver}} {{timezone}}", "digest morning team Europe/Berlin"},
      {"{{counts}}", "3 fired, 2 still open, 5 resolved, 1 flapping"},
      {"{{headline}}",
       "3 fired, 2 still open, 5 resolved, 1 flapping — Mon 30 Nov 08:00 CET, window since Sun "
       "29 Nov 08:00"},
      {"{{window_start}}|{{window_end}}|{{window_end_day}}",
       "Sun 29 Nov 08:00 CET|Mon 30 Nov 08:00 CET|Mon 30 Nov"},
      {"{{window_start_utc}}|{{window_end_utc}}", "2026-11-29T07:00:00Z|2026-11-30T07:00:00Z"},
      {"{{#late}}late{{/late}}{{^late}}on time{{/late}}[{{late_note}}]", "on time[]"},
      {"{{#is_empty}}empty{{/is_empty}}{{^is_empty}}not empty{{/is_empty}}", "not empty"},
      {"{{#sections}}{{id}}:{{count}}:{{omitted}};{{/sections}}",
       "fired:3:0;open:2:0;resolved:5:0;flapping:1:0;"},
      {"{{#fired}}{{#entries}}{{alertname}}|{{labels_text}}|{{detail}}\n{{/entries}}{{/fired}}",
       "HighCPU|instance=web-1|fired Mon 30 Nov 04:48 CET, still open\n"
       "DiskFull|instance=db-1|fired Mon 30 Nov 02:00 CET, resolved after 20m\n"
       "Flappy|instance=x|fired Mon 30 Nov 07:00 CET, resolved after 5m, 4 times in the "
       "window\n"},
      {"{{#open}}{{#entries}}{{detail}}\n{{/entries}}{{/open}}",
       "open 2d 21h, since Fri 27 Nov 11:00 CET\nopen 3h 12m, since Mon 30 Nov 04:48 CET\n"},
      {"{{#flapping}}{{#entries}}{{detail}}{{/entries}}{{/flapping}}",
       "fired 4 times, last Mon 30 Nov 07:00 CET"},
      {"{{#open}}{{#entries}}{{#has_summary}}{{summary}}{{/has_summary}}{{^has_summary}}-{{/"
       "has_summary}}{{#is_open}}+{{/is_open}}{{duration}};{{/entries}}{{/open}}",
       "-+2d 21h;CPU above 90% on web-1+3h 12m;"},
      {"{{#noisiest_alertnames}}{{#entries}}{{what}}={{count}};{{/entries}}{{/"
       "noisiest_alertnames}}",
       "Probe=5;Flappy=4;"},
      {"{{#noisiest_label_sets}}{{#entries}}{{what}}={{count}}{{/entries}}{{/"
       "noisiest_label_sets}}",
       "{alertname=\"Flappy\", instance=\"x\"}=4"},
      {"{{#events}}{{#entries}}{{at}} {{alertname}}: {{text}}\n{{/entries}}{{/events}}",
       "Mon 30 Nov 07:01 CET Flappy: flapping started (nagios)\n"
       "Mon 30 Nov 07:30 CET OldAlert: acknowledged by ann@example.com via link: looking into "
       "it\n"},
      {"{{#events}}{{#entries}}{{#is_ack}}{{author}}/{{comment}}/{{at_utc}}{{/is_ack}}{{/"
       "entries}}{{/events}}",
       "ann@example.com/looking into it/2026-11-30T06:30:00Z"},
      {"{{#deferred}}{{#entries}}{{alertname}} {{labels_text}}: {{text}}{{/entries}}{{/"
       "deferred}}",
       "NightlyBackup job=backup: held back from team by mute interval night, first Sun 29 Nov "
       "23:10 CET, last Mon 30 Nov 05:55 CET"},
      {"{{#has_attachment}}a{{/has_attachment}}[{{attachment_filename}}]", "[]"},
  };
  for (const FieldCase& c : cases) EXPECT_EQ(Eval(c.tmpl, view), c.want) << c.tmpl;
  std::string resolved;
  for (int i = 0; i < 5; ++i) resolved += "resolved Sun 29 Nov 14:05 CET after 1h 5m|";
  EXPECT_EQ(Eval("{{#resolved}}{{#entries}}{{detail}}|{{/entries}}{{/resolved}}", view), resolved);
}

TEST(DigestViewModelTest, SectionsAreCutAndCounted) {
  DigestReport r = testing::SampleDigest();
  const mustache::data view = View(r, 2);
  EXPECT_EQ(Eval("{{#sections}}{{id}}:{{count}}:{{#entries}}.{{/entries}}:{{omitted}}:{{#"
                 "truncated}}cut{{/truncated}};{{/sections}}",
                 view),
            "fired:3:..:1:cut;open:2:..:0:;resolved:5:..:3:cut;flapping:1:.:0:;");
  EXPECT_EQ(Eval("{{#resolved}}{{noun}} {{title}} {{title_upper}}{{/resolved}}", view),
            "resolved alerts Resolved RESOLVED");
  const mustache::data none = View(r, 0);
  EXPECT_EQ(Eval("{{#sections}}{{#entries}}.{{/entries}}{{omitted}};{{/sections}}", none),
            "3;2;5;1;");
}

TEST(DigestViewModelTest, LateNoteNamesTheScheduledTime) {
  DigestReport r = testing::SampleDigest();
  r.late = true;
  r.generated_at = At("2026-11-30T09:14:00Z");
  EXPECT_EQ(Eval("{{#late}}{{late_note}}{{/late}}", View(r)),
            "sent late: alertdigest was not running at 08:00 (sent Mon 30 Nov 10:14 CET)");
  r.generated_at = At("2026-12-01T09:14:00Z");
  EXPECT_EQ(Eval("{{late_note}}", View(r)),
            "sent late: alertdigest was not running at Mon 30 Nov 08:00 (sent Tue 1 Dec 10:14 "
            "CET)");
}

TEST(DigestViewModelTest, WindowAcrossDstShowsBothZones) {
  DigestReport r;
  r.rule = "weekend";
  r.timezone = "Europe/Berlin";
  r.window_start = At("2026-10-24T06:00:00Z");
  r.window_end = At("2026-10-26T07:00:00Z");
  EXPECT_EQ(Eval("{{headline}}", View(r)),
            "0 fired, 0 still open, 0 resolved, 0 flapping — Mon 26 Oct 08:00 CET, window since "
            "Sat 24 Oct 08:00 CEST");
  EXPECT_EQ(Eval("{{#is_empty}}empty{{/is_empty}}", View(r)), "empty");
}

TEST(DigestViewModelTest, LongValuesAreCut) {
  DigestReport r = testing::SampleDigest();
  r.open[0].labels.Set("blob", std::string(1000, 'b'));
  r.open[0].annotations.Set("summary", std::string(1000, 's'));
  const std::string labels = Eval("{{#open}}{{#entries}}{{labels_text}}|{{/entries}}{{/open}}",
                                  View(r));
  EXPECT_EQ(labels.substr(0, labels.find('|')),
            "blob=" + std::string(kMaxDigestValueChars - 5, 'b') + "…");
  const std::string summary = Eval("{{#open}}{{#entries}}{{summary}}|{{/entries}}{{/open}}",
                                   View(r));
  EXPECT_EQ(summary.substr(0, summary.find('|')), std::string(kMaxDigestValueChars, 's') + "…");
}

TEST(DigestViewModelTest, EventWords) {
  EXPECT_EQ(DigestEventWhat("DOWNTIMESTART"), "downtime started");
  EXPECT_EQ(DigestEventWhat("FLAPPINGSTOP"), "flapping stopped");
  EXPECT_EQ(DigestEventWhat("CUSTOM"), "custom");
  DigestEvent e;
  e.type = "DOWNTIMESTART";
  e.source = "nagios";
  e.author = "admin";
  e.comment = "maintenance";
  EXPECT_EQ(DigestEventText(e), "downtime started (nagios) by admin: maintenance");
}

}  // namespace
}  // namespace alertdigest
