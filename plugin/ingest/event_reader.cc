#include "ingest/event_reader.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "ingest/alert_decoder.h"
#include "ingest/record_splitter.h"

namespace alertdigest {

EventReader::EventReader(const Clock& clock, IngestOptions options, AlertSink on_alerts,
                         RejectSink on_reject)
    : clock_(clock),
      options_(options),
      on_alerts_(std::move(on_alerts)),
      on_reject_(std::move(on_reject)) {}

size_t EventReader::ReadAll(std::istream& in, size_t batch_size) {
  batch_size = std::max<size_t>(batch_size, 1);
  RecordSplitter splitter(in, options_.max_record_bytes);
  Record record;
  DecodeResult decoded;
  std::vector<Alert> pending;
  size_t records = 0;

  auto hand_over = [&](size_t count) {
    if (count == 0) return;
    if (count == pending.size()) {
      on_alerts_(std::move(pending));
      pending = {};
      return;
    }
    std::vector<Alert> batch(std::make_move_iterator(pending.begin()),
                             std::make_move_iterator(pending.begin() + count));
    pending.erase(pending.begin(), pending.begin() + count);
    on_alerts_(std::move(batch));
  };

  DecodeOptions decode_options;
  decode_options.resolve_timeout = options_.resolve_timeout;
  while (splitter.Next(&record)) {
    ++records;
    if (!record.error.empty()) {
      on_reject_({record.line, "$", record.error});
    } else {
      decoded.alerts.clear();
      decoded.rejected.clear();
      decode_options.now = clock_.Now();
      DecodeJson(record.text, record.line, decode_options, &decoded);
      for (const RejectedEvent& r : decoded.rejected) on_reject_(r);
      if (pending.empty()) {
        pending.swap(decoded.alerts);
      } else {
        pending.insert(pending.end(), std::make_move_iterator(decoded.alerts.begin()),
                       std::make_move_iterator(decoded.alerts.end()));
      }
    }
    while (pending.size() >= batch_size) hand_over(batch_size);
    // Nothing more is waiting: hand over what we have before blocking on the stream (--follow).
    if (options_.hand_over_when_idle && !splitter.HasBufferedBytes() && in.rdbuf()->in_avail() <= 0)
      hand_over(pending.size());
  }
  hand_over(pending.size());
  return records;
}

}  // namespace alertdigest
