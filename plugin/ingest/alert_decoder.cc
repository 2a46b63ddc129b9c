#include "ingest/alert_decoder.h"

// SIMD string and whitespace scans on x86-64 (set before RapidJSON is included; this is the
// only file of the project that includes it).
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <string>

#include "ingest/json_path.h"
#include "core/utf8_validator.h"

namespace alertdigest {
namespace {

using rapidjson::Value;

constexpr std::string_view kWrongShape =
    "expected an alert object, an array of alerts, or an Alertmanager webhook document";

std::string_view View(const Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Shared by the decoders of one text: where rejections go and how to place them.
class Context {
 public:
  Context(std::string_view text, int first_line, const DecodeOptions& options, DecodeResult* out)
      : text_(text), first_line_(first_line), options_(options), out_(out) {}

  const DecodeOptions& options() const { return options_; }
  DecodeResult* out() { return out_; }
  // Set when the whole text is not valid UTF-8 (it was parsed without RapidJSON's encoding check,
  // which rejects the whole text at a byte offset), or has \u escapes: each string is checked
  // where it is used and only the alert holding the bad one is rejected, naming its field.
  bool check_utf8 = false;
  // Scratch of DecodeLabelSet, reused across the text's alerts: a set is built in one allocation.
  LabelSetBuilder labels;

  void RejectAtOffset(size_t offset, std::string path, std::string reason) {
    offset = std::min(offset, text_.size());
    int line =
        first_line_ + static_cast<int>(std::count(text_.begin(), text_.begin() + offset, '\n'));
    out_->rejected.push_back({line, std::move(path), std::move(reason)});
  }
  // Always returns false, so decoders can `return ctx.Reject(...)`.
  bool Reject(const JsonPath& at, std::string reason) {
    RejectAtOffset(at.OffsetIn(text_), at.ToString(), std::move(reason));
    return false;
  }

 private:
  std::string_view text_;
  int first_line_;
  const DecodeOptions& options_;
  DecodeResult* out_;
};

// Why a string taken into an alert cannot be kept, or "" when it can. Mail cannot carry NUL
// (RFC 5322) and every later stage (SQLite, MIME, logs) expects UTF-8, so both are refused here,
// at intake, with the field's path, rather than altered silently later.
std::string_view BadText(std::string_view s, const Context& ctx) {
  if (ctx.check_utf8 && !IsValidUtf8(s)) return "is not valid UTF-8";
  if (s.find('\0') != std::string_view::npos) return "contains a NUL character (\\u0000)";
  return {};
}

// labels / annotations: an object of strings with valid names.
bool DecodeLabelSet(const Value& v, const JsonPath& at, bool is_labels, LabelSet* out,
                    Context& ctx) {
  if (!v.IsObject()) return ctx.Reject(at, "must be an object of strings");
  LabelSetBuilder& builder = ctx.labels;
  builder.Clear();
  for (const auto& m : v.GetObject()) {
    // A name that is not UTF-8 must not reach the message (the path would quote it).
    if (ctx.check_utf8 && !IsValidUtf8(View(m.name)))
      return ctx.Reject(at, "a name is not valid UTF-8");
    if (!m.value.IsString()) return ctx.Reject(at.Key(View(m.name)), "must be a string");
    if (std::string_view bad = BadText(View(m.value), ctx); !bad.empty())
      return ctx.Reject(at.Key(View(m.name)), fmt::format("value {}", bad));
    builder.Add(View(m.name), View(m.value));
  }
  // Alertmanager drops empty label values before validating: foo="" is no foo.
  *out = builder.Build(/*drop_empty_values=*/is_labels);
  for (LabelView l : *out) {
    if (!IsValidLabelName(l.name)) {
      return ctx.Reject(at, fmt::format("invalid label name \"{}\"", l.name));
    }
  }
  if (is_labels && out->empty()) {
    return ctx.Reject(at, "at least one label with a non-empty value is required");
  }
  return true;
}

bool DecodeTime(const Value& v, const JsonPath& at, Timestamp* out, Context& ctx) {
  if (v.IsNull()) return true;
  if (!v.IsString()) return ctx.Reject(at, "must be a string");
  Result<Timestamp> t = ParseRfc3339(View(v));
  if (!t.ok()) return ctx.Reject(at, t.status().message());
  *out = *t;
  return true;
}

// Appends the alert to ctx.out() or one rejection. Returns whether it was accepted.
bool DecodeAlertObject(const Value& v, const JsonPath& at, Context& ctx) {
  if (!v.IsObject()) return ctx.Reject(at, "expected an alert object");
  Alert alert;
  bool has_labels = false;
  bool resolved = false;
  // One pass over the members; a repeated key is decoded again and the last one wins, as with
  // Go's encoding/json.
  for (const auto& m : v.GetObject()) {
    std::string_view name = View(m.name);
    const Value& value = m.value;
    if (name == "labels") {
      has_labels = true;
      alert.labels = LabelSet();
      if (!DecodeLabelSet(value, at.Key(name), true, &alert.labels, ctx)) return false;
    } else if (name == "annotations") {
      alert.annotations = LabelSet();
      if (value.IsNull()) continue;
      if (!DecodeLabelSet(value, at.Key(name), false, &alert.annotations, ctx)) return false;
    } else if (name == "startsAt") {
      if (!DecodeTime(value, at.Key(name), &alert.starts_at, ctx)) return false;
    } else if (name == "endsAt") {
      if (!DecodeTime(value, at.Key(name), &alert.ends_at, ctx)) return false;
    } else if (name == "generatorURL") {
      if (value.IsNull()) continue;
      if (!value.IsString()) return ctx.Reject(at.Key(name), "must be a string");
      if (std::string_view bad = BadText(View(value), ctx); !bad.empty())
        return ctx.Reject(at.Key(name), fmt::format("value {}", bad));
      alert.generator_url.assign(value.GetString(), value.GetStringLength());
    } else if (name == "status") {
      if (value.IsNull()) continue;
      std::string_view s = value.IsString() ? View(value) : std::string_view();
      if (s != "firing" && s != "resolved") {
        return ctx.Reject(at.Key(name), value.IsString() && BadText(s, ctx).empty()
                                            ? fmt::format("must be \"firing\" or \"resolved\", "
                                                          "not \"{}\"",
                                                          s)
                                            : "must be \"firing\" or \"resolved\"");
      }
      resolved = s == "resolved";
    }
  }
  if (!has_labels) return ctx.Reject(at, "missing required field \"labels\"");
  if (alert.starts_at != kNoTime && alert.ends_at != kNoTime && alert.ends_at < alert.starts_at) {
    return ctx.Reject(at.Key("endsAt"), "end time must not be before start time");
  }
  const DecodeOptions& options = ctx.options();
  if (resolved && alert.ends_at == kNoTime) {
    // Resolved now; a start in the future (clock skew) must not make it end before it starts.
    alert.ends_at = std::max(options.now, alert.starts_at);
  }
  alert.Finalize(options.now, options.resolve_timeout);
  ctx.out()->alerts.push_back(std::move(alert));
  return true;
}

void DecodeAlertArray(const Value& v, const JsonPath& at, Context& ctx) {
  size_t i = 0;
  for (const Value& element : v.GetArray()) DecodeAlertObject(element, at.Index(i++), ctx);
}

// v is an object with an "alerts" array.
void DecodeWebhook(const Value& v, const JsonPath& at, Context& ctx) {
  DecodeAlertArray(v["alerts"], at.Key("alerts"), ctx);
}

// An object that carries any alert field except "status" (webhook documents have one too) is
// decoded as an alert, so `{"annotations":…}` is told that labels are missing.
bool LooksLikeAlert(const Value& v) {
  if (!v.IsObject()) return false;
  for (const char* field : {"labels", "annotations", "startsAt", "endsAt", "generatorURL"}) {
    if (v.HasMember(field)) return true;
  }
  return false;
}

bool IsWebhook(const Value& v) {
  if (!v.IsObject()) return false;
  auto it = v.FindMember("alerts");
  return it != v.MemberEnd() && it->value.IsArray();
}

void DecodeAny(const Value& v, const JsonPath& at, Context& ctx) {
  switch (ctx.options().expect) {
    case PayloadShape::kAlert:
      DecodeAlertObject(v, at, ctx);
      return;
    case PayloadShape::kAlertArray:
      if (!v.IsArray())
        ctx.Reject(at, "expected an array of alerts");
      else
        DecodeAlertArray(v, at, ctx);
      return;
    case PayloadShape::kWebhook:
      if (!IsWebhook(v)) {
        ctx.Reject(at, "expected an Alertmanager webhook document (an object with \"alerts\")");
      } else {
        DecodeWebhook(v, at, ctx);
      }
      return;
    case PayloadShape::kAny:
      break;
  }
  if (v.IsArray()) {
    DecodeAlertArray(v, at, ctx);
  } else if (IsWebhook(v)) {
    DecodeWebhook(v, at, ctx);
  } else if (LooksLikeAlert(v)) {
    DecodeAlertObject(v, at, ctx);
  } else {
    ctx.Reject(at, std::string(kWrongShape));
  }
}

}  // namespace

void DecodeJson(std::string_view text, int first_line, const DecodeOptions& options,
                DecodeResult* out) {
  // Values live in a pool that starts on the stack: a typical record allocates nothing there.
  // The parse stack uses the heap; the iterative parser keeps deep nesting off the C++ stack.
  char pool_buffer[8192];
  rapidjson::MemoryPoolAllocator<> pool(pool_buffer, sizeof(pool_buffer));
  rapidjson::Document doc(&pool);
  std::string copy;
  if (IsValidUtf8(text)) {
    // Fast path: the encoding is known to be valid, so RapidJSON need not check it byte by
    // byte, and it parses a NUL-terminated copy in place (no string copies, SIMD scans).
    // The padding keeps RapidJSON's aligned 16-byte loads inside the buffer.
    copy.reserve(text.size() + 16);
    copy.assign(text);
    copy.append(16, '\0');
    doc.ParseInsitu<rapidjson::kParseIterativeFlag>(copy.data());
  } else {
    // Invalid UTF-8 somewhere: parse without RapidJSON's encoding check (bytes are copied as
    // they are) and let the decoders check each string they keep, so the rejection names the
    // alert and field and the other alerts of the text still count.
    doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  }

  Context ctx(text, first_line, options, out);
  // Valid UTF-8 text can still decode to a string that is not: RapidJSON 1.1 turns the escape of
  // a lone low surrogate ("\udc00") into the bytes ED B0 80 (found by tests/fuzz).
  ctx.check_utf8 = copy.empty() || text.find("\\u") != std::string_view::npos;
  if (doc.HasParseError()) {
    ctx.RejectAtOffset(doc.GetErrorOffset(), "$", rapidjson::GetParseError_En(doc.GetParseError()));
    return;
  }
  DecodeAny(doc, JsonPath(), ctx);
}

}  // namespace alertdigest
