// Where the SMTP secret comes from, and what an error about it may say: never the secret.
#include "deliver/smtp/credentials.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace alertdigest {
namespace {

// Gmail shows an app password in groups of four: the spaces, and a pasted newline, go.
TEST(CredentialsTest, ReadsTheSecretFromTheNamedVariable) {
  setenv("AD_TEST_SMTP_PASSWORD", "  abcd efgh ijkl mnop\n", 1);
  SmtpConfig smtp;
  smtp.password_env = "AD_TEST_SMTP_PASSWORD";
  Result<std::string> secret = ReadSmtpSecret(smtp);
  ASSERT_TRUE(secret.ok()) << secret.status().message();
  EXPECT_EQ(*secret, "abcdefghijklmnop");
  unsetenv("AD_TEST_SMTP_PASSWORD");
}

TEST(CredentialsTest, AnUnsetConventionalVariableIsNamed) {
  unsetenv("AD_TEST_UNSET_PASSWORD");
  SmtpConfig smtp;
  smtp.password_env = "AD_TEST_UNSET_PASSWORD";
  Result<std::string> secret = ReadSmtpSecret(smtp);
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.status().message(),
            "read smtp.password_env: $AD_TEST_UNSET_PASSWORD is not set or empty");
}

// A password put into password_env by mistake (a valid variable name, so the config accepted
// it) is not repeated in the error.
TEST(CredentialsTest, AnUnsetNameThatMayBeThePasswordIsNotRepeated) {
  SmtpConfig smtp;
  smtp.password_env = "hunter2";
  Result<std::string> secret = ReadSmtpSecret(smtp);
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.status().message().find("hunter2"), std::string::npos)
      << secret.status().message();
  EXPECT_NE(secret.status().message().find("not set or empty"), std::string::npos);
}

}  // namespace
}  // namespace alertdigest
