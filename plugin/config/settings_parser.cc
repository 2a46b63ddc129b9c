#include "config/settings_parser.h"

#include <fmt/format.h>

#include <optional>

#include "config/nagios_parser.h"
#include "config/path_resolver.h"
#include "config/receiver_parser.h"
#include "core/label_set.h"

namespace alertdigest::config_internal {

Result<size_t> ParseByteSize(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument(fmt::format(
        "bad size \"{}\" (want e.g. \"1MiB\", \"512KiB\", \"10MB\" or a number of bytes)", text));
  };
  size_t p = 0;
  uint64_t n = 0;
  while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p]))) {
    n = n * 10 + static_cast<uint64_t>(text[p++] - '0');
    if (n > (uint64_t{1} << 40)) return bad();
  }
  if (p == 0) return bad();
  struct Unit {
    std::string_view suffix;
    uint64_t factor;
  };
  static constexpr Unit kUnits[] = {{"", 1},          {"B", 1},           {"KB", 1000},
                                    {"MB", 1000000},  {"GB", 1000000000}, {"KiB", 1 << 10},
                                    {"MiB", 1 << 20}, {"GiB", 1 << 30}};
  for (const Unit& u : kUnits) {
    if (text.substr(p) != u.suffix) continue;
    if (n == 0) return bad();
    return static_cast<size_t>(n * u.factor);
  }
  return bad();
}

void SettingsParser::Parse(Config& cfg) {
  if (const toml::table* t = root_.Table("server")) {
    TomlReader r(*t, "server", root_.file(), root_.diag());
    ParseServer(r, cfg.server);
  }
  if (const toml::table* t = root_.Table("storage")) {
    TomlReader r(*t, "storage", root_.file(), root_.diag());
    ParseStorage(r, cfg.storage);
  } else {
    cfg.storage.path = ResolvePath(base_dir_, cfg.storage.path);
  }
  if (const toml::table* t = root_.Table("delivery")) {
    TomlReader r(*t, "delivery", root_.file(), root_.diag());
    ParseDelivery(r, cfg.delivery);
  } else {
    cfg.delivery.file_dir = ResolvePath(base_dir_, cfg.delivery.file_dir);
  }
  const toml::table* smtp = root_.Table("smtp");
  if (smtp) {
    TomlReader r(*smtp, "smtp", root_.file(), root_.diag());
    ParseSmtp(r, cfg.smtp);
  }
  if (cfg.delivery.transport == DeliveryConfig::Transport::kSmtp) {
    // A mail server needs at least a sender; a login needs a secret from outside the file.
    const SmtpConfig& m = cfg.smtp;
    if (!smtp) {
      TomlReader d(*root_.Table("delivery"), "delivery", root_.file(), root_.diag());
      d.Error("transport", "transport = \"smtp\" needs an [smtp] section");
    } else {
      TomlReader r(*smtp, "smtp", root_.file(), root_.diag());
      if (m.from.empty() && m.username.empty())
        r.Error("from", "required with transport = \"smtp\" (the sender address)");
      if (!m.username.empty() && m.auth != "xoauth2" && m.password_file.empty() &&
          m.password_env.empty())
        r.Error("username", "a login needs password_file or password_env");
    }
  }
  if (const toml::table* t = root_.Table("defaults")) {
    TomlReader r(*t, "defaults", root_.file(), root_.diag());
    ParseDefaults(r, cfg.defaults);
  }
  if (const toml::table* t = root_.Table("nagios")) {
    TomlReader r(*t, "nagios", root_.file(), root_.diag());
    ParseNagios(r, cfg.nagios);
  }
}

void SettingsParser::ReadPath(TomlReader& r, std::string_view key, std::string& out) {
  if (auto v = r.String(key)) out = ResolvePath(base_dir_, *v);
}

void SettingsParser::ReadPositive(TomlReader& r, std::string_view key, Duration& out) {
  std::optional<Duration> d = r.Dur(key);
  if (!d) return;
  if (d->count() <= 0) {
    r.Error(key, "must be greater than 0");
    return;
  }
  out = *d;
}

namespace {

constexpr int64_t kMaxIoThreads = 64;

// A count limit: a positive integer that fits an int.
void ReadPositiveInt(TomlReader& r, std::string_view key, int& out) {
  std::optional<int64_t> v = r.Int(key);
  if (!v) return;
  if (*v < 1 || *v > INT32_MAX) {
    r.Error(key, fmt::format("must be between 1 and {}, got {}", INT32_MAX, *v));
    return;
  }
  out = static_cast<int>(*v);
}

}  // namespace

void SettingsParser::ParseServer(TomlReader& r, ServerConfig& out) {
  if (auto v = r.String("listen")) {
    if (v->empty())
      r.Error("listen", "must not be empty (e.g. \"127.0.0.1:9095\")");
    else
      out.listen = *v;
  }
  if (auto v = r.String("external_url")) out.external_url = *v;
  ReadPath(r, "auth_token_file", out.auth_token_file);
  ReadPath(r, "ack_key_file", out.ack_key_file);
  ReadPositive(r, "ack_link_ttl", out.ack_link_ttl);
  ReadPath(r, "tls_cert", out.tls_cert);
  ReadPath(r, "tls_key", out.tls_key);
  if (out.tls_cert.empty() != out.tls_key.empty()) {
    r.Error(out.tls_cert.empty() ? "tls_cert" : "tls_key",
            "tls_cert and tls_key must be set together");
  }
  if (const toml::node* n = r.Node("max_body")) {
    Result<size_t> size = Status::InvalidArgument("");
    if (const auto* s = n->as_string())
      size = ParseByteSize(s->get());
    else if (const auto* i = n->as_integer(); i && i->get() > 0)
      size = static_cast<size_t>(i->get());
    else
      size = Status::InvalidArgument(TomlReader::TypeMismatch("a size string like \"1MiB\"", *n));
    if (size.ok())
      out.max_body = size.value();
    else
      r.Error("max_body", size.status().message());
  }
  ReadPositiveInt(r, "max_alerts_per_request", out.max_alerts_per_request);
  ReadPositiveInt(r, "max_labels_per_alert", out.max_labels_per_alert);
  ReadPositiveInt(r, "max_label_name_length", out.max_label_name_length);
  ReadPositiveInt(r, "max_label_value_length", out.max_label_value_length);
  if (std::optional<int64_t> v = r.Int("io_threads")) {
    if (*v < 0 || *v > kMaxIoThreads)
      r.Error("io_threads",
              fmt::format("must be between 0 (one per CPU) and {}, got {}", kMaxIoThreads, *v));
    else
      out.io_threads = static_cast<int>(*v);
  }
  r.ReportUnknownKeys();
}

void SettingsParser::ParseStorage(TomlReader& r, StorageConfig& out) {
  if (auto v = r.String("path")) {
    if (v->empty())
      r.Error("path", "must not be empty (use \":memory:\" for a throw-away store)");
    else
      out.path = *v;
  }
  if (out.path != ":memory:") out.path = ResolvePath(base_dir_, out.path);
  r.ReportUnknownKeys();
}

void SettingsParser::ParseDelivery(TomlReader& r, DeliveryConfig& out) {
  if (auto v = r.Enum("transport", {"file", "smtp"})) {
    out.transport =
        *v == "smtp" ? DeliveryConfig::Transport::kSmtp : DeliveryConfig::Transport::kFile;
  }
  if (auto v = r.String("file_dir")) {
    if (v->empty())
      r.Error("file_dir", "must not be empty");
    else
      out.file_dir = *v;
  }
  out.file_dir = ResolvePath(base_dir_, out.file_dir);
  if (const toml::table* t = r.Table("retry")) {
    TomlReader retry(*t, r.PathOf("retry"), r.file(), r.diag());
    ParseRetry(retry, out.retry);
  }
  r.ReportUnknownKeys();
}

void SettingsParser::ParseRetry(TomlReader& r, RetryConfig& out) {
  ReadPositive(r, "initial", out.initial);
  ReadPositive(r, "max", out.max);
  ReadPositive(r, "give_up", out.give_up);
  if (out.max < out.initial) {
    r.Error("max", fmt::format("must be at least initial ({})", FormatDuration(out.initial)));
  }
  r.ReportUnknownKeys();
}

void SettingsParser::ParseSmtp(TomlReader& r, SmtpConfig& out) {
  if (auto v = r.String("host")) out.host = *v;
  if (auto v = r.Int("port")) {
    if (*v < 1 || *v > 65535)
      r.Error("port", fmt::format("must be between 1 and 65535, got {}", *v));
    else
      out.port = static_cast<int>(*v);
  }
  if (auto v = r.Enum("security", {"starttls", "tls", "none"})) out.security = *v;
  if (auto v = r.String("username")) out.username = *v;
  ReadPath(r, "password_file", out.password_file);
  if (auto v = r.String("password_env")) {
    // (The value is never repeated: a password put here by mistake must not reach a log.)
    // A variable name follows the rule of a label name: [A-Za-z_][A-Za-z0-9_]*.
    if (!IsValidLabelName(*v))
      r.Error("password_env",
              "must name an environment variable (letters, digits and _, not starting with a "
              "digit); the value is not shown, in case it is the password itself");
    else
      out.password_env = *v;
  }
  if (auto v = r.Enum("auth", {"auto", "plain", "login", "xoauth2"})) out.auth = *v;
  ReadPath(r, "token_file", out.token_file);
  if (out.auth == "xoauth2" && out.token_file.empty()) {
    r.Error("token_file", "required when auth = \"xoauth2\"");
  }
  if (auto v = r.String("from")) {
    Status st = ValidateAddress(*v);
    if (st.ok())
      out.from = *v;
    else
      r.Error("from", st.message());
  }
  if (auto v = r.String("hello")) out.hello = *v;
  ReadPath(r, "ca_file", out.ca_file);
  if (auto v = r.Bool("insecure_skip_verify")) out.insecure_skip_verify = *v;
  ReadPositive(r, "timeout", out.timeout);
  ReadPositive(r, "connect_timeout", out.connect_timeout);
  ReadPositive(r, "data_timeout", out.data_timeout);
  if (auto v = r.Int("daily_budget")) {
    if (*v < 0)
      r.Error("daily_budget", fmt::format("must not be negative, got {}", *v));
    else if (*v > INT32_MAX)
      r.Error("daily_budget", fmt::format("too large, got {}", *v));
    else
      out.daily_budget = static_cast<int>(*v);
  }
  if (auto v = r.Int("max_recipients_per_message")) {
    if (*v < 1 || *v > 1000) {
      r.Error("max_recipients_per_message", fmt::format("must be between 1 and 1000, got {}", *v));
    } else {
      out.max_recipients_per_message = static_cast<int>(*v);
    }
  }
  r.ReportUnknownKeys();
}

void SettingsParser::ParseDefaults(TomlReader& r, Defaults& out) {
  if (auto d = r.Dur("group_wait")) out.group_wait = *d;
  ReadPositive(r, "group_interval", out.group_interval);
  ReadPositive(r, "repeat_interval", out.repeat_interval);
  ReadPositive(r, "resolve_timeout", out.resolve_timeout);
  if (auto v = r.Bool("send_resolved")) out.send_resolved = *v;
  r.ReportUnknownKeys();
}

}  // namespace alertdigest::config_internal
