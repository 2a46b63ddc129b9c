// The one place that includes kainjow Mustache (render-internal; never include it from a header
// outside plugin/render). Its header is treated as a system header so -Wall -Wextra stay quiet
// about it without silencing our own code.
#pragma once
#pragma GCC system_header

#include <kainjow/mustache.hpp>

namespace alertdigest {
namespace mustache = kainjow::mustache;
}  // namespace alertdigest
