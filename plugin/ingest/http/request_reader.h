// RequestReader: HTTP/1.1 requests out of the bytes of one connection, incrementally, for the
// event-loop server (event_loop_server.h). Feed it what the socket gave; it says when a head is
// complete (so the server can check it before inviting or reading the body), then when the body
// is. Bodies: Content-Length or chunked (extensions and trailers skipped). Pipelined requests
// stay buffered for the next round.
//
// Limits, each an error (the server answers it and closes the connection), as Poco's are: a head
// over kMaxHeadBytes, a target over kMaxTargetBytes, more than kMaxHeaderFields fields, a field
// name or value too long, a malformed request line, header line, Content-Length or chunk size,
// or both Content-Length and chunked: 400; a transfer coding other than chunked: 501; an HTTP
// version other than 1.0 and 1.1: 505; a body over `max_body`: 413.
//
// Thread-safety: one reader per connection, used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alertdigest::http {

struct ParsedHead {
  std::string method;
  std::string target;
  int minor_version = 1;  // HTTP/1.<minor>
  std::vector<std::pair<std::string, std::string>> fields;
  std::optional<uint64_t> content_length;
  bool chunked = false;
  bool expect_continue = false;
  bool keep_alive = true;  // HTTP/1.1 unless "Connection: close"; 1.0 only with "keep-alive"

  // The first value of field `name` (case-insensitive), or nullptr.
  const std::string* Find(std::string_view name) const;
};

class RequestReader {
 public:
  static constexpr size_t kMaxHeadBytes = 64 * 1024;
  static constexpr size_t kMaxTargetBytes = 16 * 1024;
  static constexpr size_t kMaxHeaderFields = 100;
  static constexpr size_t kMaxFieldNameBytes = 256;
  static constexpr size_t kMaxFieldValueBytes = 8192;
  static constexpr size_t kMaxChunkLineBytes = 1024;

  enum class Step {
    kNeedMore,  // feed more bytes
    kHead,      // head() is complete: check it, then call ReadBody() (or Skip the request)
    kBody,      // body() is complete: the request is whole
    kError,     // error_status() / error(): answer it and close
  };

  explicit RequestReader(size_t max_body) : max_body_(max_body) {}

  // Appends bytes from the socket.
  void Feed(std::string_view bytes) { buffer_.append(bytes); }
  bool HasBufferedBytes() const { return buffer_.size() > pos_; }
  size_t buffered() const { return buffer_.size() - pos_; }

  // Advances: kHead once per request, then (after the caller's ReadBody) kBody.
  Step Advance();
  // After kHead: read the body too (for a request without one, the next Advance says kBody).
  void ReadBody();

  const ParsedHead& head() const { return head_; }
  std::string& body() { return body_; }
  // After kBody: forget this request; the next Advance works on the next one (pipelining).
  void NextRequest();
  // True once a byte of the current request has arrived (for idle vs. slow connections).
  bool InRequest() const { return state_ != State::kHead || HasBufferedBytes(); }

  int error_status() const { return error_status_; }
  const std::string& error() const { return error_; }

 private:
  enum class State { kHead, kWaitingForCaller, kBody, kDone, kError };
  enum class ChunkPhase { kSize, kData, kDataEnd, kTrailer };

  Step ParseHead();
  Step ParseBody();
  Step ParseChunked();
  Step Fail(int status, std::string message);
  void Compact();

  size_t max_body_;
  std::string buffer_;
  size_t pos_ = 0;  // bytes of buffer_ consumed
  State state_ = State::kHead;
  ParsedHead head_;
  std::string body_;
  ChunkPhase chunk_phase_ = ChunkPhase::kSize;
  uint64_t chunk_left_ = 0;
  int error_status_ = 0;
  std::string error_;
};

}  // namespace alertdigest::http
