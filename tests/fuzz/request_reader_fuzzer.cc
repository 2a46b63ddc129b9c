// Fuzz target: RequestReader, the event-loop server's HTTP/1.1 parser (request_reader.h), which
// reads raw bytes from any client. The input is a byte stream of pipelined requests; its first
// byte picks how the stream is split into reads.
// Invariants: no body is larger than max_body; a Content-Length body is exactly that long; and
// the requests (method, target, body) and the error that ends the stream are the same however
// the bytes are split — the parser may not care where one read ends.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ingest/http/request_reader.h"

namespace {

using alertdigest::http::RequestReader;
constexpr size_t kMaxBody = 4096;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

// What the reader made of the stream, fed `step` bytes at a time.
std::string Transcript(std::string_view stream, size_t step) {
  RequestReader r(kMaxBody);
  std::string out;
  size_t fed = 0;
  for (;;) {
    RequestReader::Step s = r.Advance();
    if (s == RequestReader::Step::kNeedMore) {
      if (fed == stream.size()) return out + "|incomplete";
      size_t n = std::min(step, stream.size() - fed);
      r.Feed(stream.substr(fed, n));
      fed += n;
      continue;
    }
    if (s == RequestReader::Step::kError) {
      return out + "|error " + std::to_string(r.error_status()) + " " + r.error();
    }
    if (s == RequestReader::Step::kHead) {
      r.ReadBody();
      continue;
    }
    // A whole request.
    Check(r.body().size() <= kMaxBody, "body larger than max_body");
    if (r.head().content_length) {
      Check(r.body().size() == *r.head().content_length, "body length != Content-Length");
    }
    out += "|" + r.head().method + " " + r.head().target + " " + std::to_string(r.body().size()) +
           ":" + r.body();
    r.NextRequest();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t step = 1 + data[0] % 64;
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string whole = Transcript(stream, stream.size() + 1);
  const std::string split = Transcript(stream, step);
  Check(whole == split, "the result depends on how the bytes were split");
  return 0;
}
