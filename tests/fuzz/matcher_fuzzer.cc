// Fuzz target: label matchers (`name="value"`, `=~`, `!=`, `!~`), as config files, the CLI,
// GET /api/v2/alerts?filter= and the silences store write them, and matching against labels.
//
// Input: the matcher text on the first line; the rest of the input is a label value to match
// (MatchesValue, and Matches on a label set holding it under the matcher's name).
//
// Invariants: ToString() is what Parse() reads back as the same matcher (silences are stored
// one ToString() per line and re-parsed at start: it must hold no newline either); = and != (and
// =~ and !~) always disagree; a missing label matches like "".
#include "core/matcher.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alertdigest;
  const std::string_view text = fuzz::AsText(data, size);
  const size_t nl = text.find('\n');
  const std::string_view matcher_text = text.substr(0, nl);
  const std::string_view value = nl == std::string_view::npos ? "" : text.substr(nl + 1);

  Result<Matcher> m = Matcher::Parse(matcher_text);
  if (!m.ok()) {
    FUZZ_CHECK(!m.status().message().empty(), "error without a message");
    return 0;
  }
  const std::string canonical = m->ToString();
  FUZZ_CHECK(canonical.find('\n') == std::string::npos, "ToString() has a newline: " + canonical);
  Result<Matcher> again = Matcher::Parse(canonical);
  FUZZ_CHECK(again.ok(), "ToString() does not parse: " + canonical + " — " +
                             (again.ok() ? "" : again.status().message()));
  FUZZ_CHECK(again->name() == m->name() && again->op() == m->op() && again->value() == m->value(),
             "ToString() parses as another matcher: " + canonical + " → " + again->ToString());

  const bool matches = m->MatchesValue(value);
  FUZZ_CHECK(again->MatchesValue(value) == matches, "the re-parsed matcher matches differently");
  const Matcher::Op opposite[] = {Matcher::Op::kNotEqual, Matcher::Op::kEqual,
                                  Matcher::Op::kRegexNoMatch, Matcher::Op::kRegexMatch};
  Result<Matcher> negated =
      Matcher::Create(m->name(), opposite[static_cast<int>(m->op())], m->value());
  FUZZ_CHECK(negated.ok(), "the negated matcher does not compile");
  FUZZ_CHECK(negated->MatchesValue(value) != matches, "a matcher and its negation agree");

  LabelSet labels;
  labels.Set("zz_other", "x");
  labels.Set(m->name(), std::string(value));
  FUZZ_CHECK(m->Matches(labels) == matches, "Matches() and MatchesValue() disagree");
  FUZZ_CHECK(m->Matches(LabelSet{}) == m->MatchesValue(""), "a missing label is not \"\"");
  return 0;
}
