#include "ingest/event_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace alertdigest {
namespace {

using std::chrono::minutes;

const Timestamp kT0 = *ParseRfc3339("2026-11-26T01:10:00Z");

std::string Sample(const std::string& name) {
  std::ifstream in(std::filesystem::path(AD_TESTDATA_DIR) / "samples" / name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Line(std::string_view alertname) {
  return "{\"labels\":{\"alertname\":\"" + std::string(alertname) + "\"}}\n";
}

// Runs an EventReader over `input` and keeps everything it hands over.
class EventReaderTest : public ::testing::Test {
 protected:
  size_t Read(const std::string& input, size_t batch_size = 4096) {
    std::istringstream in(input);
    return Read(in, batch_size);
  }
  size_t Read(std::istream& in, size_t batch_size = 4096) {
    EventReader reader(
        clock_, options_,
        [this](std::vector<Alert>&& batch) {
          batch_sizes_.push_back(batch.size());
          for (Alert& a : batch) alerts_.push_back(std::move(a));
        },
        [this](const RejectedEvent& e) { rejected_.push_back(e.ToString()); });
    return reader.ReadAll(in, batch_size);
  }
  std::vector<std::string> Names() const {
    std::vector<std::string> out;
    for (const Alert& a : alerts_) out.emplace_back(a.labels.Get("alertname"));
    return out;
  }

  ManualClock clock_{kT0};
  IngestOptions options_;
  std::vector<Alert> alerts_;
  std::vector<size_t> batch_sizes_;
  std::vector<std::string> rejected_;
};

using Strings = std::vector<std::string>;

TEST_F(EventReaderTest, JsonLines) {
  EXPECT_EQ(Read(Line("A") + Line("B") + "\n" + Line("C")), 3u);
  EXPECT_EQ(Names(), (Strings{"A", "B", "C"}));
  EXPECT_EQ(rejected_, Strings{});
  EXPECT_EQ(alerts_[0].updated_at, kT0);
  EXPECT_EQ(alerts_[0].ends_at, kT0 + minutes(5));
}

TEST_F(EventReaderTest, ResolveTimeoutFromOptions) {
  options_.resolve_timeout = minutes(1);
  Read(Line("A"));
  ASSERT_EQ(alerts_.size(), 1u);
  EXPECT_EQ(alerts_[0].ends_at, kT0 + minutes(1));
}

TEST_F(EventReaderTest, OneLinePrometheusArray) {
  EXPECT_EQ(Read(Sample("prometheus/01-firing-batch.body.json")), 1u);
  EXPECT_EQ(Names(), (Strings{"HarnessHighCPU", "HarnessHighCPU", "HarnessFlapping"}));
}

TEST_F(EventReaderTest, PrettyWebhookDocumentsConcatenated) {
  std::string doc1 =
      "{\n"
      "  \"version\": \"4\",\n"
      "  \"status\": \"firing\",\n"
      "  \"alerts\": [\n"
      "    {\n"
      "      \"status\": \"firing\",\n"
      "      \"labels\": {\"alertname\": \"A\", \"brackets\": \"}]\"},\n"
      "      \"endsAt\": \"0001-01-01T00:00:00Z\"\n"
      "    },\n"
      "    {\"status\": \"resolved\", \"labels\": {\"alertname\": \"B\"}}\n"
      "  ]\n"
      "}\n";
  std::string doc2 =
      "{\n  \"version\": \"4\",\n  \"alerts\": [{\"labels\": {\"alertname\": "
      "\"C\"}}]\n}\n";
  EXPECT_EQ(Read(doc1 + doc2), 2u);
  EXPECT_EQ(Names(), (Strings{"A", "B", "C"}));
  EXPECT_EQ(rejected_, Strings{});
  EXPECT_TRUE(alerts_[0].ends_at_is_timeout);
  EXPECT_EQ(alerts_[1].ends_at, kT0);  // resolved on receipt
}

TEST_F(EventReaderTest, MixedFormatsAndSeveralValuesOnOneLine) {
  std::string input = Line("A") + Sample("alertmanager/webhook-02-firing-two-alerts.body.json") +
                      "[{\"labels\":{\"alertname\":\"B\"}},{\"labels\":{\"alertname\":\"C\"}}]" +
                      Line("D") +
                      "{\"labels\":{\"alertname\":\"E\"}}{\"labels\":{\"alertname\":"
                      "\"F\"}} [{\"labels\":{\"alertname\":\"G\"}}]\n";
  EXPECT_EQ(Read(input), 7u);
  EXPECT_EQ(Names(),
            (Strings{"A", "HarnessHighCPU", "HarnessHighCPU", "B", "C", "D", "E", "F", "G"}));
  EXPECT_EQ(rejected_, Strings{});
}

TEST_F(EventReaderTest, TimeOfReceiptIsPerRecord) {
  struct AdvancingClock : Clock {
    mutable Timestamp t = kT0;
    Timestamp Now() const override { return t += minutes(1); }
  } clock;
  std::vector<Alert> got;
  EventReader reader(
      clock, {},
      [&](std::vector<Alert>&& b) {
        for (Alert& a : b) got.push_back(std::move(a));
      },
      [](const RejectedEvent&) {});
  std::istringstream in(Line("A") + Line("B"));
  reader.ReadAll(in);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].updated_at, kT0 + minutes(1));
  EXPECT_EQ(got[1].updated_at, kT0 + minutes(2));
}

// Each bad record among good ones: its exact rejection, and the good ones still arrive.
TEST_F(EventReaderTest, BadRecords) {
  struct Case {
    const char* why;
    std::string bad;  // becomes line 3 (and following) between good lines
    Strings rejections;
  };
  const Case cases[] = {
      {"broken JSON",
       "{\"labels\" {\"alertname\":\"X\"}}\n",
       {"line 3: $: Missing a colon after a name of object member."}},
      {"unbalanced JSON line",
       "{\"labels\":{\"alertname\":\"X\"}\n",
       {"line 3: $: unexpected end of record: unterminated object"}},
      {"missing labels",
       "{\"annotations\":{}}\n",
       {"line 3: $: missing required field \"labels\""}},
      {"invalid label name",
       "{\"labels\":{\"x-y\":\"1\"}}\n",
       {"line 3: $.labels: invalid label name \"x-y\""}},
      {"non-string label value",
       "{\"labels\":{\"alertname\":[\"X\"]}}\n",
       {"line 3: $.labels.alertname: must be a string"}},
      {"bad time",
       "[{\"labels\":{\"a\":\"1\"}},{\"labels\":{\"a\":\"1\"},\"endsAt\":\"x\"}]\n",
       {"line 3: $[1].endsAt: bad time \"x\": malformed date (want RFC 3339, e.g. "
        "2026-11-26T01:08:18Z)"}},
      {"end before start",
       "{\"labels\":{\"a\":\"1\"},\"startsAt\":\"2026-11-26T01:00:00Z\","
       "\"endsAt\":\"2026-11-26T00:00:00Z\"}\n",
       {"line 3: $.endsAt: end time must not be before start time"}},
      {"bad status",
       "{\"labels\":{\"a\":\"1\"},\"status\":\"ok\"}\n",
       {"line 3: $.status: must be \"firing\" or \"resolved\", not \"ok\""}},
      {"invalid UTF-8",
       "{\"labels\":{\"a\":\"\xff\"}}\n",
       {"line 3: $.labels.a: value is not valid UTF-8"}},
      {"a non-JSON line", "hello\n", {"line 3: $: Invalid value."}},
      {"a JSON value that is no alert",
       "\"hello\"\n",
       {"line 3: $: expected an alert object, an array of alerts, or an Alertmanager webhook "
        "document"}},
      {"truncated pretty document, then a good one",
       "{\n  \"version\": \"4\",\n  \"alerts\": [\n    {\"labels\": {\"a\": \"1\"}},\n"
       "{\"labels\":{\"alertname\":\"Y\"}}\n",
       {"line 3: $: unexpected end of record: unterminated object"}},
      {"error inside a pretty document",
       "{\n  \"alerts\": [\n    {\"labels\": {\"a\": \"1\"}},\n    {\"labels\": {}}\n  ]\n}\n",
       {"line 6: $.alerts[1].labels: at least one label with a non-empty value is required"}},
      {"syntax error inside a pretty document",
       "{\n  \"alerts\": [\n    {\"labels\": {\"a\": \"1\"}}\n    {\"labels\": {}}\n  ]\n}\n",
       {"line 6: $: Missing a comma or ']' after an array element."}},
      {"100000 nested arrays",
       std::string(100000, '[') + "\n",
       {"line 3: $: unexpected end of record: unterminated array"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    alerts_.clear();
    rejected_.clear();
    Read(Line("Good1") + "\n" + c.bad + Line("Good2"));
    EXPECT_EQ(rejected_, c.rejections);
    Strings names = Names();
    ASSERT_GE(names.size(), 2u);
    EXPECT_EQ(names.front(), "Good1");
    EXPECT_EQ(names.back(), "Good2");
  }
}

TEST_F(EventReaderTest, OversizeRecord) {
  options_.max_record_bytes = 64;
  std::string big = "{\"labels\":{\"alertname\":\"" + std::string(100, 'x') + "\"}}\n";
  EXPECT_EQ(Read(Line("A") + big + Line("B")), 3u);
  EXPECT_EQ(rejected_, (Strings{"line 2: $: record larger than 64 bytes"}));
  EXPECT_EQ(Names(), (Strings{"A", "B"}));
}

TEST_F(EventReaderTest, DefaultLimitIn64MiB) {
  EXPECT_EQ(IngestOptions().max_record_bytes, 67108864u);
}

TEST_F(EventReaderTest, BatchSizeIsRespected) {
  std::string input;
  for (int i = 0; i < 10; ++i) input += Line("A" + std::to_string(i));
  EXPECT_EQ(Read(input, 3), 10u);
  EXPECT_EQ(batch_sizes_, (std::vector<size_t>{3, 3, 3, 1}));
  EXPECT_EQ(alerts_.size(), 10u);
  EXPECT_EQ(Names().back(), "A9");
}

TEST_F(EventReaderTest, ArraysLargerThanABatchAreSplit) {
  std::string input = "[";
  for (int i = 0; i < 5; ++i) input += (i ? "," : "") + Line("A" + std::to_string(i));
  input += "]\n";
  EXPECT_EQ(Read(input, 2), 1u);
  EXPECT_EQ(batch_sizes_, (std::vector<size_t>{2, 2, 1}));
  EXPECT_EQ(Names(), (Strings{"A0", "A1", "A2", "A3", "A4"}));
}

// A stream buffer that delivers its input in chunks, as a pipe does, and calls `on_refill`
// before each chunk after the first.
class ChunkedBuf : public std::streambuf {
 public:
  ChunkedBuf(Strings chunks, std::function<void()> on_refill)
      : chunks_(std::move(chunks)), on_refill_(std::move(on_refill)) {}

 protected:
  int_type underflow() override {
    if (next_ == chunks_.size()) return traits_type::eof();
    if (next_ > 0) on_refill_();
    std::string& c = chunks_[next_++];
    setg(c.data(), c.data(), c.data() + c.size());
    return traits_type::to_int_type(c[0]);
  }

 private:
  Strings chunks_;
  size_t next_ = 0;
  std::function<void()> on_refill_;
};

TEST_F(EventReaderTest, HandsOverWhenNothingMoreIsBuffered) {
  options_.hand_over_when_idle = true;  // what --follow sets
  std::vector<size_t> delivered_before_refill;
  ChunkedBuf buf({Line("A") + Line("B"), Line("C") + Line("D") + Line("E")},
                 [&] { delivered_before_refill.push_back(alerts_.size()); });
  std::istream in(&buf);
  EXPECT_EQ(Read(in, 100), 5u);
  // A and B were handed over before the reader waited for more input.
  EXPECT_EQ(delivered_before_refill, (std::vector<size_t>{2}));
  EXPECT_EQ(batch_sizes_, (std::vector<size_t>{2, 3}));
}

TEST_F(EventReaderTest, BulkInputIsNotSplitAtBufferBoundaries) {
  ChunkedBuf buf({Line("A") + Line("B"), Line("C") + Line("D") + Line("E")}, [] {});
  std::istream in(&buf);
  EXPECT_EQ(Read(in, 100), 5u);
  EXPECT_EQ(batch_sizes_, (std::vector<size_t>{5})) << "one commit, not one per read()";
}

TEST_F(EventReaderTest, DemoStreamIsAcceptedWhole) {
  std::ifstream in(std::filesystem::path(AD_SOURCE_DIR) / "examples" / "alerts.jsonl");
  ASSERT_TRUE(in.is_open());
  EXPECT_EQ(Read(in), 70u);
  EXPECT_EQ(rejected_, Strings{});
  EXPECT_EQ(alerts_.size(), 73u);
  std::set<Fingerprint> distinct;
  size_t resolved = 0;
  for (const Alert& a : alerts_) {
    distinct.insert(a.fingerprint);
    resolved += a.ResolvedAt(kT0);
  }
  EXPECT_EQ(distinct.size(), 14u);  // re-sends collapse
  EXPECT_EQ(resolved, 6u);
}

TEST_F(EventReaderTest, BadInputExample) {
  std::ifstream in(std::filesystem::path(AD_SOURCE_DIR) / "examples" / "bad-input.jsonl");
  ASSERT_TRUE(in.is_open());
  EXPECT_EQ(Read(in), 7u);
  EXPECT_EQ(rejected_,
            (Strings{"line 2: $.labels: invalid label name \"mount-point\"",
                     "line 4: $: Missing a comma or '}' after an object member.",
                     "line 6: $.startsAt: bad time \"yesterday 9am\": malformed date (want RFC "
                     "3339, e.g. 2026-11-26T01:08:18Z)"}));
  EXPECT_EQ(alerts_.size(), 4u);
}

TEST_F(EventReaderTest, EmptyInput) {
  EXPECT_EQ(Read(""), 0u);
  EXPECT_TRUE(batch_sizes_.empty());
}

}  // namespace
}  // namespace alertdigest
