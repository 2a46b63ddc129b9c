#include <gtest/gtest.h>

#include "core/matcher.h"

namespace alertdigest {
namespace {

TEST(MatcherTest, OperatorsAndMissingLabels) {
  LabelSet l{{"severity", "critical"}, {"team", "db"}};
  struct Case { const char* m; bool want; const char* why; } cases[] = {
      {R"(severity="critical")", true, "equal"},
      {R"(severity!="critical")", false, "not equal"},
      {R"(team=~"db|storage")", true, "regex alternation"},
      {R"(team=~"d")", false, "regexes are anchored at both ends"},
      {R"(team!~"web.*")", true, "negative regex"},
      {R"(zone="")", true, "a missing label equals the empty string"},
      {R"(zone=~".*")", true, "a missing label matches .*"},
      {R"(zone!="")", false, "a missing label is not non-empty"},
      {"severity=critical", true, "unquoted value"},
      {R"( team = "db" )", true, "spaces around"},
  };
  for (const auto& c : cases) {
    auto m = Matcher::Parse(c.m);
    ASSERT_TRUE(m.ok()) << c.m << ": " << m.status().message();
    EXPECT_EQ(m->Matches(l), c.want) << c.m << " (" << c.why << ")";
  }
}

TEST(MatcherTest, ErrorsNameTheProblem) {
  EXPECT_EQ(Matcher::Parse(R"(severity~"x")").status().message(),
            R"(bad matcher 'severity~"x"': expected one of = != =~ !~ after "severity")");
  EXPECT_EQ(Matcher::Parse(R"(team=~"(db")").status().message(),
            R"(bad matcher 'team=~"(db"': bad regex "(db": missing ): (db)");
  EXPECT_EQ(Matcher::Parse(R"(="x")").status().message(),
            R"(bad matcher '="x"': expected a label name first)");
  EXPECT_EQ(Matcher::Parse(R"(a="x)").status().message(),
            R"(bad matcher 'a="x': unterminated quoted value)");
}

TEST(MatcherTest, CanonicalText) {
  EXPECT_EQ(Matcher::Parse(R"(team =~ "db|storage")")->ToString(), R"(team=~"db|storage")");
  EXPECT_EQ(Matcher::Parse(R"(a="say \"hi\"")")->ToString(), R"(a="say \"hi\"")");
}

// Fuzzing (tests/fuzz/matcher_fuzzer): ToString() wrote a newline raw and a regex's backslashes
// unescaped, so Parse(ToString()) read another matcher — the regex `\\d` (a backslash, then d)
// came back as `\d` (a digit) — and a silence (stored one matcher per line, parsed again at
// start) with a newline in a value made the store's silences unreadable.
TEST(MatcherTest, ToStringParsesBackToTheSameMatcher) {
  const Matcher cases[] = {
      Matcher::Create("a", Matcher::Op::kEqual, "line 1\nline 2").value(),
      Matcher::Create("a", Matcher::Op::kRegexMatch, "x\ny").value(),
      Matcher::Create("path", Matcher::Op::kRegexMatch, R"(C:\\Windows\\.*)").value(),
      Matcher::Create("path", Matcher::Op::kRegexNoMatch, R"(\d+\.\d+)").value(),
      Matcher::Create("q", Matcher::Op::kNotEqual, R"(say "hi" \n)").value(),
  };
  for (const Matcher& m : cases) {
    const std::string text = m.ToString();
    EXPECT_EQ(text.find('\n'), std::string::npos) << text;
    Result<Matcher> back = Matcher::Parse(text);
    ASSERT_TRUE(back.ok()) << text << ": " << back.status().message();
    EXPECT_EQ(back->name(), m.name());
    EXPECT_EQ(back->op(), m.op());
    EXPECT_EQ(back->value(), m.value()) << text;
  }
  EXPECT_EQ(Matcher::Parse(R"(path=~"\\d+")")->ToString(), R"(path=~"\\d+")");
  EXPECT_EQ(Matcher::Create("a", Matcher::Op::kEqual, "x\ny")->ToString(), R"(a="x\ny")");
}

TEST(MatcherTest, HostileRegexIsLinear) {
  // Catastrophic for backtracking engines; RE2 answers at once.
  auto m = Matcher::Parse(R"(x=~"(a+)+$")");
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->MatchesValue(std::string(100000, 'a') + "!"));
}

}  // namespace
}  // namespace alertdigest
