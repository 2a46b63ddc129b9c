#include "render/mustache_template.h"

#include <gtest/gtest.h>

namespace alertdigest {
namespace {

MustacheTemplate::PartialLoader Partials(std::map<std::string, std::string> files) {
  return [files](const std::string& name) -> std::optional<TemplateText> {
    auto it = files.find(name);
    if (it == files.end()) return std::nullopt;
    return TemplateText{"partials/" + name + ".mustache", it->second};
  };
}

std::string Render(const std::string& text, const mustache::data& view,
                   MustacheTemplate::Escape escape = MustacheTemplate::Escape::kHtml,
                   std::map<std::string, std::string> partials = {}) {
  ConfigError error;
  auto t = MustacheTemplate::Compile({"t.mustache", text}, escape, Partials(partials), "k", &error);
  EXPECT_TRUE(t.has_value()) << error.message;
  if (!t) return "";
  return t->Render(view).value();
}

TEST(MustacheTemplateTest, HtmlEscapesAndTextDoesNot) {
  mustache::data view;
  view.set("x", "<script>alert('x')</script> & co");
  EXPECT_EQ(Render("{{x}}", view), "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; co");
  EXPECT_EQ(Render("{{x}}", view, MustacheTemplate::Escape::kNone),
            "<script>alert('x')</script> & co");
}

TEST(MustacheTemplateTest, PartialsInheritEscaping) {
  mustache::data view;
  view.set("x", "<b>");
  EXPECT_EQ(Render("[{{> p}}]", view, MustacheTemplate::Escape::kHtml, {{"p", "{{x}}"}}),
            "[&lt;b&gt;]");
  EXPECT_EQ(Render("[{{> p}}]", view, MustacheTemplate::Escape::kNone, {{"p", "{{x}}"}}), "[<b>]");
}

// A partial reached under other delimiters is loaded like any other (partials start with the
// default ones again).
TEST(MustacheTemplateTest, PartialsUnderSetDelimiters) {
  mustache::data view;
  view.set("x", "<b>");
  EXPECT_EQ(Render("{{=<% %>=}}[<%> p %>|<%x%>]", view, MustacheTemplate::Escape::kNone,
                   {{"p", "{{x}}"}}),
            "[<b>|<b>]");
}

TEST(MustacheTemplateTest, ValuesAreNeverTemplates) {
  mustache::data view;
  view.set("x", "{{y}}{{> p}}");
  view.set("y", "SECRET");
  view.set("p", "{{y}}");  // a value named like a partial is not a partial
  EXPECT_EQ(Render("{{x}}|{{> p}}", view, MustacheTemplate::Escape::kNone, {{"p", "P"}}),
            "{{y}}{{> p}}|P");
}

struct ErrorCase {
  const char* why;
  std::string text;
  std::map<std::string, std::string> partials;
  std::string want;  // file:line: key: message
};

TEST(MustacheTemplateTest, CompileErrors) {
  const ErrorCase cases[] = {
      {"unclosed section, line from kainjow's offset",
       "line one\nline two\n  {{#alerts}}\n{{x}}\n",
       {},
       "t.mustache:3: receiver[0].html: Unclosed section \"alerts\" at 20"},
      {"unopened section",
       "a\n{{/alerts}}",
       {},
       "t.mustache:2: receiver[0].html: Unopened section \"alerts\" at 2"},
      {"unclosed tag", "{{x", {}, "t.mustache:1: receiver[0].html: Unclosed tag at 0"},
      {"missing partial",
       "ok\n\n{{> nosuch}}\n",
       {},
       "t.mustache:3: receiver[0].html: partial \"nosuch\" not found"},
      {"broken partial names the partial's file",
       "{{> p}}",
       {{"p", "x\n{{#a}}"}},
       "partials/p.mustache:2: receiver[0].html: Unclosed section \"a\" at 2"},
      {"recursive partial",
       "{{> p}}",
       {{"p", "{{> q}}"}, {"q", "\n{{> p}}"}},
       "partials/q.mustache:2: receiver[0].html: partial \"p\" includes itself"},
      // Fuzzing (tests/fuzz/template_fuzzer): these two compiled, then recursed without end
      // (stack overflow: the daemon died at the first mail) — the partial tag was not found
      // under changed delimiters, nor with a line break before its '>'.
      {"recursion behind a set-delimiter tag",
       "{{> p}}",
       {{"p", "{{=<% %>=}}\n<%> p %>"}},
       "partials/p.mustache:2: receiver[0].html: partial \"p\" includes itself"},
      {"recursion with white space before the '>'",
       "{{> p}}",
       {{"p", "{{\n> q}}"}, {"q", "{{\t>p\t}}"}},
       "partials/q.mustache:1: receiver[0].html: partial \"p\" includes itself"},
      {"missing partial behind a set-delimiter tag",
       "{{=[ ]=}}\n[> nosuch]",
       {},
       "t.mustache:2: receiver[0].html: partial \"nosuch\" not found"},
  };
  for (const ErrorCase& c : cases) {
    ConfigError e;
    auto t = MustacheTemplate::Compile({"t.mustache", c.text}, MustacheTemplate::Escape::kHtml,
                                       Partials(c.partials), "receiver[0].html", &e);
    EXPECT_FALSE(t.has_value()) << c.why;
    EXPECT_EQ(
        e.where.file + ":" + std::to_string(e.where.line) + ": " + e.key_path + ": " + e.message,
        c.want)
        << c.why;
  }
}

}  // namespace
}  // namespace alertdigest
