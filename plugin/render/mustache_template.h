// MustacheTemplate: one kainjow Mustache template, checked once at load together with every
// partial it reaches ({{> name}}), then rendered any number of times.
//
// Partials are resolved at Compile through a loader (EmailRenderer looks in templates_dir, then
// in the built-in defaults), never from the view model: a label named like a partial cannot
// smuggle template text in. Partial tags are found as kainjow reads them, set-delimiter tags
// included, so every partial a render can reach is loaded, and one that includes itself (also
// through others) is an error at Compile, never an endless recursion at render time.
//
// Thread-safety: immutable after Compile; Render() may run on any thread (it parses a private
// copy per call — kainjow's render mutates the template object, and our templates are small).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "config/config.h"
#include "core/status.h"
#include "render/kainjow.h"

namespace alertdigest {

// A template's text and where it came from (for error messages).
struct TemplateText {
  std::string file;  // "templates/html.mustache", or "<built-in>/html.mustache"
  std::string text;
};

class MustacheTemplate {
 public:
  // kHtml: {{x}} is HTML-escaped (Mustache's default). kNone: for subject, text and headers.
  enum class Escape { kHtml, kNone };
  using PartialLoader = std::function<std::optional<TemplateText>(const std::string& name)>;

  // Parses `main` and, recursively, its partials. On failure returns nullopt and fills *error:
  // where = the broken file and the line of the problem, key_path as given, message = kainjow's
  // ("Unclosed section \"alerts\" at 45"), or ours for partials: partial "x" not found,
  // partial "x" includes itself.
  static std::optional<MustacheTemplate> Compile(const TemplateText& main, Escape escape,
                                                 const PartialLoader& load,
                                                 const std::string& key_path, ConfigError* error);

  // Renders against a view model; an error only if kainjow fails at render time.
  Result<std::string> Render(const mustache::data& view) const;

 private:
  MustacheTemplate() = default;

  std::string text_;
  Escape escape_ = Escape::kHtml;
  std::map<std::string, mustache::data> partials_;  // name → template text (a string datum)
};

// 1-based line of a byte offset in text.
int LineOfOffset(std::string_view text, size_t offset);

}  // namespace alertdigest
