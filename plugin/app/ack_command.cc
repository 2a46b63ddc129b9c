// `alertdigest ack GROUP`: acknowledges a group's escalation through a running daemon's API
// (ingest/http/ack_api_client.h), as an ack link in a mail does.
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <iostream>

#include "app/commands.h"
#include "config/config.h"
#include "ingest/http/ack_api_client.h"

namespace alertdigest {
namespace {

// $USER@hostname, or whichever part is known.
std::string DefaultBy() {
  const char* user = std::getenv("USER");
  char host[HOST_NAME_MAX + 1] = {};
  const bool have_host = gethostname(host, sizeof host - 1) == 0 && host[0] != '\0';
  std::string by = user ? user : "";
  if (have_host) by += (by.empty() ? "" : "@") + std::string(host);
  return by;
}

}  // namespace

int AckCommand(const AckOptions& o, std::ostream& out, std::ostream& err) {
  if (o.group.empty()) {
    err << "alertdigest ack: which group? (a group key, or the 16-hex-digit id from the mail's "
           "X-Alertdigest-Group header)\n";
    return 2;
  }
  ConfigLoad load = LoadConfig(o.config_path);
  if (!load.errors.empty()) {
    for (const ConfigError& e : load.errors) err << e.ToString() << '\n';
    return 2;
  }
  auto client = http::AckApiClient::Create(load.config->server);
  if (!client.ok()) {
    err << "alertdigest ack: " << client.status().message() << '\n';
    return 2;
  }
  AckRequest request;
  request.group = o.group;
  request.by = o.by.empty() ? DefaultBy() : o.by;
  request.comment = o.comment;
  request.via = "cli";
  Result<AckResult> done = client->Acknowledge(request);
  if (!done.ok()) {
    err << "alertdigest ack: " << done.status().message() << '\n';
    return done.status().code() == Status::Code::kUnavailable ? 4 : 1;
  }
  if (done->already_acked) {
    out << "already acknowledged by " << done->previous_by << " at " << FormatRfc3339(done->at)
        << '\n';
  } else {
    out << "acknowledged " << done->group_key << " episode " << done->episode << '\n';
  }
  return 0;
}

}  // namespace alertdigest
