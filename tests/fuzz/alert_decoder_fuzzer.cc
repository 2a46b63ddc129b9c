// Fuzz target: alert JSON from outside — stdin through EventReader (record framing, JSON lines,
// Prometheus arrays, webhook documents, mixed) and one HTTP body through DecodeJson in each
// shape the endpoints expect.
//
// Invariants: every accepted alert is finalized (labels non-empty with valid names and non-empty
// UTF-8 values, fingerprint of its labels, both times set), every rejection says where and why, and
// an accepted alert written back as a JSON line (the API's JsonWriter) decodes to the same alert.
#include <sstream>

#include "core/clock.h"
#include "core/utf8_validator.h"
#include "fuzz_support.h"
#include "ingest/alert_decoder.h"
#include "ingest/event_reader.h"
#include "ingest/http/json_writer.h"

namespace alertdigest {
namespace {

void CheckLabels(const LabelSet& labels, const char* what, bool values_non_empty) {
  for (LabelView l : labels) {
    const std::string name(l.name);
    FUZZ_CHECK(IsValidLabelName(l.name), std::string(what) + " name " + name);
    if (values_non_empty) FUZZ_CHECK(!l.value.empty(), std::string(what) + " " + name + " is empty");
    FUZZ_CHECK(IsValidUtf8(l.value), std::string(what) + " " + name + " is not UTF-8");
  }
}

std::string AsJsonLine(const Alert& a) {
  http::JsonWriter w;
  w.BeginObject().Key("labels").BeginObject();
  for (LabelView l : a.labels) w.Key(l.name).String(l.value);
  w.EndObject().Key("annotations").BeginObject();
  for (LabelView l : a.annotations) w.Key(l.name).String(l.value);
  w.EndObject();
  w.Key("startsAt").Time(a.starts_at);
  if (!a.ends_at_is_timeout) w.Key("endsAt").Time(a.ends_at);
  w.Key("generatorURL").String(a.generator_url);
  return w.EndObject().Take();
}

void CheckAccepted(const Alert& a) {
  FUZZ_CHECK(!a.labels.empty(), "accepted alert without labels");
  CheckLabels(a.labels, "label", true);
  CheckLabels(a.annotations, "annotation", false);
  FUZZ_CHECK(a.fingerprint == a.labels.ComputeFingerprint(), "fingerprint not of the labels");
  FUZZ_CHECK(a.starts_at != kNoTime && a.ends_at != kNoTime, "alert not finalized");

  DecodeOptions again;
  again.now = fuzz::kNow;
  again.expect = PayloadShape::kAlert;
  const std::string line = AsJsonLine(a);
  DecodeResult r = DecodeJson(line, 1, again);
  FUZZ_CHECK(r.rejected.empty() && r.alerts.size() == 1,
             "re-encoded alert rejected: " + line +
                 (r.rejected.empty() ? "" : " — " + r.rejected[0].ToString()));
  const Alert& b = r.alerts[0];
  FUZZ_CHECK(b.labels == a.labels && b.annotations == a.annotations, "round trip: " + line);
  FUZZ_CHECK(b.generator_url == a.generator_url, "round trip generatorURL: " + line);
  FUZZ_CHECK(b.starts_at == a.starts_at, "round trip startsAt: " + line);
  if (!a.ends_at_is_timeout) FUZZ_CHECK(b.ends_at == a.ends_at, "round trip endsAt: " + line);
}

void CheckRejected(const RejectedEvent& r) {
  FUZZ_CHECK(r.line >= 1, "rejection without a line: " + r.ToString());
  FUZZ_CHECK(r.path.starts_with("$"), "rejection without a JSON path: " + r.ToString());
  FUZZ_CHECK(!r.reason.empty(), "rejection without a reason");
}

}  // namespace
}  // namespace alertdigest

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace alertdigest;
  static const bool quiet = (fuzz::QuietLogs(), true);
  (void)quiet;
  const std::string_view text = fuzz::AsText(data, size);

  // stdin: `alertdigest run`.
  ManualClock clock(fuzz::kNow);
  IngestOptions options;
  options.max_record_bytes = 1 << 16;
  EventReader reader(
      clock, options,
      [](std::vector<Alert>&& batch) {
        for (const Alert& a : batch) CheckAccepted(a);
      },
      CheckRejected);
  std::istringstream in{std::string(text)};
  reader.ReadAll(in, 3);

  // HTTP bodies: POST /api/v2/alerts (array), the webhook (document), JSON lines (one alert).
  for (PayloadShape shape : {PayloadShape::kAlertArray, PayloadShape::kWebhook,
                             PayloadShape::kAlert}) {
    DecodeOptions decode;
    decode.now = fuzz::kNow;
    decode.expect = shape;
    DecodeResult r = DecodeJson(text, 1, decode);
    for (const Alert& a : r.alerts) CheckAccepted(a);
    for (const RejectedEvent& e : r.rejected) CheckRejected(e);
  }
  return 0;
}
