#include "render/mustache_template.h"

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

// {{> name}} tags, default delimiters only.
std::vector<PartialTag> FindPartialTags(const std::string& text) {
  std::vector<PartialTag> tags;
  for (size_t pos = text.find("{{"); pos != std::string::npos; pos = text.find("{{", pos + 2)) {
    size_t i = pos + 2;
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size() || text[i] != '>') continue;
    const size_t end = text.find("}}", i);
    if (end == std::string::npos) break;
    std::string name = text.substr(i + 1, end - i - 1);
    const size_t first = name.find_first_not_of(" \t");
    const size_t last = name.find_last_not_of(" \t");
    name = first == std::string::npos ? "" : name.substr(first, last - first + 1);
    tags.push_back({name, pos});
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
