// Fuzz target: a Nagios/Icinga notification — macros from the environment and the positional
// arguments (NagiosMacros), mapped to an alert or event (NagiosEvent::Parse, ToSpoolEntries) and
// printed as `alertdigest nagios --dry-run` does (SpoolEntryToJson).
//
// Input: one item per line. "NAGIOS_NAME=value" lines are environment variables (read through
// ReadEnvironment, as from `environ`), every other line is the next positional argument. An
// optional first line "#config {host_alertname = "X", extra_labels = ["A"], resolve = "timeout"}"
// is the [nagios] table, read and checked by the config loader. Seeds: the captured Nagios calls
// of tests/testdata/samples/nagios (tests/fuzz/make_seeds.py).
//
// Invariants: alert labels are valid (names, non-empty UTF-8 values) and fingerprinted; every
// value is valid UTF-8 (Latin-1 output is converted); the --dry-run line is valid JSON.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "config/config.h"
#include "core/utf8_validator.h"
#include "fuzz_support.h"
#include "ingest/nagios/nagios_event.h"

namespace alertdigest {
namespace {

void CheckUtf8(const LabelSet& labels, const char* what) {
  for (LabelView l : labels) {
    FUZZ_CHECK(IsValidUtf8(l.name) && IsValidUtf8(l.value),
               std::string(what) + " " + std::string(l.name));
  }
}

// [nagios] as the config loader reads and checks it; nullopt when it refuses it.
std::optional<NagiosConfig> ReadConfigLine(std::string_view table) {
  const std::string toml = "nagios = " + std::string(table) +
                           "\n[route]\nreceiver = \"r\"\n[[receiver]]\nname = \"r\"\n"
                           "to = [\"r@example.com\"]\n";
  ConfigLoad load = ParseConfig(toml, "/nonexistent/fuzz.toml");
  if (!load.config) return std::nullopt;
  return load.config->nagios;
}

}  // namespace
}  // namespace alertdigest

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alertdigest;
  static const bool quiet = (fuzz::QuietLogs(), true);
  (void)quiet;
  std::vector<std::string_view> lines = fuzz::Sections(fuzz::AsText(data, size), "\n");
  NagiosConfig cfg;
  size_t first = 0;
  if (!lines.empty() && lines[0].starts_with("#config ")) {
    std::optional<NagiosConfig> read = ReadConfigLine(lines[0].substr(8));
    if (!read) return -1;
    cfg = *read;
    first = 1;
  }
  std::vector<std::string> env_storage;
  std::vector<std::string> args;
  for (size_t i = first; i < lines.size(); ++i) {
    if (lines[i].starts_with("NAGIOS_"))
      env_storage.emplace_back(lines[i]);
    else
      args.emplace_back(lines[i]);
  }
  std::vector<char*> envp;
  for (std::string& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  NagiosMacros macros(NagiosMacros::ReadEnvironment(envp.data()), std::move(args));
  Result<NagiosEvent> event = NagiosEvent::Parse(macros, cfg);
  if (!event.ok()) return 0;
  for (const SpoolEntry& e : event->ToSpoolEntries(cfg, fuzz::kNow, std::chrono::minutes(5))) {
    if (e.kind == SpoolEntry::Kind::kAlert) {
      FUZZ_CHECK(!e.alert.labels.empty(), "alert without labels");
      for (LabelView l : e.alert.labels) {
        FUZZ_CHECK(IsValidLabelName(l.name), "label name " + std::string(l.name));
        FUZZ_CHECK(!l.value.empty(), "empty label " + std::string(l.name));
      }
      FUZZ_CHECK(e.alert.fingerprint == e.alert.labels.ComputeFingerprint(), "fingerprint");
      CheckUtf8(e.alert.labels, "label");
      CheckUtf8(e.alert.annotations, "annotation");
    } else {
      CheckUtf8(e.event_labels, "event label");
      FUZZ_CHECK(IsValidUtf8(e.author) && IsValidUtf8(e.comment), "event author/comment");
    }
    const std::string json = SpoolEntryToJson(e);
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.c_str(), json.size());
    FUZZ_CHECK(!doc.HasParseError() && doc.IsObject(),
               std::string("--dry-run line is not JSON: ") +
                   rapidjson::GetParseError_En(doc.GetParseError()) + ": " + json);
  }
  return 0;
}
