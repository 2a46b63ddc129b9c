#include "ingest/http/status_handler.h"

#include "ingest/http/json_writer.h"

#ifndef AD_VERSION
#define AD_VERSION "0.0.0"
#endif

namespace alertdigest::http {

HttpReply GetStatus(Timestamp started_at) {
  JsonWriter w;
  w.BeginObject();
  w.Key("cluster").BeginObject();
  w.Key("peers").BeginArray().EndArray();
  w.Key("status").String("disabled");
  w.EndObject();
  w.Key("config").BeginObject().Key("original").String("").EndObject();
  w.Key("uptime").String(FormatRfc3339(started_at));
  w.Key("versionInfo").BeginObject();
  w.Key("branch").String("");
  w.Key("buildDate").String("");
  w.Key("buildUser").String("");
  w.Key("goVersion").String("");
  w.Key("revision").String("");
  w.Key("version").String("alertdigest-" AD_VERSION);
  w.EndObject();
  w.EndObject();
  HttpReply reply;
  reply.content_type = "application/json";
  reply.body = w.Take();
  return reply;
}

}  // namespace alertdigest::http
