// The default templates of templates/*.mustache, compiled into the binary at build time
// (plugin/render/embed_templates.cmake), so an installed binary needs no template files.
#pragma once

#include <optional>
#include <string_view>

namespace alertdigest {

// The text of templates/<name>.mustache as it was at build time ("subject", "text", "html",
// "alert_text", "digest.html", "escalation.subject", …), or nullopt when there is no such default. The view lives forever.
std::optional<std::string_view> EmbeddedTemplate(std::string_view name);

}  // namespace alertdigest
