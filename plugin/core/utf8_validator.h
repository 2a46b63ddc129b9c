// Fast UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), so
// the JSON parser can skip its own byte-by-byte check on the common, valid input. Internal to
// ingest.
#pragma once

#include <string_view>

namespace alertdigest {

// True when `text` is entirely valid UTF-8. ASCII runs cost about one load per 8 bytes.
bool IsValidUtf8(std::string_view text);

}  // namespace alertdigest
