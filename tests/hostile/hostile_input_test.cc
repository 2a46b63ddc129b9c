// Hostile input against the real `alertdigest serve`: each case shows the exact outcome — refused
// with a reason, or accepted and rendered inert in the .eml files (read back with Python's email
// package) — and that a normal alert is still accepted afterwards. docs/RELIABILITY.md lists the
// cases and their outcomes.
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <sstream>
#include <thread>

#include "hostile/hostile_harness.h"

namespace alertdigest::hostile {
namespace {

// group_wait 0s: mails are written at once. Route and inhibit matchers are regexes built to
// backtrack (RE2 runs them in linear time).
const char* kConfig = R"(
[server]
listen = "127.0.0.1:PORT"
external_url = "http://127.0.0.1:PORT"
ack_key_file = "ack.key"
[storage]
path = "state.db"
[delivery]
transport = "file"
file_dir = "outbox"
[defaults]
group_wait = "0s"
group_interval = "1s"
[route]
receiver = "ops"
group_by = ["alertname", "cluster"]
[[route.routes]]
matchers = ['alertname=~"(a+)+$"']
receiver = "regex"
[[route.routes]]
matchers = ['alertname="Escalate"']
escalation = "oncall"
[[inhibit_rule]]
source_matchers = ['x=~"(x|x)*y"']
target_matchers = ['alertname=~"(.*a){20}"']
[[receiver]]
name = "ops"
to = ["ops@example.com"]
[[receiver]]
name = "regex"
to = ["regex@example.com"]
[[escalation]]
name = "oncall"
steps = [{ after = "0s", to = ["oncall@example.com"] }]
)";

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    d_ = std::make_unique<Daemon>(kConfig, std::map<std::string, std::string>{
                                               {"ack.key", "hostile-test-ack-key-0123456789\n"}});
    ASSERT_TRUE(d_->ready()) << d_->Logs();
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << d_->Logs();
  }
  HttpResponse Post(const std::string& body) { return d_->PostAlerts(body); }
  std::string Error(int code, const std::string& message) {
    return R"({"code":)" + std::to_string(code) + R"(,"message":)" + Json(message) + "}";
  }

  std::unique_ptr<Daemon> d_;
};

bool Has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

// The header section of a raw message, with a CRLF before the first line (so "\r\nBcc:" finds
// a header at the start too).
std::string HeaderLines(const std::string& eml) {
  return "\r\n" + eml.substr(0, eml.find("\r\n\r\n") + 2);
}

TEST_F(HostileInputTest, CrLfInLabelsAnnotationsAndUrlNeverMakesAHeader) {
  HttpResponse r = Post("[{\"labels\":{\"alertname\":" + Json("Disk\r\nBcc: evil@example.com") +
                        ",\"cluster\":" + Json("eu\r\nX-Injected: yes") +
                        ",\"instance\":" + Json("i\r\n\r\n<html>body</html>") +
                        "},\"annotations\":{\"summary\":" + Json("s\r\nSubject: forged") +
                        ",\"description\":" + Json("line1\r\n.\r\nline3") + "},\"generatorURL\":" +
                        Json("http://x.example/\r\nBcc: y@example.com") + "}]");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto mails = d_->WaitForMails("X-Alertdigest-Kind: notification");
  ASSERT_EQ(mails.size(), 1u);
  const std::string raw = ReadFile(mails[0]);
  const std::string headers = HeaderLines(raw);
  for (const char* forged :
       {"\r\nBcc:", "\r\nX-Injected:", "\r\nSubject: forged", "\r\n\r\n<html>"})
    EXPECT_FALSE(Has(headers, forged)) << forged << "\n" << headers;

  auto eml = Parsed(mails[0]);
  EXPECT_EQ(eml["defects.length"], "0");
  EXPECT_EQ(eml["bare_line_ends"], "false");
  EXPECT_EQ(eml["seven_bit"], "true");
  EXPECT_EQ(eml["headers.To"], "\"ops@example.com\"");
  EXPECT_EQ(eml["headers.Bcc"], "");  // no such header
  // CR and LF became spaces, and the subject is one line with single spaces.
  EXPECT_EQ(eml["headers.Subject"],
            "\"[alertdigest] Disk Bcc: evil@example.com (cluster=eu X-Injected: yes)\"");
  // In the bodies they are just text: the description keeps its lines (a lone "." too).
  EXPECT_TRUE(Has(Unquoted(eml["text"]), "line1\r\n.\r\nline3")) << eml["text"];
  // Nor does it forge a log line: values are quoted with \r \n escaped.
  std::istringstream log(d_->Stderr());
  for (std::string line; std::getline(log, line);) EXPECT_TRUE(line.starts_with("ts=")) << line;
  EXPECT_TRUE(Has(d_->Stderr(), R"(alertname=\"Disk\\r\\nBcc: evil@example.com\")"));
  EXPECT_TRUE(d_->StillServing());
}

TEST_F(HostileInputTest, NulAndInvalidUtf8AreRejectedNamingTheField) {
  HttpResponse nul = Post(R"([{"labels":{"alertname":"Nul\u0000x"}}])");
  EXPECT_EQ(nul.status, 400);
  EXPECT_EQ(nul.body, Error(400,
                            "1 of 1 alerts rejected: $[0].labels.alertname: value contains "
                            "a NUL character (\\u0000)"));

  // One bad alert does not sink the good one before it.
  HttpResponse latin1 = Post(
      "[{\"labels\":{\"alertname\":\"GoodNeighbour\"}},"
      "{\"labels\":{\"alertname\":\"Bad\"},\"annotations\":{\"summary\":\"caf\xe9\"}}]");
  EXPECT_EQ(latin1.status, 400);
  EXPECT_EQ(latin1.body, Error(400,
                               "1 of 2 alerts rejected: $[1].annotations.summary: value is "
                               "not valid UTF-8"));
  EXPECT_TRUE(Has(Http(d_->port(), "GET", "/api/v2/alerts").body, "GoodNeighbour"));

  HttpResponse name = Post("[{\"labels\":{\"alertname\":\"A\",\"\xff\xfe\":\"x\"}}]");
  EXPECT_EQ(name.body,
            Error(400, "1 of 1 alerts rejected: $[0].labels: a name is not valid UTF-8"));
  HttpResponse overlong =
      Post("[{\"labels\":{\"alertname\":\"A\"},\"generatorURL\":\"\xc0\xaf\"}]");
  EXPECT_EQ(overlong.body,
            Error(400, "1 of 1 alerts rejected: $[0].generatorURL: value is not valid UTF-8"));
  HttpResponse webhook = Http(d_->port(), "POST", "/webhook/alertmanager",
                              R"({"version":"4","status":"firing","alerts":[)"
                              R"({"labels":{"alertname":"W"},"annotations":{"d":"\u0000"}}]})");
  EXPECT_EQ(webhook.body, Error(400,
                                "1 of 1 alerts rejected: $.alerts[0].annotations.d: value "
                                "contains a NUL character (\\u0000)"));

  // Not JSON at all: a raw control character or a lone surrogate rejects the whole body.
  EXPECT_EQ(Post("[{\"labels\":{\"alertname\":\"a\x01\"}}]").body,
            Error(400, "$: Invalid escape character in string. (line 1)"));
  EXPECT_EQ(Post(R"([{"labels":{"alertname":"\ud800"}}])").body,
            Error(400, "$: The surrogate pair in string is invalid. (line 1)"));
  EXPECT_TRUE(d_->StillServing());
}

TEST_F(HostileInputTest, OversizedValuesAndCountsAreRefusedByTheLimits) {
  HttpResponse big =
      Post(R"([{"labels":{"alertname":"Big","big":")" + std::string(1000000, 'v') + R"("}}])");
  EXPECT_EQ(big.status, 400);
  EXPECT_EQ(big.body, Error(400,
                            "1 of 1 alerts rejected: $[0].labels.big: value is 1000000 "
                            "bytes, more than max_label_value_length (65536)"));

  std::string many = R"([{"labels":{"alertname":"Many")";
  for (int i = 0; i < 10000; ++i) many += ",\"l" + std::to_string(i) + "\":\"v\"";
  HttpResponse labels = Post(many + "}}]");
  EXPECT_EQ(labels.body, Error(400,
                               "1 of 1 alerts rejected: $[0].labels: 10001 labels, more than "
                               "max_labels_per_alert (128)"));

  HttpResponse name =
      Post(R"([{"labels":{"alertname":"A",")" + std::string(2000, 'n') + R"(":"v"}}])");
  EXPECT_EQ(name.body,
            Error(400, "1 of 1 alerts rejected: $[0].labels: label name \"" + std::string(32, 'n') +
                           "…\" is 2000 bytes, more than max_label_name_length (1024)"));

  std::string alerts = "[";
  for (int i = 0; i <= 10000; ++i) alerts += std::string(i ? "," : "") + R"({"labels":{"a":"b"}})";
  HttpResponse count = Post(alerts + "]");
  EXPECT_EQ(count.status, 413);
  EXPECT_EQ(count.body, Error(413,
                              "10001 alerts in one request, more than "
                              "max_alerts_per_request (10000); nothing was accepted"));
  EXPECT_TRUE(d_->StillServing());
}

TEST_F(HostileInputTest, MegabyteAnnotationIsAcceptedAndCutInTheMail) {
  // 1,000,000 bytes fit max_body (1 MiB); annotations have no per-value limit at intake.
  HttpResponse r = Post(R"([{"labels":{"alertname":"HugeNote"},"annotations":{"description":")" +
                        std::string(1000000, 'd') + R"(","runbook_url":"https://x.example/)" +
                        std::string(20000, 'r') + R"("}}])");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto mails = d_->WaitForMails("HugeNote");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_LT(fs::file_size(mails[0]), 32u * 1024) << "2000 characters of it, in text and HTML";
  auto eml = Parsed(mails[0]);
  const std::string text = Unquoted(eml["text"]);
  EXPECT_TRUE(Has(text, "Description: " + std::string(2000, 'd') + "…\r\n")) << text.substr(0, 300);
  EXPECT_FALSE(Has(text, std::string(2001, 'd')));
  EXPECT_FALSE(Has(text, "Runbook:")) << "a 20 kB URL is no link";
  EXPECT_EQ(eml["html_links.length"], "0");
  EXPECT_TRUE(d_->StillServing());
}

TEST_F(HostileInputTest, HtmlAndScriptInEveryFieldAreEscapedInEveryMailAndPage) {
  const std::string script = "<script>alert(1)</script>";
  HttpResponse r =
      Post("[{\"labels\":{\"alertname\":\"Escalate\",\"cluster\":" + Json(script) +
           ",\"instance\":" + Json("<img src=x onerror=alert(1)>") + ",\"team\":" +
           Json("\"><svg onload=alert(1)>") + "},\"annotations\":{\"summary\":" + Json(script) +
           ",\"description\":" + Json("<b>bold</b> & <a href=\"javascript:alert(1)\">x</a>") +
           ",\"runbook_url\":" + Json("javascript:alert('runbook')") +
           "},\"generatorURL\":" + Json("javascript:alert('generator')") +
           "},"
           "{\"labels\":{\"alertname\":\"Escalate\",\"cluster\":" +
           Json(script) + ",\"instance\":\"two\"},\"generatorURL\":" +
           Json("https://prom.example/graph?g0.expr=up\"><script>alert(2)</script>") + "}]");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto notification = d_->WaitForMails("Escalate", 1, "notification");
  const auto escalation = d_->WaitForMails("Escalate", 1, "escalation");
  ASSERT_EQ(notification.size(), 1u);
  ASSERT_EQ(escalation.size(), 1u);

  for (const std::string& mail : {notification[0], escalation[0]}) {
    SCOPED_TRACE(mail);
    auto eml = Parsed(mail);
    const std::string html = Unquoted(eml["html"]);
    for (const char* tag : {"<script", "<img", "<svg", "<b>", "<a href=\"javascript"})
      EXPECT_FALSE(Has(html, tag)) << tag;
    EXPECT_TRUE(Has(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Every link is http(s): javascript: URLs are not made links; the quote in the second
    // alert's URL stays inside the attribute.
    const int links = std::stoi(eml["html_links.length"]);
    for (int i = 0; i < links; ++i) {
      const std::string link = Unquoted(eml["html_links[" + std::to_string(i) + "]"]);
      EXPECT_TRUE(link.starts_with("http://") || link.starts_with("https://")) << link;
    }
    // In text/plain the same values are inert text, shown as they are.
    EXPECT_TRUE(Has(Unquoted(eml["text"]), script));
    EXPECT_EQ(eml["defects.length"], "0");
  }
  // The second alert's URL is a link, its quote and tags kept inside the attribute.
  auto note = Parsed(notification[0]);
  std::vector<std::string> links;
  for (int i = 0; i < std::stoi(note["html_links.length"]); ++i)
    links.push_back(Unquoted(note["html_links[" + std::to_string(i) + "]"]));
  EXPECT_NE(std::find(links.begin(), links.end(),
                      "https://prom.example/graph?g0.expr=up\"><script>alert(2)</script>"),
            links.end());

  // The acknowledgement page of the escalation shows the same labels, escaped.
  const std::string text = Unquoted(Parsed(escalation[0])["text"]);
  const size_t at = text.find("/ack/");
  ASSERT_NE(at, std::string::npos) << text;
  const std::string path = text.substr(at, text.find_first_of(" \n", at) - at);
  HttpResponse page = Http(d_->port(), "GET", path);
  EXPECT_EQ(page.status, 200);
  EXPECT_FALSE(Has(page.body, "<script>")) << page.body;
  EXPECT_TRUE(Has(page.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  HttpResponse done = Http(d_->port(), "POST", path,
                           "by=%3Cscript%3Ealert(3)%3C%2Fscript%3E&comment=%7B%7Bby%7D%7D",
                           "application/x-www-form-urlencoded");
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_FALSE(Has(done.body, "<script>alert(3)")) << done.body;
  EXPECT_TRUE(Has(done.body, "&lt;script&gt;alert(3)&lt;/script&gt;")) << done.body;
  EXPECT_TRUE(d_->StillServing());
}

TEST_F(HostileInputTest, TemplateSyntaxInValuesIsRenderedLiterally) {
  HttpResponse r = Post(R"([{"labels":{"alertname":"{{alertname}}","cluster":"{{{receiver}}}",)"
                        R"("instance":"{{=<% %>=}}<%receiver%>"},"annotations":{)"
                        R"("summary":"{{#firing}}LOOP{{/firing}}{{> alert_text}}",)"
                        R"("description":"{{&receiver}} {{!comment}} {{"}}])");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto mails = d_->WaitForMails("X-Alertdigest-Kind: notification");
  ASSERT_EQ(mails.size(), 1u);
  auto eml = Parsed(mails[0]);
  EXPECT_EQ(eml["headers.Subject"], "\"[alertdigest] {{alertname}} (cluster={{{receiver}}})\"");
  const std::string text = Unquoted(eml["text"]);
  for (const char* literal :
       {"* {{#firing}}LOOP{{/firing}}{{> alert_text}}\r\n", "instance={{=<% %>=}}<%receiver%>",
        "Description: {{&receiver}} {{!comment}} {{\r\n"})
    EXPECT_TRUE(Has(text, literal)) << literal << "\n" << text;
  EXPECT_TRUE(Has(Unquoted(eml["html"]), "{{#firing}}LOOP{{/firing}}{{&gt; alert_text}}"));
  EXPECT_TRUE(d_->StillServing());
}

TEST_F(HostileInputTest, DeeplyNestedJsonIsRefusedWithoutExhaustingTheStack) {
  const int depth = 100000;
  const std::string arrays = std::string(depth, '[') + std::string(depth, ']');
  EXPECT_EQ(Post(arrays).body,
            Error(400, "1 of 1 alerts rejected: $[0]: expected an alert object"));
  std::string objects;
  for (int i = 0; i < depth; ++i) objects += R"({"a":)";
  objects += "1" + std::string(depth, '}');
  EXPECT_EQ(Post(objects).body, Error(400, "$: expected an array of alerts (line 1)"));
  EXPECT_EQ(Post(R"([{"labels":{"alertname":"A","deep":)" + arrays + "}}]").body,
            Error(400, "1 of 1 alerts rejected: $[0].labels.deep: must be a string"));
  EXPECT_EQ(Post(std::string(depth, '[')).body, Error(400, "$: Invalid value. (line 1)"));
  // The silence and acknowledgement APIs parse JSON too (this crashed the daemon: RapidJSON's
  // recursive parser overflowed the worker's stack).
  const std::string unclosed(400000, '[');
  HttpResponse silence = Http(d_->port(), "POST", "/api/v2/silences", unclosed);
  EXPECT_EQ(silence.status, 400);
  EXPECT_EQ(silence.body, "\"bad silence: invalid JSON at offset 400000: Invalid value.\"");
  HttpResponse ack = Http(d_->port(), "POST", "/api/v1/ack", unclosed);
  EXPECT_EQ(ack.body, Error(400,
                            "bad acknowledgement: invalid JSON at offset 400000: Invalid "
                            "value."));
  EXPECT_TRUE(d_->StillServing());
}

TEST_F(HostileInputTest, GigabyteBodyIsRefusedBeforeItIsSent) {
  const std::string expected_body =
      Error(413, "request body of 1073741824 bytes is larger than max_body (1048576 bytes)");
  for (const std::string expect : {"", "Expect: 100-continue\r\n"}) {
    SCOPED_TRACE(expect);
    int fd = ConnectLoopback(d_->port());
    ASSERT_GE(fd, 0);
    const std::string head =
        "POST /api/v2/alerts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 1073741824\r\n" +
        expect + "\r\n";
    const auto sent = Clock::now();
    ASSERT_EQ(send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
    // Not one byte of the body is sent: the answer comes anyway, at once, and no
    // "100 Continue" invites the body first.
    const std::string answer = ReadResponse(fd, milliseconds(5000), /*stop_at_body_end=*/false);
    EXPECT_LT(Clock::now() - sent, milliseconds(2000));
    EXPECT_EQ(StatusOf(answer), 413) << answer;
    EXPECT_EQ(BodyOf(answer), expected_body);
    EXPECT_TRUE(Has(answer, "Connection: Close\r\n"))
        << "the unread body is not taken as a request";
    close(fd);
  }
  EXPECT_TRUE(d_->StillServing());
}

TEST_F(HostileInputTest, MalformedRequestsAreRefused) {
  EXPECT_EQ(StatusOf(RawExchange(d_->port(), "GARBAGE\r\n\r\n")), 400);
  EXPECT_EQ(StatusOf(RawExchange(
                d_->port(), "GET /" + std::string(20000, 'u') + " HTTP/1.1\r\nHost: x\r\n\r\n")),
            400);
  std::string fields = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 200; ++i) fields += "X-F" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(StatusOf(RawExchange(d_->port(), fields + "\r\n")), 400) << "more than 100 fields";
  EXPECT_EQ(StatusOf(RawExchange(d_->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " +
                                                 std::string(20000, 'h') + "\r\n\r\n")),
            400);
  const std::string bad_escape =
      RawExchange(d_->port(), "GET /api/v2/alerts?filter=%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(StatusOf(bad_escape), 400) << bad_escape;
  EXPECT_EQ(StatusOf(RawExchange(d_->port(), "GET /ack/%00%0d%0a HTTP/1.1\r\nHost: x\r\n\r\n")),
            403);
  EXPECT_TRUE(d_->StillServing());
}

// Slowloris: many connections sending their headers a byte at a time (and one its body, one
// nothing at all). Each is cut 10 s (request_timeout) after it connected; a normal request is
// answered meanwhile.
TEST_F(HostileInputTest, SlowlorisConnectionsAreCutAndOthersStillServed) {
  constexpr int kSlow = 24;  // 3 × the worker threads
  std::vector<int> fds;
  for (int i = 0; i < kSlow + 2; ++i) fds.push_back(ConnectLoopback(d_->port()));
  const std::string body_head =
      "POST /api/v2/alerts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 1000\r\n\r\n";
  send(fds[kSlow], body_head.data(), body_head.size(), MSG_NOSIGNAL);
  const auto start = Clock::now();
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    const std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 'a');
    for (size_t i = 0; !stop.load(); ++i) {
      for (int k = 0; k < kSlow; ++k) send(fds[k], &head[i % head.size()], 1, MSG_NOSIGNAL);
      send(fds[kSlow], "[", 1, MSG_NOSIGNAL);  // the body, as slowly; fds[kSlow + 1] sends nothing
      std::this_thread::sleep_for(milliseconds(500));
    }
  });
  std::this_thread::sleep_for(milliseconds(1000));
  const std::string answer = RawExchange(
      d_->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", seconds(20));
  const auto served_after = Clock::now() - start;
  EXPECT_EQ(StatusOf(answer), 200) << answer;
  EXPECT_LT(served_after, seconds(14)) << "10 s request timeout + slack";

  // Every slow connection was closed by the server (EOF or reset), while still trickling: by
  // 10 s after it connected (the normal request did not wait for that).
  int closed = 0;
  for (int fd : fds) {
    pollfd p{fd, POLLIN, 0};
    char c[256];
    const auto left = std::chrono::duration_cast<milliseconds>(start + seconds(14) - Clock::now());
    if (poll(&p, 1, static_cast<int>(std::max<int64_t>(left.count(), 100))) > 0) {
      ssize_t n = recv(fd, c, sizeof c, MSG_DONTWAIT);
      if (n <= 0) ++closed;
    }
  }
  stop.store(true);
  trickle.join();
  for (int fd : fds) close(fd);
  EXPECT_EQ(closed, kSlow + 2);
  const std::string metrics = Http(d_->port(), "GET", "/metrics").body;
  EXPECT_TRUE(std::regex_search(
      metrics, std::regex("alertdigest_http_slow_connections_cut_total (2[5-9]|[3-9][0-9])\n")))
      << metrics.substr(0, 2000);
  EXPECT_FALSE(Has(Http(d_->port(), "GET", "/api/v2/alerts").body, "\"labels\""))
      << "the trickled body was never taken as alerts";
  EXPECT_TRUE(d_->StillServing());
}

// RE2 runs in time linear in the input: patterns that make backtracking engines explode, matched
// against 60,000-character values, in silences (the amtool API), route and inhibit matchers and
// API filters, cost milliseconds. Patterns too big to compile are refused.
TEST_F(HostileInputTest, BacktrackingRegexesAreHarmless) {
  HttpResponse silence =
      Http(d_->port(), "POST", "/api/v2/silences",
           R"({"matchers":[{"name":"alertname","value":"(a+)+$","isRegex":true,"isEqual":true},)"
           R"({"name":"x","value":"(x|x)*y","isRegex":true,"isEqual":true}],)"
           R"("startsAt":"2020-01-01T00:00:00Z","endsAt":"2999-01-01T00:00:00Z",)"
           R"("createdBy":"test","comment":"evil regex"})");
  ASSERT_EQ(silence.status, 200) << silence.body;
  const std::string id = silence.body.substr(14, 36);  // {"silenceID":"…"}

  const std::string as(60000, 'a'), xs(60000, 'x');
  auto timed_post = [&](const std::string& alertname, const std::string& x) {
    const auto t = Clock::now();
    HttpResponse r =
        Post(R"([{"labels":{"alertname":")" + alertname + R"(","x":")" + x + R"("}}])");
    EXPECT_LT(Clock::now() - t, milliseconds(3000));  // backtracking would take ages
    return r.status;
  };
  EXPECT_EQ(timed_post(as + "!", xs), 200);  // matches nothing: the worst case for backtracking
  EXPECT_EQ(timed_post(as, xs + "y"), 200);  // matches both: silenced

  const auto t = Clock::now();
  HttpResponse filtered =
      Http(d_->port(), "GET", "/api/v2/alerts?filter=alertname%3D~%22%28a%2B%29%2B%24%22");
  EXPECT_LT(Clock::now() - t, milliseconds(3000));
  EXPECT_EQ(filtered.status, 200);
  EXPECT_TRUE(Has(filtered.body, R"("silencedBy":[")" + id + "\"]"))
      << filtered.body.substr(0, 300);
  EXPECT_FALSE(Has(filtered.body, as + "!"));

  HttpResponse huge =
      Http(d_->port(), "POST", "/api/v2/silences",
           R"({"matchers":[{"name":"alertname","value":"(\\pL{100}){10}","isRegex":true}],)"
           R"("startsAt":"2020-01-01T00:00:00Z","endsAt":"2999-01-01T00:00:00Z",)"
           R"("createdBy":"test","comment":"too big"})");
  EXPECT_EQ(huge.status, 400);
  EXPECT_EQ(huge.body,
            "\"bad silence: matchers[0]: bad regex \\\"(\\\\pL{100}){10}\\\": "
            "pattern too large - compile failed\"");

  // `routes test` walks the same route tree from the command line.
  std::string out;
  const auto cli = Clock::now();
  EXPECT_EQ(e2e::RunCapture(std::string(AD_BINARY) + " routes test -c " + d_->Path("config.toml") +
                                " alertname=" + as + "b x=" + xs,
                            &out),
            0)
      << out.substr(0, 500);
  EXPECT_LT(Clock::now() - cli, milliseconds(3000));
  EXPECT_TRUE(d_->StillServing());
}

}  // namespace
}  // namespace alertdigest::hostile
