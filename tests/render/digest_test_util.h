// Builders for the digest and escalation render tests: a digest of the night to Monday
// 30 Nov 2026 08:00 in Europe/Berlin (07:00 UTC), and step 2 of 3 of an escalation.
#pragma once

#include <string>
#include <vector>

#include "render/digest_report.h"
#include "render_test_util.h"

namespace alertdigest::testing {

inline DigestEntry Entry(LabelSet labels, const char* starts, const char* ends = nullptr,
                         int fired_count = 1, std::string summary = "") {
  DigestEntry e;
  e.labels = std::move(labels);
  if (!summary.empty()) e.annotations.Set("summary", summary);
  e.starts_at = At(starts);
  if (ends != nullptr) e.ends_at = At(ends);
  e.fired_count = fired_count;
  e.fingerprint = e.labels.ComputeFingerprint();
  return e;
}

// 3 fired, 2 still open, 5 resolved, 1 flapping; noisiest, two events, one deferred alert.
inline DigestReport SampleDigest() {
  DigestReport r;
  r.rule = "morning";
  r.receiver = "team";
  r.timezone = "Europe/Berlin";
  r.window_start = At("2026-11-29T07:00:00Z");
  r.window_end = At("2026-11-30T07:00:00Z");
  r.generated_at = At("2026-11-30T07:00:01Z");
  r.fired = {
      Entry({{"alertname", "HighCPU"}, {"instance", "web-1"}}, "2026-11-30T03:48:00Z", nullptr,
            1, "CPU above 90% on web-1"),
      Entry({{"alertname", "DiskFull"}, {"instance", "db-1"}}, "2026-11-30T01:00:00Z",
            "2026-11-30T01:20:00Z"),
      Entry({{"alertname", "Flappy"}, {"instance", "x"}}, "2026-11-30T06:00:00Z",
            "2026-11-30T06:05:00Z", 4),
  };
  r.open = {
      Entry({{"alertname", "OldAlert"}, {"instance", "legacy"}}, "2026-11-27T10:00:00Z"),
      Entry({{"alertname", "HighCPU"}, {"instance", "web-1"}}, "2026-11-30T03:48:00Z", nullptr,
            1, "CPU above 90% on web-1"),
  };
  for (int i = 0; i < 5; ++i) {
    r.resolved.push_back(Entry({{"alertname", "Probe"}, {"target", "t" + std::to_string(i)}},
                               "2026-11-29T12:00:00Z", "2026-11-29T13:05:00Z"));
  }
  r.flapping = {Entry({{"alertname", "Flappy"}, {"instance", "x"}}, "2026-11-30T06:00:00Z",
                      "2026-11-30T06:05:00Z", 4)};
  r.noisiest_alertnames = {{"Probe", 5}, {"Flappy", 4}};
  r.noisiest_label_sets = {{"{alertname=\"Flappy\", instance=\"x\"}", 4}};
  DigestEvent flap;
  flap.type = "FLAPPINGSTART";
  flap.source = "nagios";
  flap.labels = {{"alertname", "Flappy"}, {"instance", "x"}};
  flap.at = At("2026-11-30T06:01:00Z");
  DigestEvent ack;
  ack.type = "ACKNOWLEDGEMENT";
  ack.source = "link";
  ack.labels = {{"alertname", "OldAlert"}, {"instance", "legacy"}};
  ack.author = "ann@example.com";
  ack.comment = "looking into it";
  ack.at = At("2026-11-30T06:30:00Z");
  r.events = {flap, ack};
  DigestDeferred held;
  held.labels = {{"alertname", "NightlyBackup"}, {"job", "backup"}};
  held.receiver = "team";
  held.interval = "night";
  held.first_at = At("2026-11-29T22:10:00Z");
  held.last_at = At("2026-11-30T04:55:00Z");
  r.deferred = {held};
  return r;
}

// Step 2 of 3 of policy "db" for the SampleNotification group, two firing alerts.
inline EscalationNotice SampleEscalation() {
  const Notification n = SampleNotification();
  EscalationNotice e;
  e.group_key = n.group_key;
  e.group_labels = n.group_labels;
  e.receiver = "team";
  e.policy = "db";
  e.step = 2;
  e.step_count = 3;
  e.recipients = {"Ann Oncall <ann@example.com>", "bob@example.com"};
  e.on_call_note = "ann@example.com is on call in db-primary";
  e.episode = 7;
  e.episode_started_at = At("2026-11-26T01:00:00Z");
  e.firing = n.firing;
  e.ack_url =
      "http://alerts.example.com:9095/ack/"
      "djEKe306e2FsZXJ0bmFtZT0iSGlnaENQVSIsIGNsdXN0ZXI9ImV1LTEifQo3CjE3OTQ1NDk2MDA-_x."
      "Qm9ndXNTaWduYXR1cmVGb3JUZXN0c09ubHlfX19fX19fX19fX19fX19fX18-_z";
  e.ack_expires_at = At("2026-11-28T02:00:00Z");
  e.now = At("2026-11-26T02:00:00Z");
  return e;
}

}  // namespace alertdigest::testing
