#include "deliver/smtp/credentials.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace alertdigest {
namespace {

std::string StripWhitespace(std::string s) {
  std::erase_if(s, [](unsigned char c) { return std::isspace(c); });
  return s;
}

Result<std::string> ReadFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(fmt::format("read {} {}: cannot open the file", what, path));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string secret = StripWhitespace(ss.str());
  if (secret.empty())
    return Status::InvalidArgument(fmt::format("read {} {}: the file is empty", what, path));
  return secret;
}

}  // namespace

Result<std::string> ReadSmtpSecret(const SmtpConfig& smtp) {
  if (smtp.auth == "xoauth2") return ReadFile(smtp.token_file, "smtp.token_file");
  if (!smtp.password_file.empty()) return ReadFile(smtp.password_file, "smtp.password_file");
  if (!smtp.password_env.empty()) {
    const char* v = std::getenv(smtp.password_env.c_str());
    std::string secret = StripWhitespace(v ? v : "");
    if (secret.empty()) {
      // A conventional name (upper case) is shown; any other might be the password itself.
      const bool conventional = std::all_of(
          smtp.password_env.begin(), smtp.password_env.end(),
          [](char c) { return c == '_' || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
      return Status::NotFound(
          conventional
              ? fmt::format("read smtp.password_env: ${} is not set or empty", smtp.password_env)
              : "read smtp.password_env: the variable it names is not set or empty (its "
                "name is not shown: not in upper case, it may be the password itself)");
    }
    return secret;
  }
  return std::string();  // no authentication configured
}

}  // namespace alertdigest
