// CompactString: text in one pointer (8 bytes instead of std::string's 32; no allocation when
// empty), for per-alert text that is set once and rarely read (Alert::generator_url). Reads as a
// std::string_view. Value type: copying allocates once, moving never; moved-from is empty.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

namespace alertdigest {

class CompactString {
 public:
  CompactString() noexcept = default;
  CompactString(std::string_view s) { Assign(s); }  // NOLINT(google-explicit-constructor)
  CompactString(const CompactString& other) { Assign(other.view()); }
  CompactString(CompactString&& other) noexcept : rep_(other.rep_) { other.rep_ = nullptr; }
  CompactString& operator=(const CompactString& other);
  CompactString& operator=(CompactString&& other) noexcept;
  CompactString& operator=(std::string_view s);
  ~CompactString();

  void assign(const char* data, size_t size) { *this = std::string_view(data, size); }

  // Like std::string's, data() is never null (SQLite binds a null pointer as NULL, not '').
  std::string_view view() const {
    if (rep_ == nullptr) return std::string_view("", 0);
    return {rep_ + sizeof(uint32_t), size()};
  }
  operator std::string_view() const { return view(); }  // NOLINT(google-explicit-constructor)
  std::string str() const { return std::string(view()); }
  bool empty() const { return rep_ == nullptr; }
  size_t size() const;
  const char* data() const { return view().data(); }

  friend bool operator==(const CompactString& a, const CompactString& b) {
    return a.view() == b.view();
  }
  friend bool operator==(const CompactString& a, std::string_view b) { return a.view() == b; }

 private:
  void Assign(std::string_view s);

  char* rep_ = nullptr;  // [uint32 size][characters], or nullptr when empty
};

std::ostream& operator<<(std::ostream& os, const CompactString& s);

}  // namespace alertdigest
