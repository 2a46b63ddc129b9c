#include "core/label_set.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <new>
#include <stdexcept>

#include <fmt/format.h>

namespace alertdigest {
namespace {

// ---- The block --------------------------------------------------------------------------------
// [uint32 count][Entry × count][characters]. Label i's characters are [end(i-1), end(i)): its
// inline name (if any) then its value.
struct Entry {
  uint32_t name;  // kInterned | id in the name table, or the length of the inline name
  uint32_t end;
};
constexpr uint32_t kInterned = 0x80000000u;
constexpr size_t kHeader = sizeof(uint32_t);

uint32_t CountOf(const char* rep) {
  uint32_t n;
  std::memcpy(&n, rep, sizeof n);
  return n;
}
const Entry* EntriesOf(const char* rep) { return reinterpret_cast<const Entry*>(rep + kHeader); }
const char* CharsOf(const char* rep, uint32_t count) {
  return rep + kHeader + count * sizeof(Entry);
}
size_t BlockSize(const char* rep) {
  uint32_t n = CountOf(rep);
  return kHeader + n * sizeof(Entry) + EntriesOf(rep)[n - 1].end;
}

// ---- The name table ---------------------------------------------------------------------------
// Open addressing over a fixed array; slots are only ever filled (never changed or freed), so
// readers need no lock: an id is a slot index. At most kMaxInternedNames of kSlots are used (a
// race may overshoot by a few), so probing always finds a free slot or the name.
// A slot holds [uint32 size][characters].
constexpr size_t kSlots = 4096;
static_assert(kSlots >= 2 * LabelSet::kMaxInternedNames);
std::atomic<const char*> g_names[kSlots];
std::atomic<size_t> g_name_count{0};

std::string_view InternedText(const char* n) {
  uint32_t size;
  std::memcpy(&size, n, sizeof size);
  return {n + sizeof size, size};
}

std::string_view NameOf(uint32_t id) {
  return InternedText(g_names[id].load(std::memory_order_acquire));
}

// The id of `name`, interning it if the table has room; kNotInterned if not interned.
constexpr uint32_t kNotInterned = ~0u;
uint32_t Intern(std::string_view name) {
  // Names decoders will reject (hostile input) do not take room from real ones.
  if (name.size() > LabelSet::kMaxInternedNameLength || !IsValidLabelName(name))
    return kNotInterned;
  size_t slot = Fnv1a64().Add(name).value() % kSlots;
  for (size_t probe = 0; probe < kSlots; ++probe, slot = (slot + 1) % kSlots) {
    const char* n = g_names[slot].load(std::memory_order_acquire);
    if (n == nullptr) {
      if (g_name_count.load(std::memory_order_relaxed) >= LabelSet::kMaxInternedNames)
        return kNotInterned;
      // Lives as long as the process (the table is append-only and bounded).
      auto size = static_cast<uint32_t>(name.size());
      auto* fresh = static_cast<char*>(::operator new(sizeof size + name.size()));
      std::memcpy(fresh, &size, sizeof size);
      std::memcpy(fresh + sizeof size, name.data(), name.size());
      if (g_names[slot].compare_exchange_strong(n, fresh, std::memory_order_acq_rel,
                                                std::memory_order_acquire)) {
        g_name_count.fetch_add(1, std::memory_order_relaxed);
        return static_cast<uint32_t>(slot);
      }
      ::operator delete(fresh);  // another thread filled the slot first: `n` is its name
    }
    if (InternedText(n) == name) return static_cast<uint32_t>(slot);
  }
  return kNotInterned;
}

std::string_view NameAt(const char* rep, uint32_t count, uint32_t i) {
  const Entry& e = EntriesOf(rep)[i];
  if (e.name & kInterned) return NameOf(e.name & ~kInterned);
  uint32_t start = i ? EntriesOf(rep)[i - 1].end : 0;
  return {CharsOf(rep, count) + start, e.name};
}

// The first index whose name is not less than `name` (names are sorted).
uint32_t LowerBound(const char* rep, uint32_t count, std::string_view name) {
  uint32_t lo = 0, hi = count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (NameAt(rep, count, mid) < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Sorts by name keeping the input order among equal names, keeps the last of each name, drops
// empty values when asked. No allocation for the usual handful of labels.
void SortUnique(std::vector<LabelView>* v, bool drop_empty_values) {
  auto by_name = [](const LabelView& a, const LabelView& b) { return a.name < b.name; };
  if (!std::is_sorted(v->begin(), v->end(), by_name)) {
    if (v->size() <= 32) {
      for (size_t i = 1; i < v->size(); ++i) {  // insertion sort: stable
        LabelView x = (*v)[i];
        size_t j = i;
        for (; j > 0 && x.name < (*v)[j - 1].name; --j) (*v)[j] = (*v)[j - 1];
        (*v)[j] = x;
      }
    } else {
      std::stable_sort(v->begin(), v->end(), by_name);
    }
  }
  size_t out = 0;
  for (size_t i = 0; i < v->size(); ++i) {
    if (i + 1 < v->size() && (*v)[i + 1].name == (*v)[i].name) continue;
    if (drop_empty_values && (*v)[i].value.empty()) continue;
    (*v)[out++] = (*v)[i];
  }
  v->resize(out);
}

std::vector<LabelView> ViewsOf(const LabelSet& s) {
  std::vector<LabelView> v;
  v.reserve(s.size() + 1);
  for (LabelView l : s) v.push_back(l);
  return v;
}

[[noreturn]] void TooLarge() { throw std::length_error("label set larger than 4 GiB"); }

// Go's strconv.Quote for the characters label values realistically hold.
void AppendQuoted(std::string* out, std::string_view v) {
  out->push_back('"');
  for (unsigned char c : v) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) *out += fmt::format("\\x{:02x}", c);
        else out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

}  // namespace

// ---- LabelSet ---------------------------------------------------------------------------------

LabelView LabelSet::At(const char* rep, uint32_t i) {
  uint32_t count = CountOf(rep);
  const Entry& e = EntriesOf(rep)[i];
  uint32_t start = i ? EntriesOf(rep)[i - 1].end : 0;
  const char* chars = CharsOf(rep, count);
  if (e.name & kInterned) return {NameOf(e.name & ~kInterned), {chars + start, e.end - start}};
  return {{chars + start, e.name}, {chars + start + e.name, e.end - start - e.name}};
}

char* LabelSet::Build(const LabelView* labels, size_t n) {
  if (n == 0) return nullptr;
  if (n > (UINT32_MAX - kHeader) / sizeof(Entry)) TooLarge();
  // Names first: interning may fail, then the name goes inline.
  std::vector<Entry> stack_entries;  // only for sets too large for the array below
  Entry small[16];
  Entry* entries = small;
  if (n > std::size(small)) {
    stack_entries.resize(n);
    entries = stack_entries.data();
  }
  uint64_t chars = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t id = Intern(labels[i].name);
    if (id != kNotInterned) {
      entries[i].name = kInterned | id;
    } else {
      if (labels[i].name.size() >= kInterned) TooLarge();
      entries[i].name = static_cast<uint32_t>(labels[i].name.size());
      chars += labels[i].name.size();
    }
    chars += labels[i].value.size();
    if (chars > UINT32_MAX - kHeader - n * sizeof(Entry)) TooLarge();
    entries[i].end = static_cast<uint32_t>(chars);
  }
  size_t size = kHeader + n * sizeof(Entry) + chars;
  char* rep = static_cast<char*>(::operator new(size));
  uint32_t count = static_cast<uint32_t>(n);
  std::memcpy(rep, &count, sizeof count);
  std::memcpy(rep + kHeader, entries, n * sizeof(Entry));
  char* p = rep + kHeader + n * sizeof(Entry);
  for (size_t i = 0; i < n; ++i) {
    if (!(entries[i].name & kInterned)) {
      std::memcpy(p, labels[i].name.data(), labels[i].name.size());
      p += labels[i].name.size();
    }
    if (!labels[i].value.empty()) std::memcpy(p, labels[i].value.data(), labels[i].value.size());
    p += labels[i].value.size();
  }
  return rep;
}

void LabelSet::Reset(char* rep) {
  ::operator delete(rep_);
  rep_ = rep;
}

LabelSet::LabelSet(std::initializer_list<Label> labels) {
  std::vector<LabelView> v;
  v.reserve(labels.size());
  for (const Label& l : labels) v.push_back({l.name, l.value});
  SortUnique(&v, false);
  rep_ = Build(v.data(), v.size());
}

LabelSet::LabelSet(const LabelSet& other) {
  if (other.rep_ == nullptr) return;
  size_t size = BlockSize(other.rep_);
  rep_ = static_cast<char*>(::operator new(size));
  std::memcpy(rep_, other.rep_, size);
}

LabelSet& LabelSet::operator=(const LabelSet& other) {
  if (this != &other) *this = LabelSet(other);
  return *this;
}

LabelSet& LabelSet::operator=(LabelSet&& other) noexcept {
  if (this != &other) {
    ::operator delete(rep_);
    rep_ = other.rep_;
    other.rep_ = nullptr;
  }
  return *this;
}

LabelSet::~LabelSet() { ::operator delete(rep_); }

size_t LabelSet::size() const { return rep_ ? CountOf(rep_) : 0; }

void LabelSet::Set(std::string_view name, std::string_view value) {
  std::vector<LabelView> v = ViewsOf(*this);  // views into the old block, alive until Reset
  auto it = std::lower_bound(v.begin(), v.end(), name,
                             [](const LabelView& l, std::string_view n) { return l.name < n; });
  if (it != v.end() && it->name == name) it->value = value;
  else v.insert(it, {name, value});
  Reset(Build(v.data(), v.size()));
}

void LabelSet::AppendUnsorted(std::string_view name, std::string_view value) {
  std::vector<LabelView> v = ViewsOf(*this);
  v.push_back({name, value});
  Reset(Build(v.data(), v.size()));
}

void LabelSet::Normalize(bool drop_empty_values) {
  if (rep_ == nullptr) return;
  std::vector<LabelView> v = ViewsOf(*this);
  size_t before = v.size();
  bool sorted = std::adjacent_find(v.begin(), v.end(), [](const LabelView& a, const LabelView& b) {
                  return !(a.name < b.name);
                }) == v.end();
  if (sorted && !drop_empty_values) return;
  SortUnique(&v, drop_empty_values);
  if (sorted && v.size() == before) return;  // nothing was empty
  Reset(Build(v.data(), v.size()));
}

std::string_view LabelSet::Get(std::string_view name) const {
  if (rep_ == nullptr) return {};
  const uint32_t count = CountOf(rep_);
  const uint32_t i = LowerBound(rep_, count, name);
  if (i < count) {
    LabelView l = At(rep_, i);
    if (l.name == name) return l.value;
  }
  return {};
}

bool LabelSet::Has(std::string_view name) const {
  if (rep_ == nullptr) return false;
  const uint32_t count = CountOf(rep_);
  const uint32_t i = LowerBound(rep_, count, name);
  return i < count && NameAt(rep_, count, i) == name;
}

Fingerprint LabelSet::ComputeFingerprint() const {
  Fnv1a64 h;
  for (LabelView l : *this) h.Add(l.name).AddByte(0xff).Add(l.value).AddByte(0xff);
  return Fingerprint{h.value()};
}

std::string LabelSet::ToString() const {
  std::string out = "{";
  bool first = true;
  for (LabelView l : *this) {
    if (!first) out += ", ";
    first = false;
    out += l.name;
    out += '=';
    AppendQuoted(&out, l.value);
  }
  out += '}';
  return out;
}

bool operator==(const LabelSet& a, const LabelSet& b) {
  if (a.rep_ == b.rep_) return true;
  if (a.size() != b.size()) return false;
  uint32_t n = CountOf(a.rep_);
  const Entry* ea = EntriesOf(a.rep_);
  const Entry* eb = EntriesOf(b.rep_);
  for (uint32_t i = 0; i < n; ++i) {
    // Interned on both sides: the ids decide (one id per name). Else compare the characters.
    if ((ea[i].name & kInterned) && (eb[i].name & kInterned)) {
      if (ea[i].name != eb[i].name) return false;
      LabelView la = LabelSet::At(a.rep_, i), lb = LabelSet::At(b.rep_, i);
      if (la.value != lb.value) return false;
    } else if (!(LabelSet::At(a.rep_, i) == LabelSet::At(b.rep_, i))) {
      return false;
    }
  }
  return true;
}

// ---- LabelSetBuilder --------------------------------------------------------------------------

void LabelSetBuilder::Add(std::string_view name, std::string_view value) {
  if (chars_.size() + name.size() + value.size() > UINT32_MAX) TooLarge();
  Pending p;
  p.name_offset = static_cast<uint32_t>(chars_.size());
  p.name_size = static_cast<uint32_t>(name.size());
  chars_.append(name);
  p.value_offset = static_cast<uint32_t>(chars_.size());
  p.value_size = static_cast<uint32_t>(value.size());
  chars_.append(value);
  labels_.push_back(p);
}

LabelSet LabelSetBuilder::Build(bool drop_empty_values) {
  views_.clear();
  for (const Pending& p : labels_) {
    views_.push_back({std::string_view(chars_).substr(p.name_offset, p.name_size),
                      std::string_view(chars_).substr(p.value_offset, p.value_size)});
  }
  SortUnique(&views_, drop_empty_values);
  LabelSet out;
  out.rep_ = LabelSet::Build(views_.data(), views_.size());
  Clear();
  return out;
}

void LabelSetBuilder::Clear() {
  labels_.clear();
  chars_.clear();
  views_.clear();
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace alertdigest
