#include "ingest/record_splitter.h"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace alertdigest {
namespace {

// "line: text" or "line: error: …" for each record of `input`.
std::vector<std::string> Split(const std::string& input, size_t max_bytes = 1 << 20) {
  std::istringstream in(input);
  RecordSplitter splitter(in, max_bytes);
  Record r;
  std::vector<std::string> out;
  while (splitter.Next(&r)) {
    out.push_back(std::to_string(r.line) + ": " + (r.error.empty() ? r.text : "error: " + r.error));
  }
  return out;
}

using Records = std::vector<std::string>;

TEST(RecordSplitterTest, JsonLines) {
  EXPECT_EQ(Split("{\"a\":1}\n{\"b\":2}\n"), (Records{"1: {\"a\":1}", "2: {\"b\":2}"}));
  EXPECT_EQ(Split("{\"a\":1}"), (Records{"1: {\"a\":1}"}));  // no final newline
  EXPECT_EQ(Split("{\"a\":1}\r\n"), (Records{"1: {\"a\":1}"}));
}

TEST(RecordSplitterTest, SkipsBlankLinesAndWhitespace) {
  EXPECT_EQ(Split("\n  \n\t{}  \n\n  []\n\n"), (Records{"3: {}", "5: []"}));
  EXPECT_EQ(Split(""), Records{});
  EXPECT_EQ(Split("\n\n"), Records{});
}

TEST(RecordSplitterTest, SeveralValuesOnOneLine) {
  EXPECT_EQ(Split("{\"a\":1}{\"b\":[2]} [3]\n"),
            (Records{"1: {\"a\":1}", "1: {\"b\":[2]}", "1: [3]"}));
}

TEST(RecordSplitterTest, PrettyValuesSpanLines) {
  EXPECT_EQ(Split("{\n  \"a\": [\n    1\n  ]\n}\n[\n]\n"),
            (Records{"1: {\n  \"a\": [\n    1\n  ]\n}", "6: [\n]"}));
}

TEST(RecordSplitterTest, BracketsInStringsDoNotCount) {
  EXPECT_EQ(Split(R"({"a":"}]{[\"\\"}{"b":"\\"})"),
            (Records{R"(1: {"a":"}]{[\"\\"})", R"(1: {"b":"\\"})"}));
}

TEST(RecordSplitterTest, NulBytesInStringsAreJustBytes) {
  std::string nul("{\"a\":\"x\0}\"}{}\n", 14);
  EXPECT_EQ(Split(nul), (Records{"1: " + nul.substr(0, 11), "1: {}"}));
}

TEST(RecordSplitterTest, ColumnZeroBraceEndsAnOpenRecord) {
  EXPECT_EQ(Split("{\n  \"a\": [1,\n{\"b\":2}\n"),
            (Records{"1: error: unexpected end of record: unterminated object", "3: {\"b\":2}"}));
  EXPECT_EQ(Split("[{\"a\":1},\n[]\n"),
            (Records{"1: error: unexpected end of record: unterminated array", "2: []"}));
  // Indented, it is part of the open record.
  EXPECT_EQ(Split("[\n {}\n]\n"), (Records{"1: [\n {}\n]"}));
}

TEST(RecordSplitterTest, OpenRecordAtEofIsTruncated) {
  EXPECT_EQ(Split("{}\n{\"a\":\n"),
            (Records{"1: {}", "2: error: unexpected end of record: unterminated object"}));
}

TEST(RecordSplitterTest, NonJsonAtDepthZeroIsOneRecordToTheEndOfTheLine) {
  EXPECT_EQ(Split("hello world  \n{}\n42\n"), (Records{"1: hello world", "2: {}", "3: 42"}));
  EXPECT_EQ(Split("{} hi {}\n"), (Records{"1: {}", "1: hi {}"}));
}

TEST(RecordSplitterTest, UnterminatedStringResynchronisesAtTheNextLine) {
  EXPECT_EQ(Split("{\"a\":\"x\n}\n"), (Records{"1: {\"a\":\"x\n}"}));
}

TEST(RecordSplitterTest, OversizeRecordsAreRejectedWithoutText) {
  EXPECT_EQ(Split("{\"a\":\"0123456789\"}\n{}\n", 10),
            (Records{"1: error: record larger than 10 bytes", "2: {}"}));
  EXPECT_EQ(Split("[\n1,\n2,\n3\n]\n", 6), (Records{"1: error: record larger than 6 bytes"}));
  EXPECT_EQ(Split("0123456789A\n", 10), (Records{"1: error: record larger than 10 bytes"}));
  EXPECT_EQ(Split("{\"a\":\"01\"}\n", 10), (Records{"1: {\"a\":\"01\"}"}));  // exactly 10
}

TEST(RecordSplitterTest, DeepNestingIsJustCounted) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  Records r = Split(deep + "\n{}\n", 1 << 20);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].size(), 3 + deep.size());
  EXPECT_EQ(r[1], "2: {}");
}

}  // namespace
}  // namespace alertdigest
