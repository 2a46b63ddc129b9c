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
#include "ingest/rejected_event.h"

namespace alertdigest {

struct IngestOptions {
  Duration resolve_timeout = std::chrono::minutes(5);
  size_t max_record_bytes = 64 << 20;  // larger records are rejected without parsing
  // Hand a partial batch over as soon as the stream has nothing more buffered (`--follow`:
  // a lone alert must not wait for 4095 others). Off for bulk input, where every batch costs
  // a commit.
  bool hand_over_when_idle = false;
};

class EventReader {
 public:
  using AlertSink = std::function<void(std::vector<Alert>&& batch)>;
  using RejectSink = std::function<void(const RejectedEvent&)>;

  EventReader(const Clock& clock, IngestOptions options, AlertSink on_alerts, RejectSink on_reject);

  // Reads until EOF. Alerts are finalized (fingerprint, defaults) with the clock's time at
  // receipt and handed to on_alerts in batches of up to `batch_size`, at EOF, and — with
  // options.hand_over_when_idle — whenever the stream has nothing more buffered.
  // "Nothing buffered" is `in.rdbuf()->in_avail() <= 0`: for std::cin call
  // std::ios::sync_with_stdio(false) first, or every record becomes its own batch.
  // Rejections go to on_reject as they are found (before the batch holding their neighbours).
  // Returns the number of records read, accepted or rejected (framing: record_splitter.h).
  size_t ReadAll(std::istream& in, size_t batch_size = 4096);

 private:
  const Clock& clock_;
  IngestOptions options_;
  AlertSink on_alerts_;
  RejectSink on_reject_;
};

}  // namespace alertdigest
