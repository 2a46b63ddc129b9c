#include "ingest/http/request_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace alertdigest::http {
namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

// Whether a comma-separated field value (Connection, Transfer-Encoding) lists `token`.
bool ListsToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (EqualsNoCase(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

bool IsTokenChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// The length of the line that starts `in` (its CRLF at `eol`), or while its end has not arrived,
// as much of it as is certain — so a limit on it holds the same however reads split the bytes
// (a trailing CR may be the start of the CRLF).
size_t LineLength(std::string_view in, size_t eol) {
  if (eol != std::string_view::npos) return eol;
  return in.ends_with('\r') ? in.size() - 1 : in.size();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

const std::string* ParsedHead::Find(std::string_view name) const {
  for (const auto& [n, v] : fields)
    if (EqualsNoCase(n, name)) return &v;
  return nullptr;
}

RequestReader::Step RequestReader::Fail(int status, std::string message) {
  state_ = State::kError;
  error_status_ = status;
  error_ = std::move(message);
  return Step::kError;
}

void RequestReader::Compact() {
  if (pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  } else if (pos_ > 64 * 1024 && pos_ > buffer_.size() / 2) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
}

void RequestReader::NextRequest() {
  head_ = ParsedHead();
  body_.clear();
  chunk_phase_ = ChunkPhase::kSize;
  chunk_left_ = 0;
  state_ = State::kHead;
  Compact();
}

RequestReader::Step RequestReader::Advance() {
  switch (state_) {
    case State::kHead:
      return ParseHead();
    case State::kWaitingForCaller:
      return Step::kHead;
    case State::kBody:
      return head_.chunked ? ParseChunked() : ParseBody();
    case State::kDone:
      return Step::kBody;
    case State::kError:
      return Step::kError;
  }
  return Step::kError;
}

RequestReader::Step RequestReader::ParseHead() {
  std::string_view in(buffer_);
  in.remove_prefix(pos_);
  // Blank lines before a request are ignored (RFC 9112 §2.2).
  while (in.starts_with("\r\n")) {
    in.remove_prefix(2);
    pos_ += 2;
  }
  size_t end = in.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (in.size() > kMaxHeadBytes)
      return Fail(400, fmt::format("request head larger than {} bytes", kMaxHeadBytes));
    return Step::kNeedMore;
  }
  if (end + 4 > kMaxHeadBytes)
    return Fail(400, fmt::format("request head larger than {} bytes", kMaxHeadBytes));
  std::string_view head = in.substr(0, end + 2);  // every line with its CRLF
  pos_ += end + 4;

  size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  head.remove_prefix(eol + 2);
  // Method, target and version, separated by white space (as Poco splits them: a stray CR
  // ends the target too).
  auto next_word = [&line]() {
    auto space = [](char c) {
      return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
    };
    while (!line.empty() && space(line.front())) line.remove_prefix(1);
    size_t n = 0;
    while (n < line.size() && !space(line[n])) ++n;
    std::string_view word = line.substr(0, n);
    line.remove_prefix(n);
    return word;
  };
  std::string_view method = next_word();
  std::string_view target = next_word();
  std::string_view version = next_word();
  if (method.empty() || target.empty() || version.empty() || !next_word().empty())
    return Fail(400, "malformed request line");
  if (!std::all_of(method.begin(), method.end(), IsTokenChar))
    return Fail(400, "malformed request line");
  // As Poco reads it: anything up to the space (its URI parser judges the rest), not too long.
  if (target.size() > kMaxTargetBytes)
    return Fail(400, fmt::format("request target longer than {} bytes", kMaxTargetBytes));
  if (target.find('\0') != std::string_view::npos) return Fail(400, "malformed request target");
  if (version == "HTTP/1.1")
    head_.minor_version = 1;
  else if (version == "HTTP/1.0")
    head_.minor_version = 0;
  else
    return Fail(version.starts_with("HTTP/") ? 505 : 400, "unsupported HTTP version");
  head_.method = method;
  head_.target = target;

  while (!head.empty()) {
    eol = head.find("\r\n");
    line = head.substr(0, eol);
    head.remove_prefix(eol + 2);
    if (line.front() == ' ' || line.front() == '\t')
      return Fail(400, "obsolete header line folding");
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Fail(400, "malformed header line");
    std::string_view name = line.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), IsTokenChar) || name.size() > kMaxFieldNameBytes)
      return Fail(400, "malformed header name");
    std::string_view value = Trim(line.substr(colon + 1));
    if (value.size() > kMaxFieldValueBytes)
      return Fail(400, fmt::format("header field longer than {} bytes", kMaxFieldValueBytes));
    if (std::any_of(value.begin(), value.end(), [](char c) { return c == '\0' || c == '\r'; }))
      return Fail(400, "malformed header value");
    if (head_.fields.size() >= kMaxHeaderFields)
      return Fail(400, fmt::format("more than {} header fields", kMaxHeaderFields));
    head_.fields.emplace_back(name, value);
  }

  for (const auto& [name, value] : head_.fields) {
    if (EqualsNoCase(name, "Content-Length")) {
      uint64_t n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || p != value.data() + value.size() || value.empty() ||
          (head_.content_length && *head_.content_length != n))
        return Fail(400, "malformed Content-Length");
      head_.content_length = n;
    } else if (EqualsNoCase(name, "Transfer-Encoding")) {
      if (!EqualsNoCase(value, "chunked"))  // gzip and friends: not for an alert API
        return Fail(501, "only chunked transfer encoding is supported");
      head_.chunked = true;
    } else if (EqualsNoCase(name, "Connection")) {
      if (ListsToken(value, "close"))
        head_.keep_alive = false;
      else if (head_.minor_version == 0 && ListsToken(value, "keep-alive"))
        head_.keep_alive = true;
    } else if (EqualsNoCase(name, "Expect")) {
      head_.expect_continue = EqualsNoCase(value, "100-continue");
    }
  }
  if (head_.minor_version == 0) {
    const std::string* connection = head_.Find("Connection");
    head_.keep_alive = connection && ListsToken(*connection, "keep-alive");
  }
  if (head_.chunked && head_.content_length)
    return Fail(400, "both Content-Length and chunked transfer encoding");
  state_ = State::kWaitingForCaller;
  return Step::kHead;
}

void RequestReader::ReadBody() {
  state_ = State::kBody;
  // (The server's checks refuse this before for the routes that take a body: with their own
  // message, and without reading a byte of it.)
  if (head_.content_length && *head_.content_length > max_body_) {
    Fail(413, fmt::format("request body of {} bytes is larger than max_body ({} bytes)",
                          *head_.content_length, max_body_));
  }
}

RequestReader::Step RequestReader::ParseBody() {
  const uint64_t want = head_.content_length.value_or(0);
  const size_t take = static_cast<size_t>(std::min<uint64_t>(want - body_.size(), buffered()));
  body_.append(buffer_, pos_, take);
  pos_ += take;
  if (body_.size() < want) {
    if (buffer_.size() == pos_) {  // all consumed: keep the buffer small
      buffer_.clear();
      pos_ = 0;
    }
    return Step::kNeedMore;
  }
  state_ = State::kDone;
  return Step::kBody;
}

RequestReader::Step RequestReader::ParseChunked() {
  for (;;) {
    std::string_view in(buffer_);
    in.remove_prefix(pos_);
    switch (chunk_phase_) {
      case ChunkPhase::kSize: {
        size_t eol = in.find("\r\n");
        if (LineLength(in, eol) > kMaxChunkLineBytes) return Fail(400, "malformed chunk size line");
        if (eol == std::string_view::npos) return Step::kNeedMore;
        std::string_view line = in.substr(0, eol);
        line = line.substr(0, line.find(';'));  // chunk extensions are ignored
        line = Trim(line);
        uint64_t size = 0;
        auto [p, ec] = std::from_chars(line.data(), line.data() + line.size(), size, 16);
        if (line.empty() || ec != std::errc() || p != line.data() + line.size())
          return Fail(400, "malformed chunk size");
        pos_ += eol + 2;
        if (size > max_body_ - std::min<size_t>(max_body_, body_.size()))
          return Fail(413,
                      fmt::format("request body is larger than max_body ({} bytes)", max_body_));
        chunk_left_ = size;
        chunk_phase_ = size == 0 ? ChunkPhase::kTrailer : ChunkPhase::kData;
        break;
      }
      case ChunkPhase::kData: {
        const size_t take = static_cast<size_t>(std::min<uint64_t>(chunk_left_, in.size()));
        body_.append(in.substr(0, take));
        pos_ += take;
        chunk_left_ -= take;
        if (chunk_left_ > 0) {
          Compact();
          return Step::kNeedMore;
        }
        chunk_phase_ = ChunkPhase::kDataEnd;
        break;
      }
      case ChunkPhase::kDataEnd:
        if (in.size() < 2) return Step::kNeedMore;
        if (!in.starts_with("\r\n")) return Fail(400, "malformed chunk: no CRLF after its data");
        pos_ += 2;
        chunk_phase_ = ChunkPhase::kSize;
        break;
      case ChunkPhase::kTrailer: {
        size_t eol = in.find("\r\n");
        if (LineLength(in, eol) > kMaxHeadBytes) return Fail(400, "chunked trailer line too long");
        if (eol == std::string_view::npos) return Step::kNeedMore;
        pos_ += eol + 2;
        if (eol == 0) {  // the empty line: the body is complete
          state_ = State::kDone;
          return Step::kBody;
        }
        break;  // a trailer field: skipped
      }
    }
  }
}

}  // namespace alertdigest::http
