// Reads alert events from a byte stream (stdin) and auto-detects, record by record:
//   - JSON lines: one alert object per line ({"labels":…, "annotations":…, "startsAt":…,
//     "endsAt":…, "generatorURL":…, optional "status": "firing"|"resolved"});
//   - a JSON array of alerts in Prometheus' POST /api/v2/alerts shape (one line or pretty);
//   - Alertmanager webhook v4 documents ({"version":"4","alerts":[…],…}), one per line or
//     pretty-printed, concatenated.
// A record ends where its top-level value closes. While a record is open, a line that starts at
// column 0 with '{' or '[' begins a new record and the open one is reported as truncated.
// Each bad record or bad alert is reported with its line, JSON path and reason; the rest go on.
//
// Thread-compatible: one reader per stream.
#pragma once

#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "core/alert.h"
#include "core/clock.h"

namespace alertdigest {

struct RejectedEvent {
  int line = 0;      // 1-based line of the input where the problem is
  std::string path;  // JSON path, "$", "$[3].labels.alertname", "$.alerts[0].endsAt"
  std::string reason;
  // "line 12: $[3].endsAt: bad time \"x\": …"
  std::string ToString() const;
};

struct IngestOptions {
  Duration resolve_timeout = std::chrono::minutes(5);
  size_t max_record_bytes = 64 << 20;  // larger records are rejected without parsing
};

class EventReader {
 public:
  using AlertSink = std::function<void(std::vector<Alert>&& batch)>;
  using RejectSink = std::function<void(const RejectedEvent&)>;

  EventReader(const Clock& clock, IngestOptions options, AlertSink on_alerts,
              RejectSink on_reject);

  // Reads until EOF. Alerts are finalized (fingerprint, defaults) with the clock's time at
  // receipt and handed to on_alerts in batches of up to `batch_size`, and also whenever the
  // stream has nothing more buffered (so `--follow` hands over promptly), and at EOF.
  // Returns the number of records read.
  size_t ReadAll(std::istream& in, size_t batch_size = 4096);

 private:
  const Clock& clock_;
  IngestOptions options_;
  AlertSink on_alerts_;
  RejectSink on_reject_;
};

}  // namespace alertdigest
