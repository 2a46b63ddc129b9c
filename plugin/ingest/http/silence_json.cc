#include "ingest/http/silence_json.h"

#include <fmt/format.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "core/utf8_validator.h"
#include "mute/silencer.h"

namespace alertdigest::http {
namespace {

using rapidjson::Value;

Result<rapidjson::Document> ParseJson(std::string_view json) {
  rapidjson::Document doc;
  // Iterative: a deeply nested body ("[[[[…", up to max_body) must not overflow the stack of
  // the HTTP worker (the recursive default crashed the daemon).
  doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(json.data(),
                                                                                    json.size());
  if (doc.HasParseError()) {
    return Status::InvalidArgument(fmt::format("invalid JSON at offset {}: {}",
                                               doc.GetErrorOffset(),
                                               rapidjson::GetParseError_En(doc.GetParseError())));
  }
  return doc;
}

Status StringField(const Value& obj, const char* name, const std::string& path, bool required,
                   std::string* out) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) {
    if (required) return Status::InvalidArgument(path + name + ": required");
    return Status::Ok();
  }
  if (!it->value.IsString()) return Status::InvalidArgument(path + name + ": expected a string");
  out->assign(it->value.GetString(), it->value.GetStringLength());
  // The body is valid UTF-8, but RapidJSON decodes the escape of a lone low surrogate ("\udc00")
  // into bytes that are not (found by tests/fuzz): the silence would be stored and shown so.
  if (!IsValidUtf8(*out)) return Status::InvalidArgument(path + name + ": not valid UTF-8");
  return Status::Ok();
}

Status TimeField(const Value& obj, const char* name, Timestamp* out) {
  std::string text;
  if (Status s = StringField(obj, name, "", true, &text); !s.ok()) return s;
  Result<Timestamp> t = ParseRfc3339(text);
  if (!t.ok()) return Status::InvalidArgument(fmt::format("{}: bad time \"{}\"", name, text));
  *out = *t;
  return Status::Ok();
}

Result<Matcher> DecodeMatcher(const Value& m, const std::string& path) {
  if (!m.IsObject()) return Status::InvalidArgument(path + ": expected an object");
  std::string name, value;
  if (Status s = StringField(m, "name", path + ".", true, &name); !s.ok()) return s;
  if (Status s = StringField(m, "value", path + ".", true, &value); !s.ok()) return s;
  auto regex = m.FindMember("isRegex");
  if (regex == m.MemberEnd() || !regex->value.IsBool())
    return Status::InvalidArgument(path + ".isRegex: required boolean");
  bool is_equal = true;
  if (auto eq = m.FindMember("isEqual"); eq != m.MemberEnd() && !eq->value.IsNull()) {
    if (!eq->value.IsBool()) return Status::InvalidArgument(path + ".isEqual: expected a boolean");
    is_equal = eq->value.GetBool();
  }
  const bool is_regex = regex->value.GetBool();
  Matcher::Op op = is_regex ? (is_equal ? Matcher::Op::kRegexMatch : Matcher::Op::kRegexNoMatch)
                            : (is_equal ? Matcher::Op::kEqual : Matcher::Op::kNotEqual);
  Result<Matcher> matcher = Matcher::Create(name, op, value);
  if (!matcher.ok()) return Status::InvalidArgument(path + ": " + matcher.status().message());
  return matcher;
}

Result<Silence> DecodeSilence(const Value& v) {
  if (!v.IsObject()) return Status::InvalidArgument("expected a silence object");
  Silence s;
  if (Status st = StringField(v, "id", "", false, &s.id); !st.ok()) return st;
  auto matchers = v.FindMember("matchers");
  if (matchers == v.MemberEnd() || !matchers->value.IsArray())
    return Status::InvalidArgument("matchers: required array");
  for (rapidjson::SizeType i = 0; i < matchers->value.Size(); ++i) {
    Result<Matcher> m = DecodeMatcher(matchers->value[i], fmt::format("matchers[{}]", i));
    if (!m.ok()) return m.status();
    s.matchers.push_back(std::move(m).value());
  }
  if (Status st = TimeField(v, "startsAt", &s.starts_at); !st.ok()) return st;
  if (Status st = TimeField(v, "endsAt", &s.ends_at); !st.ok()) return st;
  if (Status st = StringField(v, "createdBy", "", false, &s.created_by); !st.ok()) return st;
  if (Status st = StringField(v, "comment", "", false, &s.comment); !st.ok()) return st;
  if (v.HasMember("updatedAt")) {
    if (Status st = TimeField(v, "updatedAt", &s.updated_at); !st.ok()) return st;
  }
  return s;
}

void WriteMatchers(JsonWriter& w, const Silence& s) {
  w.Key("matchers").BeginArray();
  for (const Matcher& m : s.matchers) {
    const bool is_regex =
        m.op() == Matcher::Op::kRegexMatch || m.op() == Matcher::Op::kRegexNoMatch;
    const bool is_equal = m.op() == Matcher::Op::kEqual || m.op() == Matcher::Op::kRegexMatch;
    w.BeginObject();
    w.Key("name").String(m.name()).Key("value").String(m.value());
    w.Key("isRegex").Bool(is_regex).Key("isEqual").Bool(is_equal);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

void WriteGettableSilence(JsonWriter& w, const Silence& s, Timestamp now) {
  w.BeginObject();
  w.Key("id").String(s.id);
  w.Key("status").BeginObject().Key("state").String(SilenceStateName(StateAt(s, now))).EndObject();
  w.Key("updatedAt").Time(s.updated_at);
  WriteMatchers(w, s);
  w.Key("startsAt").Time(s.starts_at);
  w.Key("endsAt").Time(s.ends_at);
  w.Key("createdBy").String(s.created_by);
  w.Key("comment").String(s.comment);
  w.EndObject();
}

std::string PostableSilenceJson(const Silence& s) {
  JsonWriter w;
  w.BeginObject();
  if (!s.id.empty()) w.Key("id").String(s.id);
  WriteMatchers(w, s);
  w.Key("startsAt").Time(s.starts_at);
  w.Key("endsAt").Time(s.ends_at);
  w.Key("createdBy").String(s.created_by);
  w.Key("comment").String(s.comment);
  w.EndObject();
  return w.Take();
}

Result<Silence> DecodePostableSilence(std::string_view json) {
  Result<rapidjson::Document> doc = ParseJson(json);
  if (!doc.ok()) return doc.status();
  return DecodeSilence(*doc);
}

Result<std::vector<ListedSilence>> DecodeGettableSilences(std::string_view json) {
  Result<rapidjson::Document> doc = ParseJson(json);
  if (!doc.ok()) return doc.status();
  if (!doc->IsArray()) return Status::InvalidArgument("expected an array of silences");
  std::vector<ListedSilence> out;
  for (const Value& v : doc->GetArray()) {
    Result<Silence> s = DecodeSilence(v);
    if (!s.ok()) return s.status();
    ListedSilence listed{std::move(s).value(), ""};
    if (auto st = v.FindMember("status"); st != v.MemberEnd() && st->value.IsObject()) {
      if (Status e = StringField(st->value, "state", "status.", false, &listed.state); !e.ok())
        return e;
    }
    out.push_back(std::move(listed));
  }
  return out;
}

}  // namespace alertdigest::http
