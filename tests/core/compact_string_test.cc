#include "core/compact_string.h"

#include <string>
#include <utility>

#include <gtest/gtest.h>

namespace alertdigest {
namespace {

TEST(CompactStringTest, EmptyReadsAsEmptyTextWithData) {
  CompactString s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s, "");
  ASSERT_NE(s.data(), nullptr);  // SQLite would bind a null pointer as NULL
  s = "x";
  s = "";
  EXPECT_TRUE(s.empty());
  EXPECT_NE(s.data(), nullptr);
}

TEST(CompactStringTest, HoldsTextOfAnySize) {
  std::string big(100000, 'u');
  CompactString s = std::string_view(big);
  EXPECT_EQ(s.size(), big.size());
  EXPECT_EQ(s.view(), big);
  s.assign("http://prom/graph", 17);
  EXPECT_EQ(s, "http://prom/graph");
  EXPECT_EQ(s.str(), "http://prom/graph");
}

TEST(CompactStringTest, CopyMoveAndSelfAssignment) {
  CompactString a = std::string_view("http://a");
  CompactString b = a;
  EXPECT_EQ(a, b);
  CompactString c = std::move(b);
  EXPECT_EQ(c, "http://a");
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move): moved-from is valid and empty
  b = c;
  EXPECT_EQ(b, "http://a");
  CompactString& self = a;
  a = self;
  a = std::move(self);
  EXPECT_EQ(a, "http://a");
  a = a.view().substr(7);  // assigning a view of itself
  EXPECT_EQ(a, "a");
  EXPECT_NE(a, c);
}

}  // namespace
}  // namespace alertdigest
