#include <gtest/gtest.h>

#include "dispatch/route_matcher.h"

namespace alertdigest {
namespace {

Route Child(std::vector<std::string> matchers, std::string receiver, bool cont = false) {
  Route r;
  for (const auto& m : matchers) r.matchers.push_back(*Matcher::Parse(m));
  r.receiver = std::move(receiver);
  r.continue_matching = cont;
  r.key = "{}/{" + matchers[0] + "}";
  return r;
}

TEST(RouteMatcherTest, FirstMatchWinsUnlessContinue) {
  Route root;
  root.receiver = "team";
  root.key = "{}";
  root.routes.push_back(Child({R"(team=~"db|storage")"}, "db", /*cont=*/true));
  root.routes.push_back(Child({R"(severity="critical")"}, "oncall"));
  root.routes.push_back(Child({R"(severity=~"critical|warning")"}, "never-reached-for-critical"));

  struct Case { LabelSet labels; std::vector<std::string> want; const char* why; } cases[] = {
      {{{"severity", "critical"}, {"team", "db"}}, {"db", "oncall"}, "continue goes on"},
      {{{"severity", "critical"}, {"team", "web"}}, {"oncall"}, "first match stops the walk"},
      {{{"severity", "warning"}, {"team", "web"}}, {"never-reached-for-critical"}, "third child"},
      {{{"severity", "info"}}, {"team"}, "no child matches: the root takes it"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> got;
    for (const Route* r : MatchRoutes(root, c.labels)) got.push_back(r->receiver);
    EXPECT_EQ(got, c.want) << c.why;
  }
}

TEST(RouteMatcherTest, GroupKeysLikeAlertmanager) {
  Route root;
  root.key = "{}";
  root.group_by = {"alertname", "cluster"};
  LabelSet l{{"alertname", "HighCPU"}, {"instance", "web-1"}, {"cluster", "eu-1"}};
  EXPECT_EQ(GroupKey(root, GroupLabelsFor(root, l)), R"({}:{alertname="HighCPU", cluster="eu-1"})");
  root.group_by_all = true;
  EXPECT_EQ(GroupKey(root, GroupLabelsFor(root, l)),
            R"({}:{alertname="HighCPU", cluster="eu-1", instance="web-1"})");
  root.group_by_all = false;
  root.group_by = {"alertname", "zone"};  // a missing label is not part of the key
  EXPECT_EQ(GroupKey(root, GroupLabelsFor(root, l)), R"({}:{alertname="HighCPU"})");
}

}  // namespace
}  // namespace alertdigest
