#include "ingest/rejected_event.h"

#include <fmt/format.h>

namespace alertdigest {

std::string RejectedEvent::ToString() const {
  return fmt::format("line {}: {}: {}", line, path, reason);
}

}  // namespace alertdigest
