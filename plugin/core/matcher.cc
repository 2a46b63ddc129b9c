#include "core/matcher.h"

#include <fmt/format.h>
#include <re2/re2.h>

namespace alertdigest {
namespace {

std::string_view OpText(Matcher::Op op) {
  switch (op) {
    case Matcher::Op::kEqual: return "=";
    case Matcher::Op::kNotEqual: return "!=";
    case Matcher::Op::kRegexMatch: return "=~";
    case Matcher::Op::kRegexNoMatch: return "!~";
  }
  return "?";
}

bool IsRegex(Matcher::Op op) { return op == Matcher::Op::kRegexMatch || op == Matcher::Op::kRegexNoMatch; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Unquotes a Go-style double-quoted string; the caller checked the quotes.
Result<std::string> Unquote(std::string_view q) {
  std::string out;
  for (size_t i = 1; i + 1 < q.size(); ++i) {
    char c = q[i];
    if (c == '"') return Status::InvalidArgument("unescaped '\"' inside the quoted value");
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i + 1 > q.size() - 1) return Status::InvalidArgument("value ends with a lone '\\'");
    switch (q[i]) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      default:
        // Keep regex escapes like \d and \. intact for RE2.
        out.push_back('\\');
        out.push_back(q[i]);
    }
  }
  return out;
}

}  // namespace

Result<Matcher> Matcher::Create(std::string name, Op op, std::string value) {
  Matcher m;
  m.name_ = std::move(name);
  m.op_ = op;
  m.value_ = std::move(value);
  if (!IsValidLabelName(m.name_))
    return Status::InvalidArgument(fmt::format("bad label name \"{}\"", m.name_));
  if (IsRegex(op)) {
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_dot_nl(true);  // Prometheus sets (?s): '.' matches newlines too
    // FullMatch anchors at both ends, as Prometheus does.
    auto re = std::make_shared<RE2>(m.value_, opts);
    if (!re->ok())
      return Status::InvalidArgument(fmt::format("bad regex \"{}\": {}", m.value_, re->error()));
    m.re_ = std::move(re);
  }
  return m;
}

Result<Matcher> Matcher::Parse(std::string_view text) {
  std::string_view t = Trim(text);
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("bad matcher '{}': {}", text, why));
  };
  size_t n = 0;
  while (n < t.size() && (std::isalnum(static_cast<unsigned char>(t[n])) || t[n] == '_')) ++n;
  std::string_view name = t.substr(0, n);
  if (name.empty()) return bad("expected a label name first");
  std::string_view rest = Trim(t.substr(n));
  Op op;
  if (rest.starts_with("=~")) op = Op::kRegexMatch, rest.remove_prefix(2);
  else if (rest.starts_with("!~")) op = Op::kRegexNoMatch, rest.remove_prefix(2);
  else if (rest.starts_with("!=")) op = Op::kNotEqual, rest.remove_prefix(2);
  else if (rest.starts_with("=")) op = Op::kEqual, rest.remove_prefix(1);
  else return bad(fmt::format("expected one of = != =~ !~ after \"{}\"", name));
  rest = Trim(rest);
  std::string value;
  if (!rest.empty() && rest.front() == '"') {
    if (rest.size() < 2 || rest.back() != '"') return bad("unterminated quoted value");
    auto unq = Unquote(rest);
    if (!unq.ok()) return bad(unq.status().message());
    value = std::move(unq.value());
  } else {
    if (rest.find_first_of("\"'") != std::string_view::npos) return bad("stray quote in value");
    value = std::string(rest);
  }
  auto m = Create(std::string(name), op, std::move(value));
  if (!m.ok()) return bad(m.status().message());
  return m;
}

bool Matcher::MatchesValue(std::string_view value) const {
  switch (op_) {
    case Op::kEqual: return value == value_;
    case Op::kNotEqual: return value != value_;
    case Op::kRegexMatch: return RE2::FullMatch(value, *re_);
    case Op::kRegexNoMatch: return !RE2::FullMatch(value, *re_);
  }
  return false;
}

std::string Matcher::ToString() const {
  // Exactly what Parse() reads back as this value (Unquote above), for regexes too, on one line:
  // the store keeps a silence's matchers one per line and parses them again at start.
  std::string v;
  for (char c : value_) {
    if (c == '\n') {
      v += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') v.push_back('\\');
    v.push_back(c);
  }
  return fmt::format("{}{}\"{}\"", name_, OpText(op_), v);
}

bool MatchesAll(const std::vector<Matcher>& matchers, const LabelSet& labels) {
  for (const Matcher& m : matchers) {
    if (!m.Matches(labels)) return false;
  }
  return true;
}

}  // namespace alertdigest
