// Fuzz target: the template language itself, fast — MustacheTemplate::Compile (kainjow's parser,
// the partial scan with set-delimiter tags, the cycle check) and Render over the real view model,
// with partials in memory. template_fuzzer covers the same through EmailRenderer and files, at
// about a twentieth of the speed.
//
// Input: sections separated by a line "@@@@" (fuzz_support.h): the template, then the partials
// alert_text, alert_html, p3, p4, … Seeds: the built-in templates (tests/fuzz/make_seeds.py).
//
// Invariants: a template that compiles renders, with HTML escaping and without.
#include "config/config.h"
#include "fuzz_support.h"
#include "render/mustache_template.h"
#include "render/view_model.h"

namespace alertdigest {
namespace {

Alert MakeAlert(LabelSet labels, LabelSet annotations, int minutes_ago) {
  Alert a;
  a.labels = std::move(labels);
  a.annotations = std::move(annotations);
  a.starts_at = fuzz::kNow - std::chrono::minutes(minutes_ago);
  a.generator_url = "http://prometheus.example.com/graph?g0.expr=up";
  a.fingerprint = a.labels.ComputeFingerprint();
  return a;
}

const mustache::data& View() {
  static const mustache::data view = [] {
    Notification n;
    n.receiver = "team";
    n.group_key = "{}:{alertname=\"HighCPU\"}";
    n.group_labels = {{"alertname", "HighCPU"}};
    n.firing = {MakeAlert({{"alertname", "HighCPU"}, {"instance", "web-1"}},
                          {{"summary", "CPU <b>hot</b> {{x}}"}}, 30),
                MakeAlert({{"alertname", "HighCPU"}, {"instance", "web-2"}}, {}, 10)};
    Alert resolved = MakeAlert({{"alertname", "HighCPU"}, {"instance", "db-1"}}, {}, 90);
    resolved.ends_at = fuzz::kNow - std::chrono::minutes(5);
    n.resolved = {resolved};
    n.now = fuzz::kNow;
    n.ack_url = "http://alerts.example.com/ack/abc.def";
    Config config;
    config.server.external_url = "http://alerts.example.com";
    Receiver r;
    r.name = "team";
    r.to = {"team@example.com"};
    config.receivers.push_back(r);
    return BuildViewModel(n, config.receivers[0], config);
  }();
  return view;
}

}  // namespace
}  // namespace alertdigest

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alertdigest;
  const std::vector<std::string_view> sections =
      fuzz::Sections(fuzz::AsText(data, size), fuzz::kSectionSeparator);
  const MustacheTemplate::PartialLoader load =
      [&sections](const std::string& name) -> std::optional<TemplateText> {
    size_t i = 0;
    if (name == "alert_text") i = 1;
    else if (name == "alert_html") i = 2;
    else if (name.size() == 2 && name[0] == 'p' && name[1] >= '3' && name[1] <= '9')
      i = static_cast<size_t>(name[1] - '0');
    if (i == 0 || i >= sections.size()) return std::nullopt;
    return TemplateText{name + ".mustache", std::string(sections[i])};
  };
  for (auto escape : {MustacheTemplate::Escape::kHtml, MustacheTemplate::Escape::kNone}) {
    ConfigError error;
    std::optional<MustacheTemplate> t = MustacheTemplate::Compile(
        {"t.mustache", std::string(sections[0])}, escape, load, "receiver[0].html", &error);
    if (!t) {
      FUZZ_CHECK(!error.message.empty() && error.where.line >= 1, "error without message/line");
      return 0;
    }
    Result<std::string> out = t->Render(View());
    FUZZ_CHECK(out.ok(), "a compiled template does not render: " + out.status().message());
  }
  return 0;
}
