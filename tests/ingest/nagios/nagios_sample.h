// Reads a captured Nagios call (tests/testdata/samples/nagios/*.json: the argv and the full
// environment of a real Nagios 4.4.6 notification command). Test-only.
#pragma once

#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace alertdigest::testing {

struct NagiosSample {
  std::vector<std::string> args;  // the 19 arguments (the JSON's argv has no program name)
  std::map<std::string, std::string> env;
};

inline NagiosSample LoadNagiosSample(const std::string& name) {
  std::ifstream in(std::filesystem::path(AD_TESTDATA_DIR) / "samples" / "nagios" / name);
  std::stringstream ss;
  ss << in.rdbuf();
  rapidjson::Document doc;
  doc.Parse(ss.str().c_str());
  NagiosSample s;
  if (doc.HasParseError() || !doc.IsObject()) return s;
  const auto& argv = doc["argv"];
  for (rapidjson::SizeType i = 0; i < argv.Size(); ++i) s.args.emplace_back(argv[i].GetString());
  for (const auto& m : doc["env"].GetObject()) {
    s.env.emplace(m.name.GetString(), std::string(m.value.GetString(), m.value.GetStringLength()));
  }
  return s;
}

}  // namespace alertdigest::testing
