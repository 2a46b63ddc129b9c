// JsonWriter: builds compact JSON text for API answers, escaping strings as RFC 8259 requires.
// Bytes that are not valid UTF-8 are written as U+FFFD so the output is always valid JSON.
// The caller is responsible for well-formed nesting (Begin/End in pairs, Key before a value
// inside an object); there is no validation beyond that.
//
// Thread-safety: one writer per thread.
#pragma once

#include <string>
#include <string_view>

#include "core/json_quote.h"
#include "core/time.h"

namespace alertdigest::http {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(long long value);
  JsonWriter& Bool(bool value);
  // RFC 3339; an unset time (kNoTime) as Go's zero time "0001-01-01T00:00:00Z", which is what
  // Alertmanager writes and its clients (amtool) expect.
  JsonWriter& Time(Timestamp t);

  const std::string& text() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Separate();  // writes the comma between siblings
  void WriteQuoted(std::string_view s);

  std::string out_;
  bool need_comma_ = false;
};

using alertdigest::JsonQuote;  // one JSON string literal, quotes included (core/json_quote.h)

}  // namespace alertdigest::http
