// RejectedEvent: why one record or one alert of the input was not accepted, and where it is.
// Every ingest path (stdin, HTTP) reports rejections in this shape so nothing is dropped silently.
#pragma once

#include <string>

namespace alertdigest {

struct RejectedEvent {
  int line = 0;      // 1-based line of the input where the problem is
  std::string path;  // JSON path, "$", "$[3].labels.alertname", "$.alerts[0].endsAt"
  std::string reason;
  // "line 12: $[3].endsAt: bad time \"x\": …"
  std::string ToString() const;

  friend bool operator==(const RejectedEvent&, const RejectedEvent&) = default;
};

}  // namespace alertdigest
