#include "core/compact_string.h"

#include <cstring>
#include <new>
#include <ostream>
#include <stdexcept>

namespace alertdigest {

void CompactString::Assign(std::string_view s) {
  if (s.empty()) {
    rep_ = nullptr;
    return;
  }
  if (s.size() > UINT32_MAX) throw std::length_error("CompactString larger than 4 GiB");
  auto size = static_cast<uint32_t>(s.size());
  rep_ = static_cast<char*>(::operator new(sizeof size + s.size()));
  std::memcpy(rep_, &size, sizeof size);
  std::memcpy(rep_ + sizeof size, s.data(), s.size());
}

CompactString& CompactString::operator=(const CompactString& other) {
  if (this != &other) *this = other.view();
  return *this;
}

CompactString& CompactString::operator=(CompactString&& other) noexcept {
  if (this != &other) {
    ::operator delete(rep_);
    rep_ = other.rep_;
    other.rep_ = nullptr;
  }
  return *this;
}

CompactString& CompactString::operator=(std::string_view s) {
  char* old = rep_;  // `s` may view this very string
  Assign(s);
  ::operator delete(old);
  return *this;
}

CompactString::~CompactString() { ::operator delete(rep_); }

size_t CompactString::size() const {
  if (rep_ == nullptr) return 0;
  uint32_t size;
  std::memcpy(&size, rep_, sizeof size);
  return size;
}

std::ostream& operator<<(std::ostream& os, const CompactString& s) { return os << s.view(); }

}  // namespace alertdigest
