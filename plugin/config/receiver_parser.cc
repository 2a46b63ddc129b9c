#include "config/receiver_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "config/path_resolver.h"

namespace alertdigest::config_internal {
namespace {

bool HasCrLf(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// local@domain, the dot-atom shape that mail systems accept without quoting.
bool IsAddrSpec(std::string_view a) {
  size_t at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == a.size()) return false;
  std::string_view local = a.substr(0, at), domain = a.substr(at + 1);
  auto ok_local = [](unsigned char c) {
    return c > 0x20 && c != 0x7f &&
           std::string_view("()<>[]:;@\\,\"").find(c) == std::string_view::npos;
  };
  if (!std::all_of(local.begin(), local.end(), ok_local)) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos)
    return false;
  return std::all_of(domain.begin(), domain.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c >= 0x80;
  });
}

}  // namespace

Status ValidateAddress(std::string_view address) {
  if (HasCrLf(address)) return Status::InvalidArgument("bad address: must not contain CR or LF");
  auto bad = [&] {
    return Status::InvalidArgument(fmt::format(
        "bad address \"{}\": expected \"a@example.com\" or \"Name <a@example.com>\"", address));
  };
  std::string_view a = Trim(address);
  size_t lt = a.find('<');
  if (lt == std::string_view::npos) return IsAddrSpec(a) ? Status::Ok() : bad();
  if (a.back() != '>') return bad();
  std::string_view name = Trim(a.substr(0, lt));
  if (name.find_first_of("<>") != std::string_view::npos) return bad();
  return IsAddrSpec(a.substr(lt + 1, a.size() - lt - 2)) ? Status::Ok() : bad();
}

Status ValidateHeaderName(std::string_view name) {
  bool shape = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return c >= 33 && c <= 126 && c != ':';
  });
  if (!shape) {
    return Status::InvalidArgument(
        fmt::format("bad header name \"{}\": want printable ASCII without spaces or ':'",
                    HasCrLf(name) ? "…" : name));
  }
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static constexpr std::string_view kReserved[] = {"from",    "to",   "cc",         "bcc",
                                                   "subject", "date", "message-id", "mime-version"};
  bool reserved =
      lower.starts_with("content-") ||
      std::find(std::begin(kReserved), std::end(kReserved), lower) != std::end(kReserved);
  if (reserved) {
    return Status::InvalidArgument(
        fmt::format("header \"{}\" is written by alertdigest and cannot be set here", name));
  }
  return Status::Ok();
}

void ReceiverParser::Parse(TomlReader& file_root, std::vector<Receiver>& out) {
  const toml::array* arr = file_root.TableArray("receiver");
  if (!arr) return;
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::table& t = *arr->get(i)->as_table();
    TomlReader r(t, fmt::format("receiver[{}]", i), file_root.file(), file_root.diag());
    Receiver rcv;
    ParseOne(r, rcv);
    out.push_back(std::move(rcv));
  }
}

void ReceiverParser::ParseOne(TomlReader& r, Receiver& out) {
  out.where = r.Where();
  if (auto name = r.String("name")) {
    if (name->empty()) {
      r.Error("name", "must not be empty");
    } else if (auto it = first_defined_.find(*name); it != first_defined_.end()) {
      r.Error("name", fmt::format("duplicate receiver \"{}\" (first defined at {}:{})", *name,
                                  it->second.file, it->second.line));
    } else {
      first_defined_.emplace(*name, r.Where("name"));
    }
    out.name = *name;
  } else if (!r.Node("name")) {
    r.Error("name", "missing (every receiver needs a name)");
  }
  bool addresses_ok = ParseAddresses(r, "to", out.to);
  addresses_ok &= ParseAddresses(r, "cc", out.cc);
  addresses_ok &= ParseAddresses(r, "bcc", out.bcc);
  if (addresses_ok && out.to.empty() && out.cc.empty() && out.bcc.empty()) {
    r.diag().Error(r.Where(), r.path(),
                   "no recipients (set at least one address in to, cc or bcc)");
  }
  ParseTemplate(r, "subject", out.subject);
  ParseTemplate(r, "text", out.text);
  ParseTemplate(r, "html", out.html);
  if (auto v = r.Enum("attach", {"none", "csv", "json"})) {
    out.attach = *v == "csv"    ? Receiver::Attach::kCsv
                 : *v == "json" ? Receiver::Attach::kJson
                                : Receiver::Attach::kNone;
  }
  ParseHeaders(r, out.headers);
  r.ReportUnknownKeys();
}

bool ReceiverParser::ParseAddresses(TomlReader& r, std::string_view key,
                                    std::vector<std::string>& out) {
  auto items = r.StringList(key);
  if (!items) return r.Node(key) == nullptr;  // absent is fine; a wrong type was reported
  bool ok = true;
  for (ListItem& item : *items) {
    Status st = ValidateAddress(item.value);
    if (st.ok()) {
      out.push_back(std::move(item.value));
    } else {
      r.diag().Error(item.where, item.key_path, st.message());
      ok = false;
    }
  }
  return ok;
}

void ReceiverParser::ParseTemplate(TomlReader& r, std::string_view key, TemplateRef& out) {
  out.key_path = r.PathOf(key);
  out.where = r.Where(key);
  auto v = r.String(key);
  if (!v || v->empty()) return;
  out.path = ResolvePath(base_dir_, *v);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(out.path, ec)) {
    r.Error(key, fmt::format("template file not found: {}", out.path));
  }
}

void ReceiverParser::ParseHeaders(TomlReader& r, std::map<std::string, std::string>& out) {
  const toml::table* t = r.Table("headers");
  if (!t) return;
  TomlReader h(*t, r.PathOf("headers"), r.file(), r.diag());
  for (const auto& [k, v] : *t) {
    std::string_view name = k.str();
    if (Status st = ValidateHeaderName(name); !st.ok()) {
      h.Error(name, st.message());
      continue;
    }
    const auto* s = v.as_string();
    if (!s)
      h.Error(name, TomlReader::TypeMismatch("a string", v));
    else if (HasCrLf(s->get()))
      h.Error(name, "header value must not contain CR or LF");
    else
      out.emplace(std::string(name), s->get());
  }
}

}  // namespace alertdigest::config_internal
