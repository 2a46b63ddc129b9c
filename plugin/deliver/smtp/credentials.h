// Reading the SMTP secret (app password or XOAUTH2 access token). Read at every login, so fixing
// password_file takes effect at the next attempt. All whitespace is stripped (Gmail shows app
// passwords as four groups of four). The secret is never logged and never part of an error.
#pragma once

#include <string>

#include "config/config.h"
#include "core/status.h"

namespace alertdigest {

// The password (or, with auth = "xoauth2", the token from token_file). Errors name the file or
// variable, never its content.
Result<std::string> ReadSmtpSecret(const SmtpConfig& smtp);

}  // namespace alertdigest
