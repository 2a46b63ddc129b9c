#include "ingest/http/silence_api_client.h"

#include <fmt/format.h>
#include <rapidjson/document.h>

namespace alertdigest::http {
namespace {

Status FromAnswer(int status, const std::string& body, const std::string& what) {
  std::string message = what + ": " + DaemonApiClient::ErrorMessage(body);
  if (status == 400) return Status::InvalidArgument(message);
  if (status == 404) return Status::NotFound(message);
  if (status == 401) return Status::InvalidArgument(message + " (check auth_token_file)");
  return Status::Internal(fmt::format("{} (HTTP {})", message, status));
}

}  // namespace

Result<SilenceApiClient> SilenceApiClient::Create(const ServerConfig& server) {
  Result<DaemonApiClient> api = DaemonApiClient::Create(server, "alertdigest-silence");
  if (!api.ok()) return api.status();
  return SilenceApiClient(std::move(api).value());
}

Result<std::string> SilenceApiClient::Add(const Silence& silence) const {
  auto a = api_.Exchange("POST", "/api/v2/silences", PostableSilenceJson(silence));
  if (!a.ok()) return a.status();
  if (a->status != 200) return FromAnswer(a->status, a->body, "add silence");
  rapidjson::Document doc;
  doc.Parse(a->body.data(), a->body.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("silenceID") ||
      !doc["silenceID"].IsString())
    return Status::Internal("add silence: unexpected answer: " + a->body);
  return std::string(doc["silenceID"].GetString());
}

Result<std::vector<ListedSilence>> SilenceApiClient::List() const {
  auto a = api_.Exchange("GET", "/api/v2/silences", "");
  if (!a.ok()) return a.status();
  if (a->status != 200) return FromAnswer(a->status, a->body, "list silences");
  auto listed = DecodeGettableSilences(a->body);
  if (!listed.ok()) return listed.status().Wrap("list silences: unexpected answer");
  return listed;
}

Status SilenceApiClient::Expire(const std::string& id) const {
  auto a = api_.Exchange("DELETE", "/api/v2/silence/" + id, "");
  if (!a.ok()) return a.status();
  if (a->status != 200) return FromAnswer(a->status, a->body, "expire silence " + id);
  return Status::Ok();
}

}  // namespace alertdigest::http
