// JSON string literals for the JSON we write (API answers, attachments, dry runs): quotes,
// backslashes and control characters escaped; UTF-8 kept as is; bytes that are not valid UTF-8
// become U+FFFD, so the output is always valid JSON.
#pragma once

#include <string>
#include <string_view>

namespace alertdigest {

// "\"a \\\"b\\\"\"" for `a "b"`.
std::string JsonQuote(std::string_view s);
// Appends the escaped text without the surrounding quotes.
void AppendJsonEscaped(std::string& out, std::string_view s);

}  // namespace alertdigest
