#include "core/utf8_validator.h"

#include <gtest/gtest.h>

#include <string>

namespace alertdigest {
namespace {

TEST(Utf8ValidatorTest, Table) {
  struct Case {
    std::string text;
    bool valid;
    const char* why;
  };
  const Case cases[] = {
      {"", true, "empty"},
      {"plain ascii, longer than one 8-byte word", true, "ASCII fast path"},
      {"seuil dépassé, 90 °C ✓ 🚨", true, "2, 3 and 4 byte sequences"},
      {"\xf4\x8f\xbf\xbf", true, "U+10FFFF, the last code point"},
      {"caf\xe9", false, "Latin-1 byte"},
      {"\x80", false, "lone continuation byte"},
      {"\xc0\xaf", false, "overlong 2-byte '/'"},
      {"\xe0\x80\xaf", false, "overlong 3-byte"},
      {"\xf0\x80\x80\xaf", false, "overlong 4-byte"},
      {"\xed\xa0\x80", false, "UTF-16 surrogate"},
      {"\xf4\x90\x80\x80", false, "above U+10FFFF"},
      {"\xf5\x80\x80\x80", false, "lead byte beyond U+10FFFF"},
      {"abcdefgh\xe2\x9c", false, "truncated sequence at the end"},
      {"\xe2\x28\xa1", false, "bad continuation byte"},
      {"abcdefg\xc3\xa9xyz", true, "sequence straddling an 8-byte word"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsValidUtf8(c.text), c.valid) << c.why;
  }
}

}  // namespace
}  // namespace alertdigest
