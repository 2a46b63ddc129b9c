#include "ingest/http/ack_api_client.h"

#include <fmt/format.h>
#include <rapidjson/document.h>

#include "ingest/http/json_writer.h"

namespace alertdigest::http {

Result<AckApiClient> AckApiClient::Create(const ServerConfig& server) {
  Result<DaemonApiClient> api = DaemonApiClient::Create(server, "alertdigest-ack");
  if (!api.ok()) return api.status();
  return AckApiClient(std::move(api).value());
}

Result<AckResult> AckApiClient::Acknowledge(const AckRequest& request) const {
  JsonWriter w;
  w.BeginObject().Key("group").String(request.group);
  if (request.episode != 0) w.Key("episode").Int(request.episode);
  w.Key("by").String(request.by);
  if (!request.comment.empty()) w.Key("comment").String(request.comment);
  if (!request.via.empty()) w.Key("via").String(request.via);
  w.EndObject();
  auto a = api_.Exchange("POST", "/api/v1/ack", w.Take());
  if (!a.ok()) return a.status();
  if (a->status != 200) {
    const std::string message = DaemonApiClient::ErrorMessage(a->body);
    switch (a->status) {
      case 400:
        return Status::InvalidArgument(message);
      case 401:
        return Status::InvalidArgument(message + " (check auth_token_file)");
      case 404:
        return Status::NotFound(message);
      case 409:
        return Status::FailedPrecondition(message);
      case 503:
        return Status::IoError(message);
      default:
        return Status::Internal(fmt::format("{} (HTTP {})", message, a->status));
    }
  }
  rapidjson::Document doc;
  doc.Parse(a->body.data(), a->body.size());
  auto bad = [&a] { return Status::Internal("acknowledge: unexpected answer: " + a->body); };
  if (doc.HasParseError() || !doc.IsObject()) return bad();
  AckResult result;
  auto group = doc.FindMember("groupKey");
  auto episode = doc.FindMember("episode");
  auto at = doc.FindMember("acknowledgedAt");
  auto already = doc.FindMember("alreadyAcknowledged");
  if (group == doc.MemberEnd() || !group->value.IsString() || episode == doc.MemberEnd() ||
      !episode->value.IsInt64() || at == doc.MemberEnd() || !at->value.IsString() ||
      already == doc.MemberEnd() || !already->value.IsBool())
    return bad();
  result.group_key = group->value.GetString();
  result.episode = episode->value.GetInt64();
  Result<Timestamp> when = ParseRfc3339(at->value.GetString());
  if (!when.ok()) return bad();
  result.at = *when;
  result.already_acked = already->value.GetBool();
  if (auto by = doc.FindMember("previousBy"); by != doc.MemberEnd() && by->value.IsString())
    result.previous_by = by->value.GetString();
  return result;
}

}  // namespace alertdigest::http
