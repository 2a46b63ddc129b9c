#include "ingest/alert_decoder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace alertdigest {
namespace {

using std::chrono::minutes;

const Timestamp kNow = *ParseRfc3339("2026-11-26T01:10:00Z");

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Sample(const std::string& name) {
  return ReadFile(std::filesystem::path(AD_TESTDATA_DIR) / "samples" / name);
}

DecodeResult Decode(std::string_view text, PayloadShape expect = PayloadShape::kAny) {
  DecodeOptions options;
  options.now = kNow;
  options.resolve_timeout = minutes(5);
  options.expect = expect;
  return DecodeJson(text, 1, options);
}

std::string Rejections(const DecodeResult& r) {
  std::string out;
  for (const RejectedEvent& e : r.rejected) out += e.ToString() + "\n";
  return out;
}

TEST(AlertDecoderTest, PrometheusSamples) {
  struct Case {
    const char* file;
    size_t alerts;
  };
  for (const Case& c : {Case{"prometheus/01-firing-batch.body.json", 3},
                        Case{"prometheus/02-pending-then-firing.body.json", 1},
                        Case{"prometheus/03-resolved.body.json", 1},
                        Case{"prometheus/04-resend-after-resend-delay.body.json", 1}}) {
    SCOPED_TRACE(c.file);
    DecodeResult r = Decode(Sample(c.file), PayloadShape::kAlertArray);
    EXPECT_EQ(Rejections(r), "");
    EXPECT_EQ(r.alerts.size(), c.alerts);
  }
}

TEST(AlertDecoderTest, PrometheusFiringBatchFields) {
  DecodeResult r = Decode(Sample("prometheus/01-firing-batch.body.json"));
  ASSERT_EQ(r.alerts.size(), 3u);
  const Alert& a = r.alerts[0];
  EXPECT_EQ(a.labels.ToString(),
            "{alertname=\"HarnessHighCPU\", instance=\"web-1:9100\", monitor=\"harness\", "
            "severity=\"warning\", team=\"web\"}");
  EXPECT_EQ(a.annotations.Get("description"),
            "CPU usage is 91% on \"web-1:9100\" (seuil dépassé, 90 °C ✓)");
  EXPECT_EQ(a.starts_at, *ParseRfc3339("2026-11-26T01:08:18.930Z"));
  EXPECT_EQ(a.ends_at, *ParseRfc3339("2026-11-26T01:12:18.930Z"));
  EXPECT_FALSE(a.ends_at_is_timeout);  // Prometheus sends its own end
  EXPECT_EQ(a.updated_at, kNow);
  EXPECT_NE(a.generator_url.view().find("\u0026g0.tab=1"), std::string::npos);  // \u0026 decoded
  EXPECT_EQ(a.generator_url.view().find("\\u0026"), std::string::npos);
  // Same labels as webhook-02's first alert, which Alertmanager fingerprinted.
  EXPECT_EQ(a.fingerprint.ToHex(), "4e0cdac755c2a543");
  EXPECT_FALSE(a.ResolvedAt(kNow));
}

TEST(AlertDecoderTest, PrometheusResolvedSampleIsResolved) {
  DecodeResult r = Decode(Sample("prometheus/03-resolved.body.json"));
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].ends_at, *ParseRfc3339("2026-11-26T01:08:42.930Z"));
  EXPECT_TRUE(r.alerts[0].ResolvedAt(kNow));
  EXPECT_EQ(r.alerts[0].fingerprint.ToHex(), "751258ec94f37824");
}

TEST(AlertDecoderTest, WebhookSamplesKeepAlertmanagersFingerprints) {
  struct Case {
    const char* file;
    std::vector<std::string> fingerprints;
  };
  for (const Case& c : {
           Case{"alertmanager/webhook-01-firing-one-alert.body.json", {"d74fba79f6e8b421"}},
           Case{"alertmanager/webhook-02-firing-two-alerts.body.json",
                {"4e0cdac755c2a543", "21aa38600e0db806"}},
           Case{"alertmanager/webhook-03-resolved.body.json", {"751258ec94f37824"}},
           Case{"alertmanager/webhook-04-repeat-after-repeat-interval.body.json",
                {"d74fba79f6e8b421"}},
       }) {
    SCOPED_TRACE(c.file);
    DecodeResult r = Decode(Sample(c.file), PayloadShape::kWebhook);
    EXPECT_EQ(Rejections(r), "");
    std::vector<std::string> got;
    for (const Alert& a : r.alerts) got.push_back(a.fingerprint.ToHex());
    EXPECT_EQ(got, c.fingerprints);
  }
}

TEST(AlertDecoderTest, WebhookFiringZeroEndGetsResolveTimeout) {
  DecodeResult r = Decode(Sample("alertmanager/webhook-01-firing-one-alert.body.json"));
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].starts_at, *ParseRfc3339("2026-11-26T01:08:25.941Z"));
  EXPECT_EQ(r.alerts[0].ends_at, kNow + minutes(5));
  EXPECT_TRUE(r.alerts[0].ends_at_is_timeout);
}

TEST(AlertDecoderTest, WebhookResolvedKeepsItsEnd) {
  DecodeResult r = Decode(Sample("alertmanager/webhook-03-resolved.body.json"));
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].ends_at, *ParseRfc3339("2026-11-26T01:08:49.941Z"));
  EXPECT_FALSE(r.alerts[0].ends_at_is_timeout);
}

TEST(AlertDecoderTest, Defaults) {
  DecodeResult r = Decode(R"({"labels":{"alertname":"A","empty":""}})");
  ASSERT_EQ(r.alerts.size(), 1u);
  const Alert& a = r.alerts[0];
  EXPECT_EQ(a.labels, (LabelSet{{"alertname", "A"}}));  // empty value dropped
  EXPECT_EQ(a.starts_at, kNow);
  EXPECT_EQ(a.ends_at, kNow + minutes(5));
  EXPECT_TRUE(a.ends_at_is_timeout);
  EXPECT_TRUE(a.annotations.empty());
  EXPECT_EQ(a.generator_url, "");
  EXPECT_EQ(a.fingerprint, (LabelSet{{"alertname", "A"}}).ComputeFingerprint());
}

TEST(AlertDecoderTest, StatusResolvedWithoutEndEndsNow) {
  DecodeResult r = Decode(R"({"labels":{"alertname":"A"},"status":"resolved"})");
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].ends_at, kNow);
  EXPECT_FALSE(r.alerts[0].ends_at_is_timeout);
  EXPECT_TRUE(r.alerts[0].ResolvedAt(kNow));

  r = Decode(R"({"labels":{"alertname":"A"},"status":"resolved",
                 "endsAt":"2026-11-26T01:00:00Z"})");
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].ends_at, *ParseRfc3339("2026-11-26T01:00:00Z"));

  r = Decode(R"({"labels":{"alertname":"A"},"status":"firing"})");
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_TRUE(r.alerts[0].ends_at_is_timeout);
}

TEST(AlertDecoderTest, NullOptionalFieldsAreAbsentAndUnknownFieldsIgnored) {
  DecodeResult r = Decode(
      R"({"labels":{"alertname":"A"},"annotations":null,"startsAt":null,"endsAt":null,)"
      R"("generatorURL":null,"status":null,"fingerprint":"0000000000000000","extra":[1,{}]})");
  EXPECT_EQ(Rejections(r), "");
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].fingerprint, (LabelSet{{"alertname", "A"}}).ComputeFingerprint());
}

// Each bad alert: the exact rejection. Alerts sit at index 1 of an array whose other elements
// are good, so each case also shows that one bad alert does not sink the others.
TEST(AlertDecoderTest, RejectsBadAlertsAndKeepsTheOthers) {
  struct Case {
    const char* why;
    const char* alert;
    const char* rejection;
  };
  const Case cases[] = {
      {"labels are required", R"({"annotations":{"summary":"s"}})",
       R"(line 1: $[1]: missing required field "labels")"},
      {"labels must be an object", R"({"labels":["alertname","A"]})",
       "line 1: $[1].labels: must be an object of strings"},
      {"label values are strings", R"({"labels":{"alertname":"A","code":500}})",
       "line 1: $[1].labels.code: must be a string"},
      {"label names follow Prometheus' rule", R"({"labels":{"alertname":"A","x-y":"1"}})",
       R"(line 1: $[1].labels: invalid label name "x-y")"},
      {"only empty values is no labels", R"({"labels":{"alertname":""}})",
       "line 1: $[1].labels: at least one label with a non-empty value is required"},
      {"annotation names too", R"({"labels":{"a":"1"},"annotations":{"1st":"x"}})",
       R"(line 1: $[1].annotations: invalid label name "1st")"},
      {"annotation values are strings", R"({"labels":{"a":"1"},"annotations":{"n":null}})",
       "line 1: $[1].annotations.n: must be a string"},
      {"bad time", R"({"labels":{"a":"1"},"endsAt":"yesterday"})",
       "line 1: $[1].endsAt: bad time \"yesterday\": malformed date (want RFC 3339, e.g. "
       "2026-11-26T01:08:18Z)"},
      {"times are strings", R"({"labels":{"a":"1"},"startsAt":1764119298})",
       "line 1: $[1].startsAt: must be a string"},
      {"end before start",
       R"({"labels":{"a":"1"},"startsAt":"2026-11-26T01:00:00Z","endsAt":"2026-11-26T00:59:59Z"})",
       "line 1: $[1].endsAt: end time must not be before start time"},
      {"bad status", R"({"labels":{"a":"1"},"status":"pending"})",
       R"(line 1: $[1].status: must be "firing" or "resolved", not "pending")"},
      {"status is a string", R"({"labels":{"a":"1"},"status":true})",
       R"(line 1: $[1].status: must be "firing" or "resolved")"},
      {"generatorURL is a string", R"({"labels":{"a":"1"},"generatorURL":7})",
       "line 1: $[1].generatorURL: must be a string"},
      {"elements are objects", R"("alert")", "line 1: $[1]: expected an alert object"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.why);
    std::string text = std::string(R"([{"labels":{"alertname":"Good1"}},)") + c.alert +
                       R"(,{"labels":{"alertname":"Good2"}}])";
    DecodeResult r = Decode(text);
    EXPECT_EQ(Rejections(r), std::string(c.rejection) + "\n");
    ASSERT_EQ(r.alerts.size(), 2u);
    EXPECT_EQ(r.alerts[0].labels.Get("alertname"), "Good1");
    EXPECT_EQ(r.alerts[1].labels.Get("alertname"), "Good2");
  }
}

TEST(AlertDecoderTest, SemanticErrorsPointAtTheLineOfTheField) {
  std::string text =
      "{\n"
      "  \"version\": \"4\",\n"
      "  \"alerts\": [\n"
      "    {\"labels\": {\"alertname\": \"A\"}},\n"
      "    {\n"
      "      \"labels\": {\"alertname\": \"B\"},\n"
      "      \"endsAt\": \"soon\"\n"
      "    }\n"
      "  ]\n"
      "}";
  DecodeResult r = Decode(text);
  EXPECT_EQ(Rejections(r),
            "line 7: $.alerts[1].endsAt: bad time \"soon\": malformed date (want RFC 3339, e.g. "
            "2026-11-26T01:08:18Z)\n");
  EXPECT_EQ(r.alerts.size(), 1u);
}

TEST(AlertDecoderTest, SyntaxErrorsCarryTheExactLine) {
  DecodeOptions options;
  options.now = kNow;
  DecodeResult r = DecodeJson("{\n  \"labels\": {\"a\": \"1\"}\n  \"endsAt\": 1\n}", 10, options);
  EXPECT_EQ(Rejections(r), "line 12: $: Missing a comma or '}' after an object member.\n");
  EXPECT_TRUE(r.alerts.empty());
}

TEST(AlertDecoderTest, RejectsInvalidUtf8NamingTheField) {
  DecodeResult r = Decode("{\"labels\":{\"alertname\":\"caf\xe9\"}}");
  EXPECT_EQ(Rejections(r), "line 1: $.labels.alertname: value is not valid UTF-8\n");
  r = Decode("{\"labels\":{\"a\":\"1\",\"\xff\":\"x\"}}");
  EXPECT_EQ(Rejections(r), "line 1: $.labels: a name is not valid UTF-8\n");
  r = Decode("{\"labels\":{\"a\":\"1\"},\"generatorURL\":\"http://\xc0\xaf\"}");
  EXPECT_EQ(Rejections(r), "line 1: $.generatorURL: value is not valid UTF-8\n");
  r = Decode("{\"labels\":{\"a\":\"1\"},\"status\":\"\xff\"}");
  EXPECT_EQ(Rejections(r), "line 1: $.status: must be \"firing\" or \"resolved\"\n");
  // Invalid bytes in a field no alert keeps do not matter.
  r = Decode("{\"labels\":{\"a\":\"1\"},\"extra\":\"\xff\"}");
  EXPECT_EQ(Rejections(r), "");
  EXPECT_EQ(r.alerts.size(), 1u);
}

// One alert with invalid UTF-8 does not sink the others of its array (the whole text used to be
// one syntax error).
TEST(AlertDecoderTest, InvalidUtf8RejectsOnlyItsAlert) {
  DecodeResult r = Decode(
      "[{\"labels\":{\"a\":\"1\"}},"
      "{\"labels\":{\"a\":\"2\"},\"annotations\":{\"s\":\"\xe9t\xe9\"}},"
      "{\"labels\":{\"a\":\"3\"}}]");
  EXPECT_EQ(Rejections(r), "line 1: $[1].annotations.s: value is not valid UTF-8\n");
  EXPECT_EQ(r.alerts.size(), 2u);
}

// Mail cannot carry NUL: a \u0000 in any kept string rejects the alert, naming the field.
TEST(AlertDecoderTest, RejectsNul) {
  DecodeResult r = Decode(R"({"labels":{"alertname":"a\u0000b"}})");
  EXPECT_EQ(Rejections(r),
            "line 1: $.labels.alertname: value contains a NUL character (\\u0000)\n");
  r = Decode(R"({"labels":{"a":"1"},"annotations":{"d":"\u0000"}})");
  EXPECT_EQ(Rejections(r), "line 1: $.annotations.d: value contains a NUL character (\\u0000)\n");
  r = Decode(R"({"labels":{"a":"1"},"generatorURL":"http://x/\u0000"})");
  EXPECT_EQ(Rejections(r), "line 1: $.generatorURL: value contains a NUL character (\\u0000)\n");
}

// Fuzzing (tests/fuzz/alert_decoder_fuzzer): valid UTF-8 text whose escape names a lone low
// surrogate ("\udc00") decoded to bytes that are not UTF-8 (ED B0 80), and the alert was kept.
TEST(AlertDecoderTest, RejectsEscapedLoneSurrogates) {
  DecodeResult r = Decode(R"({"labels":{"alertname":"a\udc00"}})");
  EXPECT_EQ(Rejections(r), "line 1: $.labels.alertname: value is not valid UTF-8\n");
  r = Decode(R"([{"labels":{"a":"1"},"annotations":{"s":"\udfff"}},{"labels":{"a":"2"}}])");
  EXPECT_EQ(Rejections(r), "line 1: $[0].annotations.s: value is not valid UTF-8\n");
  EXPECT_EQ(r.alerts.size(), 1u);
  r = Decode(R"({"labels":{"a":"1"},"generatorURL":"http://x/\udc00"})");
  EXPECT_EQ(Rejections(r), "line 1: $.generatorURL: value is not valid UTF-8\n");
  // A surrogate pair is one character, as before.
  r = Decode(R"({"labels":{"a":"\ud83d\ude00"}})");
  EXPECT_EQ(Rejections(r), "");
  ASSERT_EQ(r.alerts.size(), 1u);
  EXPECT_EQ(r.alerts[0].labels.Get("a"), "\xf0\x9f\x98\x80");
}

TEST(AlertDecoderTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  DecodeResult r = Decode(deep);
  EXPECT_EQ(Rejections(r), "line 1: $[0]: expected an alert object\n");
  r = Decode(std::string(100000, '['));
  EXPECT_EQ(Rejections(r), "line 1: $: Invalid value.\n");
}

TEST(AlertDecoderTest, ShapeSelection) {
  struct Case {
    const char* text;
    PayloadShape expect;
    const char* rejection;  // "" when accepted
  };
  const Case cases[] = {
      {"42", PayloadShape::kAny,
       "line 1: $: expected an alert object, an array of alerts, or an Alertmanager webhook "
       "document"},
      {R"({"alerts":"none"})", PayloadShape::kAny,
       "line 1: $: expected an alert object, an array of alerts, or an Alertmanager webhook "
       "document"},
      {R"({"status":"firing"})", PayloadShape::kAny,
       "line 1: $: expected an alert object, an array of alerts, or an Alertmanager webhook "
       "document"},
      {"[]", PayloadShape::kAny, ""},
      {R"({"version":"4","alerts":[]})", PayloadShape::kAny, ""},
      {R"({"labels":{"a":"1"}})", PayloadShape::kAlertArray,
       "line 1: $: expected an array of alerts"},
      {R"([{"labels":{"a":"1"}}])", PayloadShape::kWebhook,
       "line 1: $: expected an Alertmanager webhook document (an object with \"alerts\")"},
      {R"([{"labels":{"a":"1"}}])", PayloadShape::kAlert, "line 1: $: expected an alert object"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    DecodeResult r = Decode(c.text, c.expect);
    EXPECT_EQ(Rejections(r), *c.rejection ? std::string(c.rejection) + "\n" : "");
  }
}

}  // namespace
}  // namespace alertdigest
