// Fuzz target: user templates, loaded the way a config names them — EmailRenderer::Create with
// a receiver whose subject/text/html are template files, an extra header that is a template, and
// partials in the config's templates/ directory — then rendered into a whole email (view model,
// Mustache, MIME) for a group notification and an escalation mail.
//
// Input: sections separated by a line "@@@@" (fuzz_support.h): subject, text, html, the value of
// header X-Fuzz, then partials alert_text, alert_html (which override the built-ins, also in the
// escalation templates), p2, p3, … A missing section means the built-in template. Seeds: the
// built-in templates/*.mustache (tests/fuzz/make_seeds.py).
//
// Invariants: a template that compiles renders; the message has CRLF line ends only, no line
// longer than 998 octets, and exactly one Subject and one X-Fuzz header whatever the templates
// print (template output cannot add a header).
#include <fstream>

#include "config/config.h"
#include "fuzz_support.h"
#include "render/email_renderer.h"

namespace alertdigest {
namespace {

namespace fs = std::filesystem;

Alert MakeAlert(LabelSet labels, LabelSet annotations, int minutes_ago) {
  Alert a;
  a.labels = std::move(labels);
  a.annotations = std::move(annotations);
  a.starts_at = fuzz::kNow - std::chrono::minutes(minutes_ago);
  a.ends_at = kNoTime;
  a.generator_url = "http://prometheus.example.com/graph?g0.expr=up&g0.tab=1";
  a.fingerprint = a.labels.ComputeFingerprint();
  return a;
}

std::vector<Alert> Firing() {
  return {MakeAlert({{"alertname", "HighCPU"}, {"instance", "web-1"}, {"severity", "critical"}},
                    {{"summary", "CPU \"hot\" on <b>web-1</b> & more"},
                     {"description", "line 1\r\nSubject: injected\r\n\r\nline 3"}},
                    30),
          MakeAlert({{"alertname", "HighCPU"}, {"instance", "wéb-2 ✓"}, {"severity", "critical"}},
                    {{"summary", std::string(1200, 'x')}}, 10)};
}

Notification SampleNotification() {
  Notification n;
  n.receiver = "team";
  n.group_key = "{}:{alertname=\"HighCPU\"}";
  n.group_labels = {{"alertname", "HighCPU"}};
  n.firing = Firing();
  Alert resolved = MakeAlert({{"alertname", "HighCPU"}, {"instance", "db-1"}}, {}, 90);
  resolved.ends_at = fuzz::kNow - std::chrono::minutes(5);
  n.resolved.push_back(resolved);
  n.now = fuzz::kNow;
  n.ack_url = "http://alerts.example.com/ack/abc.def";
  return n;
}

EscalationNotice SampleEscalation() {
  EscalationNotice e;
  e.group_key = "{}:{alertname=\"HighCPU\"}";
  e.group_labels = {{"alertname", "HighCPU"}};
  e.receiver = "team";
  e.policy = "oncall";
  e.step = 2;
  e.step_count = 3;
  e.recipients = {"oncall@example.com"};
  e.episode = 7;
  e.episode_started_at = fuzz::kNow - std::chrono::hours(1);
  e.firing = Firing();
  e.ack_url = "http://alerts.example.com/ack/abc.def";
  e.ack_expires_at = fuzz::kNow + std::chrono::hours(24);
  e.now = fuzz::kNow;
  return e;
}

void WriteFile(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

size_t CountHeader(std::string_view headers, std::string_view name) {
  size_t n = 0;
  for (size_t at = 0; at < headers.size();) {
    const size_t end = headers.find("\r\n", at);
    const std::string_view line = headers.substr(at, end - at);
    n += line.starts_with(name) && line.substr(name.size()).starts_with(":");
    if (end == std::string_view::npos) break;
    at = end + 2;
  }
  return n;
}

void CheckMessage(const Email& email) {
  const std::string& m = email.data;
  size_t line_start = 0;
  for (size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '\r') {
      FUZZ_CHECK(i + 1 < m.size() && m[i + 1] == '\n', "bare CR in the message");
      FUZZ_CHECK(i - line_start <= 998, "line longer than 998 octets");
      line_start = i + 2;
      ++i;
    } else {
      FUZZ_CHECK(m[i] != '\n', "bare LF in the message");
    }
  }
  const size_t end_of_headers = m.find("\r\n\r\n");
  FUZZ_CHECK(end_of_headers != std::string::npos, "no end of headers");
  const std::string_view headers(m.data(), end_of_headers + 2);
  FUZZ_CHECK(CountHeader(headers, "Subject") == 1, "not exactly one Subject header");
}

}  // namespace
}  // namespace alertdigest

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alertdigest;
  static const bool quiet = (fuzz::QuietLogs(), true);
  (void)quiet;
  const std::vector<std::string_view> sections =
      fuzz::Sections(fuzz::AsText(data, size), fuzz::kSectionSeparator);

  const fs::path dir = fuzz::ScratchDir();
  const fs::path templates = dir / "templates";
  std::error_code ec;
  fs::remove_all(templates, ec);
  fs::create_directories(templates);

  Config config;
  config.base_dir = dir.string();
  config.templates_dir = templates.string();
  config.smtp.from = "Alerts <alerts@example.com>";
  config.server.external_url = "http://alerts.example.com";
  Receiver r;
  r.name = "team";
  r.to = {"Team <team@example.com>"};
  TemplateRef* refs[] = {&r.subject, &r.text, &r.html};
  const char* names[] = {"subject", "text", "html"};
  for (size_t i = 0; i < 3 && i < sections.size(); ++i) {
    const fs::path path = dir / (std::string(names[i]) + ".mustache");
    WriteFile(path, sections[i]);
    *refs[i] = {path.string(), {"config.toml", 1}, std::string("receiver[0].") + names[i]};
  }
  if (sections.size() > 3) r.headers.emplace("X-Fuzz", std::string(sections[3]));
  for (size_t i = 4; i < sections.size(); ++i) {
    const std::string name =
        i == 4 ? "alert_text" : i == 5 ? "alert_html" : "p" + std::to_string(i - 4);
    WriteFile(templates / (name + ".mustache"), sections[i]);
  }
  config.receivers.push_back(r);

  std::vector<ConfigError> errors;
  std::unique_ptr<EmailRenderer> renderer = EmailRenderer::Create(config, &errors);
  if (!renderer) {
    FUZZ_CHECK(!errors.empty(), "Create failed without an error");
    for (const ConfigError& e : errors) FUZZ_CHECK(!e.message.empty(), "error without message");
    return 0;
  }
  Result<Email> email = renderer->Render(SampleNotification(), EpisodeThread{});
  FUZZ_CHECK(email.ok(), "a compiled template does not render: " + email.status().message());
  CheckMessage(*email);
  if (sections.size() > 3) {
    const size_t end = email->data.find("\r\n\r\n");
    FUZZ_CHECK(CountHeader(std::string_view(email->data).substr(0, end + 2), "X-Fuzz") == 1,
               "not exactly one X-Fuzz header");
  }
  Result<Email> escalation = renderer->RenderEscalation(SampleEscalation(), EpisodeThread{});
  FUZZ_CHECK(escalation.ok(), "escalation does not render: " + escalation.status().message());
  CheckMessage(*escalation);
  return 0;
}
