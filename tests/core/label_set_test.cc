#include "core/label_set.h"

#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace alertdigest {
namespace {

std::vector<Label> Labels(const LabelSet& s) {
  std::vector<Label> out;
  for (LabelView l : s) out.push_back({std::string(l.name), std::string(l.value)});
  return out;
}

// A name longer than kMaxInternedNameLength is always stored inline.
std::string LongName(char c) { return std::string(LabelSet::kMaxInternedNameLength + 1, c); }

TEST(LabelSetTest, EmptySetHasNothing) {
  LabelSet s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.begin(), s.end());
  EXPECT_EQ(s.Get("a"), "");
  EXPECT_FALSE(s.Has("a"));
  EXPECT_EQ(s.ToString(), "{}");
  EXPECT_EQ(s, LabelSet{});
  EXPECT_EQ(s.ComputeFingerprint(), Fingerprint{Fnv1a64::kOffsetBasis});
}

TEST(LabelSetTest, InitializerListSortsAndLastDuplicateWins) {
  LabelSet s{{"b", "2"}, {"a", "1"}, {"b", "3"}, {"c", ""}};
  EXPECT_EQ(Labels(s), (std::vector<Label>{{"a", "1"}, {"b", "3"}, {"c", ""}}));
  EXPECT_EQ(s.ToString(), R"({a="1", b="3", c=""})");
}

TEST(LabelSetTest, SetInsertsInOrderAndReplaces) {
  LabelSet s;
  s.Set("m", "1");
  s.Set("a", "2");
  s.Set("z", "3");
  s.Set("m", "4");
  EXPECT_EQ(Labels(s), (std::vector<Label>{{"a", "2"}, {"m", "4"}, {"z", "3"}}));
  // Arguments that view the set itself stay valid while it is rebuilt.
  s.Set(s.Get("a"), s.Get("z"));
  EXPECT_EQ(s.Get("2"), "3");
}

TEST(LabelSetTest, NormalizeKeepsLastDuplicateAndDropsEmptyWhenAsked) {
  LabelSet s;
  s.AppendUnsorted("b", "x");
  s.AppendUnsorted("a", "");
  s.AppendUnsorted("b", "y");
  s.AppendUnsorted("c", "z");
  s.AppendUnsorted("c", "");
  LabelSet keep = s;
  keep.Normalize(false);
  EXPECT_EQ(Labels(keep), (std::vector<Label>{{"a", ""}, {"b", "y"}, {"c", ""}}));
  s.Normalize(true);  // the last c is empty: no c at all
  EXPECT_EQ(Labels(s), (std::vector<Label>{{"b", "y"}}));
}

TEST(LabelSetTest, BuilderMatchesAppendAndNormalizeAndIsReusable) {
  LabelSetBuilder b;
  for (int round = 0; round < 3; ++round) {
    b.Add("job", "node");
    b.Add("alertname", "Up");
    b.Add("empty", "");
    b.Add("job", "api");
    LabelSet built = b.Build(true);
    LabelSet appended;
    appended.AppendUnsorted("job", "node");
    appended.AppendUnsorted("alertname", "Up");
    appended.AppendUnsorted("empty", "");
    appended.AppendUnsorted("job", "api");
    appended.Normalize(true);
    EXPECT_EQ(built, appended);
    EXPECT_EQ(built.ToString(), R"({alertname="Up", job="api"})");
    EXPECT_TRUE(b.empty());
  }
  EXPECT_TRUE(b.Build(false).empty());
}

TEST(LabelSetTest, BuilderCopiesItsArguments) {
  LabelSetBuilder b;
  {
    std::string name = "instance", value = "host-1:9100";
    b.Add(name, value);
    name.assign(100, 'x');
    value.assign(100, 'y');
  }
  EXPECT_EQ(b.Build(false).ToString(), R"({instance="host-1:9100"})");
}

TEST(LabelSetTest, InvalidNamesAreStoredInline) {
  LabelSet s{{"bad-name", "1"}, {"0digit", "2"}, {"ok", "3"}};
  EXPECT_EQ(Labels(s), (std::vector<Label>{{"0digit", "2"}, {"bad-name", "1"}, {"ok", "3"}}));
  EXPECT_EQ(s.Get("bad-name"), "1");
  EXPECT_EQ(s, (LabelSet{{"ok", "3"}, {"bad-name", "1"}, {"0digit", "2"}}));
}

TEST(LabelSetTest, ZeroLengthValuesAndNames) {
  LabelSet s{{"a", ""}, {"b", ""}, {"", "v"}};
  EXPECT_EQ(s.size(), 3u);
  EXPECT_TRUE(s.Has("a"));
  EXPECT_TRUE(s.Has(""));
  EXPECT_EQ(s.Get(""), "v");
  EXPECT_EQ(s.Get("b"), "");
  EXPECT_EQ(s.ToString(), R"({="v", a="", b=""})");
}

TEST(LabelSetTest, CopyMoveAndSelfAssignment) {
  LabelSet a{{"alertname", "Up"}, {"job", "node"}};
  LabelSet copy = a;
  EXPECT_EQ(copy, a);
  LabelSet moved = std::move(copy);
  EXPECT_EQ(moved, a);
  EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is valid and empty
  EXPECT_EQ(copy.size(), 0u);
  EXPECT_EQ(copy.ToString(), "{}");
  copy = a;  // a moved-from set can be assigned again
  EXPECT_EQ(copy, a);

  LabelSet& self = a;
  a = self;
  EXPECT_EQ(a.ToString(), R"({alertname="Up", job="node"})");
  a = std::move(self);
  EXPECT_EQ(a.ToString(), R"({alertname="Up", job="node"})");

  LabelSet other{{"x", "1"}};
  other = a;
  EXPECT_EQ(other, a);
  other = LabelSet{};
  EXPECT_TRUE(other.empty());
  a = std::move(other);
  EXPECT_TRUE(a.empty());
}

TEST(LabelSetTest, CopiesAreIndependent) {
  LabelSet a{{"a", "1"}};
  LabelSet b = a;
  b.Set("a", "2");
  b.Set("b", "3");
  EXPECT_EQ(a.ToString(), R"({a="1"})");
  EXPECT_EQ(b.ToString(), R"({a="2", b="3"})");
}

TEST(LabelSetTest, LongValuesOverSixtyFourKilobytes) {
  std::string big(200 * 1024, 'v');
  big[70000] = '"';
  LabelSet s{{"z", "end"}, {"big", big}, {"a", "start"}};
  EXPECT_EQ(s.Get("big"), big);
  EXPECT_EQ(s.Get("a"), "start");
  EXPECT_EQ(s.Get("z"), "end");
  LabelSet copy = s;
  EXPECT_EQ(copy, s);
  Fnv1a64 h;
  h.Add("a").AddByte(0xff).Add("start").AddByte(0xff);
  h.Add("big").AddByte(0xff).Add(big).AddByte(0xff);
  h.Add("z").AddByte(0xff).Add("end").AddByte(0xff);
  EXPECT_EQ(s.ComputeFingerprint().value, h.value());
}

TEST(LabelSetTest, ManyLabels) {
  LabelSetBuilder b;
  for (int i = 999; i >= 0; --i) b.Add("l" + std::to_string(i), "v" + std::to_string(i));
  LabelSet s = b.Build(false);
  ASSERT_EQ(s.size(), 1000u);
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(s.Get("l" + std::to_string(i)), "v" + std::to_string(i));
  EXPECT_FALSE(s.Has("l1000"));
  std::string prev;
  for (LabelView l : s) {
    EXPECT_LT(prev, l.name);
    prev = std::string(l.name);
  }
}

TEST(LabelSetTest, LongNamesAreStoredInlineAndBehaveTheSame) {
  std::string a = LongName('a'), z = LongName('z');
  LabelSet s{{z, "2"}, {"m", "1"}, {a, "0"}};
  EXPECT_EQ(Labels(s), (std::vector<Label>{{a, "0"}, {"m", "1"}, {z, "2"}}));
  EXPECT_EQ(s.Get(a), "0");
  EXPECT_EQ(s.Get(z), "2");
  EXPECT_TRUE(s.Has(a));
  EXPECT_FALSE(s.Has(a + "x"));
  EXPECT_EQ(s.ToString(), "{" + a + R"(="0", m="1", )" + z + R"(="2"})");
  Fnv1a64 h;
  h.Add(a).AddByte(0xff).Add("0").AddByte(0xff);
  h.Add("m").AddByte(0xff).Add("1").AddByte(0xff);
  h.Add(z).AddByte(0xff).Add("2").AddByte(0xff);
  EXPECT_EQ(s.ComputeFingerprint().value, h.value());
}

TEST(LabelSetTest, EqualityLooksAtContentNotRepresentation) {
  // A name is either interned or inline for the whole process (the table never forgets), so
  // equal sets store their names alike; sets mixing both kinds still compare by content.
  std::string long_name = LongName('n');
  LabelSet a{{"alertname", "Up"}, {long_name, "x"}};
  LabelSet b{{long_name, "x"}, {"alertname", "Up"}};
  EXPECT_EQ(a, b);
  EXPECT_NE(a, (LabelSet{{"alertname", "Up"}, {long_name, "y"}}));
  EXPECT_NE(a, (LabelSet{{"alertname", "Up"}, {LongName('m'), "x"}}));
  EXPECT_NE(a, (LabelSet{{"alertname", "Up"}}));
  // Same characters split differently between name and value are different labels.
  EXPECT_NE((LabelSet{{"ab", "c"}}), (LabelSet{{"a", "bc"}}));
  EXPECT_NE((LabelSet{{LongName('a') + "b", "c"}}), (LabelSet{{LongName('a'), "bc"}}));
}

TEST(LabelSetTest, NamesPastTheInternCapAreInlineAndStillWork) {
  // Hostile input: millions of distinct names must not grow the process-wide table.
  LabelSet early{{"early_name", "1"}};
  for (size_t i = 0; i < LabelSet::kMaxInternedNames + 100; ++i) {
    LabelSet filler{{"filler_" + std::to_string(i), "v"}};
    ASSERT_EQ(filler.Get("filler_" + std::to_string(i)), "v");
  }
  LabelSet late{{"late_name", "2"}, {"early_name", "1"}};
  LabelSet late_again{{"early_name", "1"}, {"late_name", "2"}};
  EXPECT_EQ(late, late_again);
  EXPECT_EQ(late.ToString(), R"({early_name="1", late_name="2"})");
  EXPECT_EQ(late.Get("late_name"), "2");
  EXPECT_EQ(LabelSet({{"early_name", "1"}}), early);
  Fnv1a64 h;
  h.Add("early_name").AddByte(0xff).Add("1").AddByte(0xff);
  h.Add("late_name").AddByte(0xff).Add("2").AddByte(0xff);
  EXPECT_EQ(late.ComputeFingerprint().value, h.value());
}

TEST(LabelSetTest, ThreadsInterningTheSameNewNamesAgree) {
  // HTTP threads decode alerts concurrently: racing to intern one name must give one id.
  std::vector<std::vector<LabelSet>> built(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < built.size(); ++t) {
    threads.emplace_back([&built, t] {
      for (int i = 0; i < 200; ++i) {
        LabelSetBuilder b;
        b.Add("race_" + std::to_string(i), std::to_string(i));
        b.Add("race_common", "x");
        built[t].push_back(b.Build(false));
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (size_t t = 1; t < built.size(); ++t) EXPECT_EQ(built[t], built[0]);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(built[3][i].Get("race_" + std::to_string(i)), std::to_string(i));
    const std::string n = std::to_string(i);
    EXPECT_EQ(built[2][i].ToString(), "{race_" + n + "=\"" + n + "\", race_common=\"x\"}");
  }
}

TEST(LabelSetTest, FingerprintAndTextMatchTheLabels) {
  LabelSet s{{"alertname", "Mem1"}, {"instance", "host-1:9100"}, {"job", "node"}};
  Fnv1a64 h;
  for (LabelView l : s) h.Add(l.name).AddByte(0xff).Add(l.value).AddByte(0xff);
  EXPECT_EQ(s.ComputeFingerprint().value, h.value());
  EXPECT_EQ(LabelSet({{"v", "a\"b\\c\nd\x01"}}).ToString(), R"({v="a\"b\\c\nd\x01"})");
}

TEST(LabelSetTest, IteratorGivesNamesAndValues) {
  LabelSet s{{"b", "2"}, {"a", "1"}};
  auto it = s.begin();
  EXPECT_EQ(it->name, "a");
  EXPECT_EQ((*it).value, "1");
  ++it;
  EXPECT_EQ(it->name, "b");
  it++;
  EXPECT_EQ(it, s.end());
}

}  // namespace
}  // namespace alertdigest
