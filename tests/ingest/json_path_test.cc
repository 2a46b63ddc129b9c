#include "ingest/json_path.h"

#include <gtest/gtest.h>

namespace alertdigest {
namespace {

TEST(JsonPathTest, ToString) {
  JsonPath root;
  JsonPath alerts = root.Key("alerts");
  JsonPath first = alerts.Index(0);
  JsonPath ends = first.Key("endsAt");
  EXPECT_EQ(root.ToString(), "$");
  EXPECT_EQ(ends.ToString(), "$.alerts[0].endsAt");
  JsonPath third = root.Index(3);
  JsonPath labels = third.Key("labels");
  EXPECT_EQ(labels.Key("alertname").ToString(), "$[3].labels.alertname");
}

TEST(JsonPathTest, OffsetInFollowsKeysAndIndexes) {
  std::string_view json =
      R"( {"a": "}]\"{", "alerts": [ {"x": [1, {"y": 2}]}, {"endsAt": "t"} ], "z": 3})";
  JsonPath root;
  EXPECT_EQ(root.OffsetIn(json), 1u);
  JsonPath alerts = root.Key("alerts");
  EXPECT_EQ(json.substr(alerts.OffsetIn(json), 3), "[ {");
  JsonPath second = alerts.Index(1);
  EXPECT_EQ(json.substr(second.OffsetIn(json), 9), "{\"endsAt\"");
  EXPECT_EQ(json.substr(second.Key("endsAt").OffsetIn(json), 3), "\"t\"");
  EXPECT_EQ(json.substr(root.Key("z").OffsetIn(json), 2), "3}");
  // A step that cannot be followed stops at the deepest value reached.
  EXPECT_EQ(second.Key("missing").OffsetIn(json), second.OffsetIn(json));
  EXPECT_EQ(alerts.Index(7).OffsetIn(json), alerts.OffsetIn(json));
}

}  // namespace
}  // namespace alertdigest
