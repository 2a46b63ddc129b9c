#include "render/view_model.h"

#include <gtest/gtest.h>

#include "render/mustache_template.h"
#include "render_test_util.h"

namespace alertdigest {
namespace {

using testing::MakeAlert;

std::string Eval(const std::string& text, const mustache::data& view) {
  ConfigError error;
  auto t = MustacheTemplate::Compile(
      {"t", text}, MustacheTemplate::Escape::kNone,
      [](const std::string&) { return std::optional<TemplateText>(); }, "k", &error);
  EXPECT_TRUE(t) << error.message;
  return t ? t->Render(view).value() : "";
}

struct FieldCase {
  const char* tmpl;
  std::string want;
};

TEST(ViewModelTest, Fields) {
  const Notification n = testing::SampleNotification();
  const Config c = testing::SampleConfig();
  const mustache::data view = BuildViewModel(n, c.receivers[0], c);
  const std::string fps = "HighCPU:" + n.firing[0].fingerprint.ToHex() +
                          ",HighCPU:" + n.firing[1].fingerprint.ToHex() + ",";
  const FieldCase cases[] = {
      {"{{kind}}", "notification"},
      {"{{receiver}}", "team"},
      {"{{status}} {{status_upper}}", "firing FIRING"},
      {"{{reason}}", "first notification"},
      {"{{group_key}}", "{}:{alertname=\"HighCPU\", cluster=\"eu-1\"}"},
      {"{{group_id}}", HashHex(n.group_key)},
      {"{{#group_labels}}{{name}}={{value}};{{/group_labels}}", "alertname=HighCPU;cluster=eu-1;"},
      {"{{group_title}}", "HighCPU (cluster=eu-1)"},
      {"{{#common_labels}}{{name}}={{value}};{{/common_labels}}",
       "alertname=HighCPU;cluster=eu-1;severity=critical;"},
      {"{{common_labels_text}}", "alertname=HighCPU, cluster=eu-1, severity=critical"},
      {"[{{#common_annotations}}{{name}}{{/common_annotations}}]", "[]"},
      {"{{summary}}", "2 firing, 1 resolved"},
      {"{{firing_count}}/{{resolved_count}}/{{alert_count}}", "2/1/3"},
      {"{{#has_firing}}F{{/has_firing}}{{#has_resolved}}R{{/has_resolved}}", "FR"},
      {"{{firing_omitted}} {{resolved_omitted}}{{#firing_truncated}}!{{/firing_truncated}}", "0 0"},
      {"{{now}}", "2026-11-26T02:00:00Z"},
      {"{{external_url}}", "http://alerts.example.com:9095"},
      // Per alert.
      {"{{#firing}}{{labels.instance}},{{/firing}}", "web-1,web-2,"},
      {"{{#firing}}{{summary}}|{{/firing}}", "CPU above 90% on web-1|web-2 is busy.|"},
      {"{{#resolved}}{{summary}}{{/resolved}}", "CPU above 90% on db-1"},
      {"{{#firing}}{{status}}{{#is_firing}}+{{/is_firing}},{{/firing}}", "firing+,firing+,"},
      {"{{#resolved}}{{status}}{{^is_firing}}-{{/is_firing}}{{/resolved}}", "resolved-"},
      {"{{#firing}}{{alertname}}:{{fingerprint}},{{/firing}}", fps},
      {"{{#firing}}{{#label_list}}{{name}} {{/label_list}}|{{/firing}}",
       "alertname cluster instance severity |alertname cluster instance severity |"},
      {"{{#firing}}{{annotations.runbook_url}}|{{/firing}}",
       "https://runbooks.example.com/high-cpu||"},
      {"{{#firing}}{{#annotation_list}}{{name}} {{/annotation_list}}|{{/firing}}",
       "description runbook_url summary |description |"},
      {"{{#firing}}{{description}}|{{/firing}}",
       "web-1 has been above 90% CPU for 10 minutes.|web-2 is busy.|"},
      {"{{#firing}}{{#runbook_url}}{{runbook_url}}{{/runbook_url}}|{{/firing}}",
       "https://runbooks.example.com/high-cpu||"},
      {"{{#firing}}{{generator_url}}{{/firing}}",
       "http://prometheus.example.com/graph?g0.expr=up&g0.tab=1"
       "http://prometheus.example.com/graph?g0.expr=up&g0.tab=1"},
      {"{{#firing}}{{starts_at}}/{{ends_at}}/{{duration}}|{{/firing}}",
       "2026-11-26T01:00:00Z//1 hour|2026-11-26T01:30:00Z//30 minutes|"},
      {"{{#resolved}}{{starts_at}}/{{ends_at}}/{{duration}}{{/resolved}}",
       "2026-11-26T00:10:00Z/2026-11-26T01:40:00Z/1 hour 30 minutes"},
      {"{{#firing}}{{extra_labels}}|{{/firing}}", "instance=web-1|instance=web-2|"},
  };
  for (const FieldCase& c : cases) EXPECT_EQ(Eval(c.tmpl, view), c.want) << c.tmpl;
}

TEST(ViewModelTest, AckFields) {
  Notification n = testing::SampleNotification();
  const Config c = testing::SampleConfig();
  const std::string tmpl =
      "[{{#ack_url}}{{ack_url}}{{/ack_url}}]{{#acknowledged}}{{#ack}}{{by}}|{{at}}|{{via}}|"
      "{{#has_comment}}{{comment}}{{/has_comment}}{{/ack}}{{/acknowledged}}";
  EXPECT_EQ(Eval(tmpl, BuildViewModel(n, c.receivers[0], c)), "[]");
  n.ack_url = "http://x/ack/t";
  EXPECT_EQ(Eval(tmpl, BuildViewModel(n, c.receivers[0], c)), "[http://x/ack/t]");
  n.ack_url.clear();
  n.ack = AckInfo{"ann", "on it", "cli", testing::At("2026-11-26T01:50:00Z")};
  EXPECT_EQ(Eval(tmpl, BuildViewModel(n, c.receivers[0], c)),
            "[]ann|2026-11-26T01:50:00Z|cli|on it");
}

struct SummaryCase {
  size_t firing;
  size_t resolved;
  const char* summary;
  const char* status;
};

TEST(ViewModelTest, SummaryAndStatus) {
  const SummaryCase cases[] = {
      {3, 1, "3 firing, 1 resolved", "firing"},
      {2, 0, "2 firing", "firing"},
      {0, 4, "all 4 resolved", "resolved"},
      {0, 1, "1 resolved", "resolved"},
  };
  const Config c = testing::SampleConfig();
  for (const SummaryCase& sc : cases) {
    Notification n;
    for (size_t i = 0; i < sc.firing; ++i) {
      n.firing.push_back(
          MakeAlert({{"alertname", "A"}, {"i", std::to_string(i)}}, {}, "2026-11-26T01:00:00Z"));
    }
    for (size_t i = 0; i < sc.resolved; ++i) {
      n.resolved.push_back(MakeAlert({{"alertname", "A"}, {"r", std::to_string(i)}}, {},
                                     "2026-11-26T01:00:00Z", "2026-11-26T01:05:00Z"));
    }
    const mustache::data view = BuildViewModel(n, c.receivers[0], c);
    EXPECT_EQ(Eval("{{summary}}|{{status}}", view), std::string(sc.summary) + "|" + sc.status);
  }
}

struct TitleCase {
  const char* why;
  LabelSet group_labels;
  const char* want;
};

TEST(ViewModelTest, GroupTitle) {
  const TitleCase cases[] = {
      {"alertname plus other group labels",
       {{"alertname", "HighCPU"}, {"cluster", "eu-1"}},
       "HighCPU (cluster=eu-1)"},
      {"alertname from common labels", {{"cluster", "eu-1"}}, "HighCPU (cluster=eu-1)"},
      {"group_by all: every label of the alert",
       {{"alertname", "HighCPU"}, {"instance", "web-1"}, {"job", "node"}},
       "HighCPU (instance=web-1, job=node)"},
      {"no group labels", {}, "HighCPU"},
  };
  for (const TitleCase& c : cases) {
    Notification n;
    n.group_labels = c.group_labels;
    n.firing.push_back(MakeAlert({{"alertname", "HighCPU"}, {"instance", "web-1"}, {"job", "node"}},
                                 {}, "2026-11-26T01:00:00Z"));
    EXPECT_EQ(GroupTitle(n), c.want) << c.why;
  }
  EXPECT_EQ(GroupTitle(Notification{}), "alerts");
}

TEST(ViewModelTest, ListsAreCappedAndLongAnnotationsCut) {
  Notification n;
  for (int i = 0; i < 130; ++i) {
    n.firing.push_back(MakeAlert({{"alertname", "A"}, {"i", std::to_string(i)}},
                                 {{"description", std::string(2500, 'd')}},
                                 "2026-11-26T01:00:00Z"));
  }
  const Config c = testing::SampleConfig();
  const mustache::data view = BuildViewModel(n, c.receivers[0], c);
  EXPECT_EQ(Eval("{{#firing}}.{{/firing}}", view), std::string(100, '.'));
  EXPECT_EQ(
      Eval("{{firing_count}} {{firing_omitted}}{{#firing_truncated}} more{{/firing_truncated}}",
           view),
      "130 30 more");
  const std::string d = Eval("{{#firing}}{{description}}\n{{/firing}}", view);
  EXPECT_EQ(d.substr(0, d.find('\n')), std::string(2000, 'd') + "…");
}

// runbook_url and generator_url end up in href attributes: HTML escaping does not stop a
// "javascript:" link from running, so only http(s) URLs of a sane size are links.
TEST(ViewModelTest, OnlyHttpUrlsBecomeLinks) {
  struct Case {
    std::string url;
    std::string want;
  };
  const Case cases[] = {
      {"https://runbooks.example.com/x", "https://runbooks.example.com/x"},
      {"HTTP://EXAMPLE.COM/", "HTTP://EXAMPLE.COM/"},
      {"javascript:alert(1)", ""},
      {"JavaScript:alert(1)", ""},
      {" javascript:alert(1)", ""},
      {"data:text/html,<script>alert(1)</script>", ""},
      {"vbscript:msgbox", ""},
      {"//evil.example/", ""},
      {"runbooks/high-cpu", ""},
      {"https://x.example/" + std::string(kMaxLinkBytes, 'a'), ""},
  };
  for (const Case& c : cases) {
    Notification n = testing::SampleNotification();
    n.firing[0].annotations.Set("runbook_url", c.url);
    n.firing[0].generator_url = c.url;
    const Config config = testing::SampleConfig();
    const mustache::data view = BuildViewModel(n, config.receivers[0], config);
    const std::string first =
        Eval("{{#firing}}{{runbook_url}}|{{generator_url}};{{/firing}}", view);
    EXPECT_EQ(first.substr(0, first.find(';')), c.want + "|" + c.want) << c.url;
    // The annotation itself is still there, as text (cut at 2000 characters like any other).
    const std::string text = Eval("{{#firing}}{{annotations.runbook_url}}{{/firing}}", view);
    EXPECT_NE(text.find(c.url.substr(0, 100)), std::string::npos);
  }
}

TEST(ViewModelTest, TruncateUtf8CountsCharacters) {
  EXPECT_EQ(TruncateUtf8("äöü", 2), "äö…");
  EXPECT_EQ(TruncateUtf8("äöü", 3), "äöü");
}

}  // namespace
}  // namespace alertdigest
