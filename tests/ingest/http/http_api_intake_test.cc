// The intake endpoints against captured client payloads and bad input: what is submitted, and
// the exact answer (Alertmanager's status codes and {"code","message"} bodies).
#include <gtest/gtest.h>

#include <filesystem>

#include "ingest/alert_decoder.h"
#include "ingest/http/http_test_client.h"

namespace alertdigest::http_test {
namespace {

namespace fs = std::filesystem;

const std::vector<std::pair<std::string, std::string>> kPrometheusAgent = {
    {"User-Agent", "Prometheus/2.42.0+ds"}};

std::vector<fs::path> SampleFiles(const std::string& dir, const std::string& prefix) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(SamplesDir() / dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && name.size() > 10 &&
        name.substr(name.size() - 10) == ".body.json")
      out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// How many alerts the sample holds, by the decoder itself (all samples are valid).
size_t AlertsIn(const std::string& body, PayloadShape shape) {
  DecodeOptions options;
  options.now = FromUnixMillis(0) + std::chrono::hours(24 * 365 * 56);
  options.expect = shape;
  DecodeResult r = DecodeJson(body, 1, options);
  EXPECT_TRUE(r.rejected.empty());
  return r.alerts.size();
}

class IntakeTest : public HttpApiTest {
 protected:
  void SetUp() override { StartServer(); }
};

TEST_F(IntakeTest, PrometheusSamplesAreStoredWithSourcePrometheus) {
  std::vector<fs::path> files = SampleFiles("prometheus", "");
  ASSERT_EQ(files.size(), 4u);
  size_t expected = 0;
  for (const fs::path& f : files) {
    const std::string body = ReadFile(f);
    expected += AlertsIn(body, PayloadShape::kAlertArray);
    Response r = Post("/api/v2/alerts", body, kPrometheusAgent);
    EXPECT_EQ(r.status, 200) << f << ": " << r.body;
    EXPECT_EQ(r.body, "") << f;
  }
  std::vector<FakeIntake::Submission> subs = intake_.submissions();
  ASSERT_EQ(subs.size(), files.size());
  for (const auto& s : subs) EXPECT_EQ(s.source, "prometheus");
  EXPECT_EQ(intake_.submitted_alert_count(), expected);
  EXPECT_EQ(subs[0].alerts[0].labels.Get("alertname").substr(0, 7), "Harness");
  EXPECT_EQ(CounterValue("alertdigest_alerts_received_total", {{"source", "prometheus"}}),
            static_cast<double>(expected));
}

TEST_F(IntakeTest, OtherClientsOfTheAlertsApiCountAsApi) {
  Response r =
      Post("/api/v2/alerts", R"([{"labels":{"alertname":"X"}}])", {{"User-Agent", "curl/8.0"}});
  EXPECT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(intake_.submissions().size(), 1u);
  EXPECT_EQ(intake_.submissions()[0].source, "api");
}

TEST_F(IntakeTest, AlertmanagerWebhookSamplesAreStoredWithSourceAlertmanager) {
  std::vector<fs::path> files = SampleFiles("alertmanager", "webhook-");
  ASSERT_EQ(files.size(), 4u);
  size_t expected = 0;
  for (const fs::path& f : files) {
    const std::string body = ReadFile(f);
    expected += AlertsIn(body, PayloadShape::kWebhook);
    Response r = Post("/webhook/alertmanager", body, {{"User-Agent", "Alertmanager/0.25.0"}});
    EXPECT_EQ(r.status, 200) << f << ": " << r.body;
  }
  std::vector<FakeIntake::Submission> subs = intake_.submissions();
  ASSERT_EQ(subs.size(), files.size());
  for (const auto& s : subs) EXPECT_EQ(s.source, "alertmanager");
  EXPECT_EQ(intake_.submitted_alert_count(), expected);
}

TEST_F(IntakeTest, BadAlertsAreNamedAndTheGoodOnesStored) {
  const std::string body = R"([
    {"labels":{"alertname":"A"}},
    {"labels":{"alertname":"B","a-b":"x"}},
    {"labels":{"alertname":"C"}},
    {"labels":{"alertname":"D"},"endsAt":"yesterday"},
    {"labels":{"alertname":"E"}}])";
  Response r = Post("/api/v2/alerts", body, kPrometheusAgent);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.body,
            R"j({"code":400,"message":"2 of 5 alerts rejected: $[1].labels: invalid label name )j"
            R"j(\"a-b\"; $[3].endsAt: bad time \"yesterday\": malformed date (want RFC 3339, )j"
            R"j(e.g. 2026-11-26T01:08:18Z)"})j");
  std::vector<FakeIntake::Submission> subs = intake_.submissions();
  ASSERT_EQ(subs.size(), 1u);
  std::vector<std::string> names;
  for (const Alert& a : subs[0].alerts) names.emplace_back(a.labels.Get("alertname"));
  EXPECT_EQ(names, (std::vector<std::string>{"A", "C", "E"}));
  EXPECT_EQ(CounterValue("alertdigest_alerts_invalid_total",
                         {{"source", "prometheus"}, {"reason", "labels"}}),
            1);
  EXPECT_EQ(CounterValue("alertdigest_alerts_invalid_total",
                         {{"source", "prometheus"}, {"reason", "time"}}),
            1);
}

TEST_F(IntakeTest, BadAlertInAWebhookIsNamedByItsDocumentPath) {
  Response r =
      Post("/webhook/alertmanager",
           R"({"version":"4","status":"firing","alerts":[{"status":"firing","labels":{}}]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body,
            R"({"code":400,"message":"1 of 1 alerts rejected: $.alerts[0].labels: at least one )"
            R"(label with a non-empty value is required"})");
  EXPECT_TRUE(intake_.submissions().empty());
}

TEST_F(IntakeTest, InvalidJsonIsRefusedWithTheParserReasonAndLine) {
  Response r = Post("/api/v2/alerts", "[\n{\"labels\": }]", kPrometheusAgent);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"j({"code":400,"message":"$: Invalid value. (line 2)"})j");
  EXPECT_TRUE(intake_.submissions().empty());
  EXPECT_EQ(CounterValue("alertdigest_alerts_invalid_total",
                         {{"source", "prometheus"}, {"reason", "json"}}),
            1);
}

TEST_F(IntakeTest, InvalidUtf8IsRefusedNamingTheField) {
  Response r = Post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"\xff\"}}]");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"j({"code":400,"message":"1 of 1 alerts rejected: $[0].labels.alertname: )j"
                    R"j(value is not valid UTF-8"})j");
}

TEST_F(IntakeTest, AWebhookDocumentIsNotAnAlertArray) {
  Response r = Post("/api/v2/alerts", ReadFile(SamplesDir() / "alertmanager" /
                                               "webhook-01-firing-one-alert.body.json"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"j({"code":400,"message":"$: expected an array of alerts (line 1)"})j");
}

TEST_F(IntakeTest, AnEmptyArrayIsFine) {
  EXPECT_EQ(Post("/api/v2/alerts", "[]").status, 200);
  EXPECT_TRUE(intake_.submissions().empty());
}

TEST_F(IntakeTest, UnavailableIntakeAnswers503) {
  intake_.FailSubmit(Status::Unavailable("engine queue full"));
  Response r = Post("/api/v2/alerts", R"([{"labels":{"alertname":"X"}}])");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, R"({"code":503,"message":"submit alerts: engine queue full"})");
  intake_.FailSubmit(Status::IoError("commit: disk full"));
  EXPECT_EQ(Post("/webhook/alertmanager",
                 ReadFile(SamplesDir() / "alertmanager" / "webhook-01-firing-one-alert.body.json"))
                .status,
            503);
}

}  // namespace
}  // namespace alertdigest::http_test
