// Fingerprints must equal Alertmanager's: the webhook samples carry AM's own values.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "core/label_set.h"

namespace alertdigest {
namespace {

TEST(FingerprintTest, EmptyLabelSetIsTheOffsetBasis) {
  EXPECT_EQ(LabelSet{}.ComputeFingerprint().ToHex(), "cbf29ce484222325");
}

TEST(FingerprintTest, OrderOfInsertionDoesNotMatter) {
  LabelSet a{{"b", "2"}, {"a", "1"}};
  LabelSet b{{"a", "1"}, {"b", "2"}};
  EXPECT_EQ(a.ComputeFingerprint(), b.ComputeFingerprint());
}

TEST(FingerprintTest, SeparatorsKeepNameAndValueApart) {
  // Without the 0xff separators these two would collide.
  EXPECT_NE((LabelSet{{"ab", "c"}}.ComputeFingerprint()),
            (LabelSet{{"a", "bc"}}.ComputeFingerprint()));
}

// Every alert in Alertmanager's webhook samples: our fingerprint of its labels equals AM's.
TEST(FingerprintTest, MatchesAlertmanagerOnCapturedWebhooks) {
  int checked = 0;
  for (const char* name : {"webhook-01-firing-one-alert", "webhook-02-firing-two-alerts",
                           "webhook-03-resolved"}) {
    std::ifstream in(std::string(AD_TESTDATA_DIR) + "/samples/alertmanager/" + name + ".body.json");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string body = ss.str();
    // Each alert: "labels":{...},"annotations" … "fingerprint":"<hex>". Labels hold no braces.
    std::regex alert_re(R"re("labels":\{([^}]*)\}.*?"fingerprint":"([0-9a-f]{16})")re");
    std::regex pair_re(R"re("([^"]+)":"((?:[^"\\]|\\.)*)")re");
    for (std::sregex_iterator it(body.begin(), body.end(), alert_re), end; it != end; ++it) {
      LabelSet labels;
      std::string pairs = (*it)[1];
      for (std::sregex_iterator p(pairs.begin(), pairs.end(), pair_re); p != end; ++p) {
        labels.Set((*p)[1].str(), (*p)[2].str());
      }
      EXPECT_EQ(labels.ComputeFingerprint().ToHex(), (*it)[2]) << name << " " << labels.ToString();
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4);
}

TEST(FingerprintTest, HexRoundTrip) {
  auto fp = Fingerprint::FromHex("4e0cdac755c2a543");
  ASSERT_TRUE(fp.has_value());
  EXPECT_EQ(fp->ToHex(), "4e0cdac755c2a543");
  EXPECT_FALSE(Fingerprint::FromHex("4e0cdac755c2a54").has_value());
  EXPECT_FALSE(Fingerprint::FromHex("4e0cdac755c2a54x").has_value());
}

TEST(LabelSetTest, ToStringIsPrometheusForm) {
  LabelSet l{{"cluster", "eu \"1\""}, {"alertname", "X"}};
  EXPECT_EQ(l.ToString(), R"({alertname="X", cluster="eu \"1\""})");
}

TEST(LabelSetTest, NormalizeDropsEmptyValuesAndKeepsLastDuplicate) {
  LabelSet l;
  l.AppendUnsorted("b", "1");
  l.AppendUnsorted("a", "");
  l.AppendUnsorted("b", "2");
  l.Normalize(/*drop_empty_values=*/true);
  EXPECT_EQ(l.ToString(), R"({b="2"})");
}

}  // namespace
}  // namespace alertdigest
