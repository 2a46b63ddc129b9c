#include "ingest/record_splitter.h"

#include <fmt/format.h>

#include <cstring>

namespace alertdigest {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

RecordSplitter::RecordSplitter(std::istream& in, size_t max_record_bytes)
    : in_(in), max_record_bytes_(max_record_bytes) {}

bool RecordSplitter::Next(Record* record) {
  for (;;) {
    if (pos_ >= line_.size()) {
      if (!std::getline(in_, line_)) {
        line_.clear();
        pos_ = 0;
        if (!open_) return false;
        truncated_ = true;
        return Emit(record);
      }
      ++line_number_;
      pos_ = 0;
      if (open_) {
        if (!line_.empty() && (line_[0] == '{' || line_[0] == '[')) {
          truncated_ = true;  // the line stays unread: it starts the next record
          return Emit(record);
        }
        Append("\n");
        in_string_ = false;  // a JSON string never spans lines: resynchronise
      }
    }
    if (!open_) {
      while (pos_ < line_.size() && IsSpace(line_[pos_])) ++pos_;
      if (pos_ == line_.size()) continue;
      open_ = true;
      start_line_ = line_number_;
      text_.clear();
      size_ = 0;
      depth_ = 0;
      in_string_ = oversize_ = truncated_ = false;
      char c = line_[pos_];
      if (c != '{' && c != '[') {
        // Not a container: the rest of the line is one record, for the decoder to judge.
        size_t end = line_.size();
        while (end > pos_ && IsSpace(line_[end - 1])) --end;
        Append(std::string_view(line_).substr(pos_, end - pos_));
        pos_ = line_.size();
        return Emit(record);
      }
      kind_ = c == '{' ? Kind::kObject : Kind::kArray;
    }
    if (ScanOpenRecord()) return Emit(record);
  }
}

bool RecordSplitter::ScanOpenRecord() {
  const char* s = line_.data();
  const size_t n = line_.size();
  const size_t start = pos_;
  for (size_t i = pos_; i < n; ++i) {
    if (in_string_) {
      // Hot path: most bytes of a record are string contents. strcspn is vectorised; line_ is
      // NUL-terminated, and a NUL inside the line is stepped over.
      for (;;) {
        i += std::strcspn(s + i, "\"\\");
        if (i >= n || s[i] != '\0') break;
        ++i;
      }
      if (i >= n) break;
      if (s[i] == '\\') {
        ++i;  // skip the escaped byte
      } else {
        in_string_ = false;
      }
      continue;
    }
    switch (s[i]) {
      case '"':
        in_string_ = true;
        break;
      case '{':
      case '[':
        ++depth_;
        break;
      case '}':
      case ']':
        if (--depth_ == 0) {
          Append(std::string_view(line_).substr(start, i + 1 - start));
          pos_ = i + 1;
          return true;
        }
        break;
      default:
        break;
    }
  }
  Append(std::string_view(line_).substr(start));
  pos_ = n;
  return false;
}

void RecordSplitter::Append(std::string_view bytes) {
  size_ += bytes.size();
  if (oversize_) return;
  if (size_ > max_record_bytes_) {
    oversize_ = true;
    std::string().swap(text_);  // release the memory now
    return;
  }
  text_.append(bytes);
}

bool RecordSplitter::Emit(Record* record) {
  open_ = false;
  record->line = start_line_;
  record->text.clear();
  record->error.clear();
  if (truncated_) {
    record->error = fmt::format("unexpected end of record: unterminated {}",
                                kind_ == Kind::kObject ? "object" : "array");
  } else if (oversize_) {
    record->error = fmt::format("record larger than {} bytes", max_record_bytes_);
  } else {
    record->text.swap(text_);  // both buffers keep their capacity for the next records
  }
  return true;
}

}  // namespace alertdigest
