#include "config/config.h"

#include <fmt/format.h>

#include <exception>

#include "config/config_loader.h"

namespace alertdigest {

std::string ConfigError::ToString() const {
  std::string out = where.line > 0 ? fmt::format("{}:{}: ", where.file, where.line)
                                   : fmt::format("{}: ", where.file);
  if (!key_path.empty()) out += key_path + ": ";
  return out + message;
}

const Receiver* Config::FindReceiver(std::string_view name) const {
  for (const Receiver& r : receivers) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

namespace {

template <typename T>
const T* FindByName(const std::vector<T>& items, std::string_view name) {
  for (const T& item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

}  // namespace

std::string PublicBaseUrl(const ServerConfig& server) {
  std::string url = server.external_url.empty() ? "http://" + server.listen : server.external_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

const DigestRule* Config::FindDigest(std::string_view name) const {
  return FindByName(digests, name);
}
const EscalationPolicy* Config::FindEscalation(std::string_view name) const {
  return FindByName(escalations, name);
}
const Rotation* Config::FindRotation(std::string_view name) const {
  return FindByName(rotations, name);
}

namespace {

// The promise "never throws" holds even when memory runs out or a library surprises us.
template <typename F>
ConfigLoad NoThrow(const std::string& path, F&& load) {
  try {
    return load();
  } catch (const std::exception& e) {
    ConfigLoad out;
    out.errors.push_back({{path, 0}, "", fmt::format("cannot load: {}", e.what())});
    return out;
  }
}

}  // namespace

ConfigLoad LoadConfig(const std::string& path) {
  return NoThrow(path, [&] {
    config_internal::ConfigLoader loader(path);
    Result<std::string> text = config_internal::ReadFile(path);
    if (!text.ok()) return loader.Fail(text.status().message());
    return loader.Load(text.value());
  });
}

ConfigLoad ParseConfig(std::string_view toml_text, const std::string& virtual_path) {
  return NoThrow(virtual_path, [&] {
    config_internal::ConfigLoader loader(virtual_path);
    return loader.Load(toml_text);
  });
}

}  // namespace alertdigest
