#include "render/mustache_template.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

namespace alertdigest {
namespace {

// Resolves {{> name}} from the template's own partial table instead of the view model.
class PartialContext : public mustache::context<std::string> {
 public:
  PartialContext(const mustache::data* view, const std::map<std::string, mustache::data>* partials)
      : mustache::context<std::string>(view), partials_(partials) {}

  const mustache::data* get_partial(const std::string& name) const override {
    auto it = partials_->find(name);
    return it == partials_->end() ? nullptr : &it->second;
  }

 private:
  const std::map<std::string, mustache::data>* partials_;
};

struct PartialTag {
  std::string name;
  size_t offset;
};

// Trimmed like kainjow trims tag contents: every isspace() character.
std::string TrimSpace(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// A set-delimiter tag's contents ("=<% %>="), read as kainjow reads them; false if it refuses.
bool ParseDelimiters(const std::string& contents, std::string* open, std::string* close) {
  if (contents.size() < 5 || contents.back() != '=') return false;
  const std::string inner = TrimSpace(std::string_view(contents).substr(1, contents.size() - 2));
  const size_t space = inner.find(' ');
  if (space == std::string::npos) return false;
  const std::string b = inner.substr(0, space);
  const std::string e = inner.substr(inner.find_first_not_of(' ', space + 1));
  auto valid = [](const std::string& d) {
    return std::none_of(d.begin(), d.end(), [](char c) {
      return c == '=' || std::isspace(static_cast<unsigned char>(c));
    });
  };
  if (!valid(b) || !valid(e)) return false;
  *open = b;
  *close = e;
  return true;
}

// The {{> name}} tags of a template, tokenized the way kainjow's parser does it (which keeps its
// tags to itself): from the current delimiters, which set-delimiter tags change ({{=<% %>=}});
// {{{…}}} only with the default ones; contents trimmed of white space. So every partial a render
// can reach is loaded and checked here — a partial reached only under other delimiters, or
// written "{{\n> p}}", used to slip past the cycle check and recurse without end at render time.
// A tag inside a comment is not a partial (kainjow's comment ends at the first closing delimiter).
std::vector<PartialTag> FindPartialTags(const std::string& text) {
  std::string open = "{{", close = "}}";
  std::vector<PartialTag> tags;
  for (size_t pos = text.find(open); pos != std::string::npos; pos = text.find(open, pos)) {
    size_t start = pos + open.size();
    std::string end = close;
    const bool triple = open == "{{" && close == "}}" && start < text.size() && text[start] == '{';
    if (triple) {
      end = "}}}";
      ++start;
    }
    const size_t stop = text.find(end, start);
    if (stop == std::string::npos) break;
    const std::string contents = TrimSpace(std::string_view(text).substr(start, stop - start));
    if (contents.starts_with('=')) {
      if (!ParseDelimiters(contents, &open, &close)) break;
    } else if (!triple && contents.starts_with('>')) {
      tags.push_back({TrimSpace(std::string_view(contents).substr(1)), pos});
    }
    pos = stop + end.size();
  }
  return tags;
}

// kainjow ends its messages with " at <offset>".
int LineOfError(const std::string& text, const std::string& message) {
  const size_t at = message.rfind(" at ");
  if (at == std::string::npos) return 1;
  size_t offset = 0;
  for (size_t i = at + 4; i < message.size(); ++i) {
    if (message[i] < '0' || message[i] > '9') return 1;
    offset = offset * 10 + size_t(message[i] - '0');
  }
  return LineOfOffset(text, offset);
}

struct Compiler {
  const MustacheTemplate::PartialLoader& load;
  const std::string& key_path;
  ConfigError* error;
  std::map<std::string, mustache::data>* partials;
  std::vector<std::string> stack;  // partials being compiled, for cycle detection

  bool Fail(const std::string& file, int line, std::string message) {
    *error = ConfigError{{file, line}, key_path, std::move(message)};
    return false;
  }

  bool Check(const TemplateText& t) {
    mustache::mustache parsed(t.text);
    if (!parsed.is_valid()) {
      return Fail(t.file, LineOfError(t.text, parsed.error_message()), parsed.error_message());
    }
    for (const PartialTag& tag : FindPartialTags(t.text)) {
      const int line = LineOfOffset(t.text, tag.offset);
      for (const std::string& open : stack) {
        if (open == tag.name)
          return Fail(t.file, line, "partial \"" + tag.name + "\" includes itself");
      }
      if (partials->count(tag.name)) continue;
      std::optional<TemplateText> sub = load(tag.name);
      if (!sub) return Fail(t.file, line, "partial \"" + tag.name + "\" not found");
      stack.push_back(tag.name);
      if (!Check(*sub)) return false;
      stack.pop_back();
      partials->emplace(tag.name, mustache::data(sub->text));
    }
    return true;
  }
};

std::string Identity(const std::string& s) { return s; }

}  // namespace

int LineOfOffset(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  int line = 1;
  for (size_t i = 0; i < offset; ++i) line += text[i] == '\n';
  return line;
}

std::optional<MustacheTemplate> MustacheTemplate::Compile(const TemplateText& main, Escape escape,
                                                          const PartialLoader& load,
                                                          const std::string& key_path,
                                                          ConfigError* error) {
  MustacheTemplate t;
  t.text_ = main.text;
  t.escape_ = escape;
  Compiler compiler{load, key_path, error, &t.partials_, {}};
  if (!compiler.Check(main)) return std::nullopt;
  return t;
}

Result<std::string> MustacheTemplate::Render(const mustache::data& view) const {
  mustache::mustache tmpl(text_);
  if (escape_ == Escape::kNone) tmpl.set_custom_escape(Identity);
  PartialContext ctx(&view, &partials_);
  std::string out = tmpl.render(ctx);
  if (!tmpl.is_valid()) return Status::Internal("render template: " + tmpl.error_message());
  return out;
}

}  // namespace alertdigest
