#include "config/toml_reader.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <utility>

namespace alertdigest::config_internal {
namespace {

bool IsBareKey(std::string_view key) {
  if (key.empty()) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "\"" : ", \"") + s + "\"";
  return out;
}

}  // namespace

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

TomlReader::TomlReader(const toml::table& table, std::string path, const std::string& file,
                       Diagnostics& diag)
    : table_(table), path_(std::move(path)), file_(file), diag_(diag) {}

std::string TomlReader::PathOf(std::string_view key) const {
  std::string k = IsBareKey(key) ? std::string(key) : fmt::format("\"{}\"", key);
  return path_.empty() ? k : path_ + "." + k;
}

SourceLocation TomlReader::At(const toml::node& node) const {
  return {file_, static_cast<int>(node.source().begin.line)};
}

SourceLocation TomlReader::Where() const {
  // An implicit table (only its sub-tables were written) has no position of its own.
  int line = static_cast<int>(table_.source().begin.line);
  return {file_, line > 0 ? line : 1};
}

SourceLocation TomlReader::Where(std::string_view key) const {
  const toml::node* n = table_.get(key);
  return n ? At(*n) : Where();
}

void TomlReader::Error(std::string_view key, std::string message) const {
  diag_.Error(Where(key), PathOf(key), std::move(message));
}

std::string TomlReader::TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    default:
      return "nothing";
  }
}

std::string TomlReader::TypeMismatch(std::string_view expected, const toml::node& node) {
  return fmt::format("expected {}, got {}", expected, TypeName(node));
}

const toml::node* TomlReader::Node(std::string_view key) {
  known_.emplace(key);
  return table_.get(key);
}

std::optional<std::string> TomlReader::String(std::string_view key) {
  const toml::node* n = Node(key);
  if (!n) return std::nullopt;
  if (const auto* s = n->as_string()) return s->get();
  Error(key, TypeMismatch("a string", *n));
  return std::nullopt;
}

std::optional<bool> TomlReader::Bool(std::string_view key) {
  const toml::node* n = Node(key);
  if (!n) return std::nullopt;
  if (const auto* b = n->as_boolean()) return b->get();
  Error(key, TypeMismatch("a boolean", *n));
  return std::nullopt;
}

std::optional<int64_t> TomlReader::Int(std::string_view key) {
  const toml::node* n = Node(key);
  if (!n) return std::nullopt;
  if (const auto* i = n->as_integer()) return i->get();
  Error(key, TypeMismatch("an integer", *n));
  return std::nullopt;
}

std::optional<Duration> TomlReader::Dur(std::string_view key) {
  const toml::node* n = Node(key);
  if (!n) return std::nullopt;
  const auto* s = n->as_string();
  if (!s) {
    Error(key, TypeMismatch("a duration string like \"30s\"", *n));
    return std::nullopt;
  }
  Result<Duration> d = ParseDuration(s->get());
  if (!d.ok()) {
    Error(key, d.status().message());
    return std::nullopt;
  }
  return d.value();
}

std::optional<Duration> TomlReader::PositiveDurOrNone(std::string_view key) {
  const toml::node* n = Node(key);
  if (!n) return std::nullopt;
  if (const auto* s = n->as_string(); s && s->get().empty()) return std::nullopt;
  std::optional<Duration> d = Dur(key);
  if (d && d->count() <= 0) {
    Error(key, "must be greater than 0");
    return std::nullopt;
  }
  return d;
}

std::optional<std::string> TomlReader::TimeZone(std::string_view key) {
  std::optional<std::string> name = String(key);
  if (!name) return std::nullopt;
  bool known = false;
  try {
    known = date::locate_zone(*name) != nullptr;
  } catch (const std::exception&) {
    known = false;
  }
  if (known) return name;
  Error(key, fmt::format("unknown time zone \"{}\"", *name));
  return std::nullopt;
}

std::optional<std::string> TomlReader::Enum(std::string_view key,
                                            const std::vector<std::string>& choices) {
  std::optional<std::string> v = String(key);
  if (!v) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *v) != choices.end()) return v;
  Error(key, fmt::format("expected one of {}, got \"{}\"", Join(choices), *v));
  return std::nullopt;
}

std::optional<std::vector<ListItem>> TomlReader::StringList(std::string_view key) {
  const toml::node* n = Node(key);
  if (!n) return std::nullopt;
  const toml::array* arr = n->as_array();
  if (!arr) {
    Error(key, TypeMismatch("a list of strings", *n));
    return std::nullopt;
  }
  std::vector<ListItem> items;
  bool ok = true;
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::node& e = *arr->get(i);
    std::string path = fmt::format("{}[{}]", PathOf(key), i);
    if (const auto* s = e.as_string()) {
      items.push_back({s->get(), At(e), std::move(path)});
    } else {
      diag_.Error(At(e), std::move(path), TypeMismatch("a string", e));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return items;
}

const toml::table* TomlReader::Table(std::string_view key) {
  const toml::node* n = Node(key);
  if (!n) return nullptr;
  if (const toml::table* t = n->as_table()) return t;
  Error(key, TypeMismatch("a table", *n));
  return nullptr;
}

const toml::array* TomlReader::TableArray(std::string_view key) {
  const toml::node* n = Node(key);
  if (!n) return nullptr;
  const toml::array* arr = n->as_array();
  if (!arr || !arr->is_array_of_tables()) {
    // An empty array is an array of nothing: accept it.
    if (arr && arr->empty()) return arr;
    Error(key, fmt::format("expected an array of tables ([[{}]]), got {}", key, TypeName(*n)));
    return nullptr;
  }
  return arr;
}

void TomlReader::ReportUnknownKeys() {
  for (const auto& [k, v] : table_) {
    std::string_view key = k.str();
    if (known_.contains(key)) continue;
    SourceLocation where{file_, static_cast<int>(k.source().begin.line)};
    if (where.line == 0) where = At(v);
    if (key == "password") {
      diag_.Error(where, PathOf(key),
                  "passwords are never read from the config file; use password_file or "
                  "password_env");
      continue;
    }
    std::string best;
    size_t best_distance = 3;
    for (const std::string& candidate : known_) {
      size_t d = EditDistance(key, candidate);
      if (d < best_distance) best_distance = d, best = candidate;
    }
    diag_.Error(
        where, PathOf(key),
        best.empty() ? "unknown key" : fmt::format("unknown key (did you mean \"{}\"?)", best));
  }
}

}  // namespace alertdigest::config_internal
