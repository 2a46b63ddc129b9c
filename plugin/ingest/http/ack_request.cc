#include "ingest/http/ack_request.h"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <optional>

#include "core/utf8_validator.h"

namespace alertdigest::http {
namespace {

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

}  // namespace

Status CheckAckFields(AckRequest& r) {
  r.by = std::string(Trim(r.by));
  if (r.by.empty()) return Status::InvalidArgument("by: required (your name or address)");
  if (r.by.size() > kMaxAckByBytes)
    return Status::InvalidArgument(fmt::format("by: longer than {} bytes", kMaxAckByBytes));
  if (!IsValidUtf8(r.by)) return Status::InvalidArgument("by: not valid UTF-8");
  for (unsigned char c : r.by) {
    if (IsControl(c)) return Status::InvalidArgument("by: control characters are not allowed");
  }
  std::string comment;
  for (size_t i = 0; i < r.comment.size(); ++i) {  // CR LF (what browsers send) and CR → LF
    if (r.comment[i] == '\r') {
      comment += '\n';
      if (i + 1 < r.comment.size() && r.comment[i + 1] == '\n') ++i;
    } else {
      comment += r.comment[i];
    }
  }
  r.comment = std::string(Trim(comment));
  if (r.comment.size() > kMaxAckCommentBytes)
    return Status::InvalidArgument(
        fmt::format("comment: longer than {} bytes", kMaxAckCommentBytes));
  if (!IsValidUtf8(r.comment)) return Status::InvalidArgument("comment: not valid UTF-8");
  for (unsigned char c : r.comment) {
    if (IsControl(c) && c != '\n' && c != '\t')
      return Status::InvalidArgument("comment: control characters are not allowed");
  }
  return Status::Ok();
}

namespace {

// One application/x-www-form-urlencoded name or value: '+' is a space, %XX a byte.
std::optional<std::string> FormDecode(std::string_view in) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

}  // namespace

Result<AckFormFields> DecodeAckForm(std::string_view body) {
  AckFormFields r;
  bool seen_by = false, seen_comment = false;
  while (!body.empty()) {
    const size_t amp = body.find('&');
    std::string_view part = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    std::optional<std::string> name = FormDecode(part.substr(0, eq));
    std::optional<std::string> value =
        FormDecode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
    if (!name || !value) return Status::InvalidArgument("form: bad percent-encoding");
    if (*name == "by" && !seen_by) {
      r.by = std::move(*value);
      seen_by = true;
    } else if (*name == "comment" && !seen_comment) {
      r.comment = std::move(*value);
      seen_comment = true;
    }
  }
  return r;
}

Result<AckRequest> DecodeAckJson(std::string_view body) {
  rapidjson::Document doc;
  // Iterative: a deeply nested body must not overflow the worker's stack (see silence_json.cc).
  doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(body.data(),
                                                                                    body.size());
  if (doc.HasParseError()) {
    return Status::InvalidArgument(fmt::format("invalid JSON at offset {}: {}",
                                               doc.GetErrorOffset(),
                                               rapidjson::GetParseError_En(doc.GetParseError())));
  }
  if (!doc.IsObject()) return Status::InvalidArgument("expected a JSON object");
  auto string_field = [&doc](const char* name, std::string* out) -> Status {
    auto it = doc.FindMember(name);
    if (it == doc.MemberEnd() || it->value.IsNull()) return Status::Ok();
    if (!it->value.IsString())
      return Status::InvalidArgument(fmt::format("{}: expected a string", name));
    out->assign(it->value.GetString(), it->value.GetStringLength());
    return Status::Ok();
  };
  AckRequest r;
  r.via = "api";
  if (Status s = string_field("group", &r.group); !s.ok()) return s;
  if (r.group.empty())
    return Status::InvalidArgument("group: required (a group key or its 16-hex-digit id)");
  if (auto it = doc.FindMember("episode"); it != doc.MemberEnd() && !it->value.IsNull()) {
    if (!it->value.IsInt64() || it->value.GetInt64() < 0)
      return Status::InvalidArgument("episode: expected a non-negative integer");
    r.episode = it->value.GetInt64();
  }
  if (Status s = string_field("by", &r.by); !s.ok()) return s;
  if (Status s = string_field("comment", &r.comment); !s.ok()) return s;
  if (Status s = string_field("via", &r.via); !s.ok()) return s;
  if (r.via != "api" && r.via != "cli")
    return Status::InvalidArgument("via: expected \"api\" or \"cli\"");
  if (Status s = CheckAckFields(r); !s.ok()) return s;
  return r;
}

}  // namespace alertdigest::http
