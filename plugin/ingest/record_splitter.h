// RecordSplitter: frames a byte stream into records, each one top-level JSON value, without
// parsing them. Internal to ingest (EventReader uses it).
//
// Framing rules:
//   - A record starts at a '{' or '[' and ends where that value closes; depth is counted outside
//     strings (escapes understood), so several values may share a line: `{…}{…}`.
//   - While a record is open, a line that starts at column 0 with '{' or '[' begins a new record;
//     the open one is returned as an error, "unexpected end of record: unterminated object"
//     (or array). So does a record still open at EOF.
//   - Blank lines and whitespace between records are skipped. Anything else at depth 0 (`hello`,
//     `42`) is one record reaching to the end of its line; the decoder then rejects it.
//   - A record longer than max_record_bytes is returned as the error "record larger than N bytes"
//     without its text (it is skipped, not kept in memory, apart from the current line).
//
// Thread-compatible.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

namespace alertdigest {

struct Record {
  std::string text;   // the value's bytes; lines joined with '\n'; empty when error is set
  int line = 0;       // 1-based line of the record's first byte
  std::string error;  // non-empty when the record was rejected by framing
};

class RecordSplitter {
 public:
  // Reads from `in`, which must outlive the splitter.
  RecordSplitter(std::istream& in, size_t max_record_bytes);

  // Fills *record with the next record; false at EOF (then *record is untouched). Reuses the
  // record's buffer. Blocks reading `in` only when it holds no complete record already.
  bool Next(Record* record);

  // True when a line already read still holds unread bytes (more records may be ready without
  // touching the stream).
  bool HasBufferedBytes() const { return pos_ < line_.size(); }

 private:
  enum class Kind { kObject, kArray };

  // Scans line_ from pos_ while a record is open; true when the record closed.
  bool ScanOpenRecord();
  void Append(std::string_view bytes);
  bool Emit(Record* record);

  std::istream& in_;
  size_t max_record_bytes_;

  std::string line_;  // the current line, without its '\n'
  size_t pos_ = 0;    // next unread byte of line_
  int line_number_ = 0;

  // The open record, if any.
  bool open_ = false;
  Kind kind_ = Kind::kObject;
  int depth_ = 0;
  bool in_string_ = false;
  bool oversize_ = false;
  bool truncated_ = false;
  int start_line_ = 0;
  size_t size_ = 0;
  std::string text_;
};

}  // namespace alertdigest
