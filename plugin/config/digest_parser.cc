#include "config/digest_parser.h"

#include <fmt/format.h>

#include <cstdint>

namespace alertdigest::config_internal {

void DigestParser::Parse(TomlReader& file_root, std::vector<DigestRule>& out) {
  const toml::array* arr = file_root.TableArray("digest");
  if (!arr) return;
  for (size_t i = 0; i < arr->size(); ++i) {
    TomlReader r(*arr->get(i)->as_table(), fmt::format("digest[{}]", i), file_root.file(), diag_);
    DigestRule digest;
    Written written;
    ParseOne(r, digest, written);
    r.ReportUnknownKeys();
    out.push_back(std::move(digest));
    written_.push_back(std::move(written));
  }
}

void DigestParser::ParseOne(TomlReader& r, DigestRule& out, Written& written) {
  out.where = r.Where();
  written.where = r.Where();
  written.key_path = r.path();
  written.name = names_.Claim(r);
  if (written.name) out.name = *written.name;

  if (std::optional<std::string> text = r.String("schedule")) {
    Result<CronSchedule> schedule = CronSchedule::Parse(*text);
    if (schedule.ok()) {
      out.schedule = std::move(schedule).value();
    } else {
      r.Error("schedule",
              fmt::format("bad schedule \"{}\": {}", *text, schedule.status().message()));
    }
  } else if (!r.Node("schedule")) {
    r.Error("schedule", "missing (a 5-field cron expression, e.g. \"0 8 * * 1-5\")");
  }

  if (std::optional<std::string> tz = r.TimeZone("timezone")) out.timezone = *tz;

  if (std::optional<std::vector<ListItem>> items = r.StringList("matchers")) {
    written.has_matchers = !items->empty();
    for (const ListItem& item : *items) {
      Result<Matcher> m = Matcher::Parse(item.value);
      if (m.ok()) {
        out.matchers.push_back(std::move(m).value());
      } else {
        diag_.Error(item.where, item.key_path, m.status().message());
      }
    }
  } else if (r.Node("matchers")) {
    written.has_matchers = true;  // reported as malformed: no second "selects no alerts"
  }

  if (std::optional<std::string> receiver = r.String("receiver")) {
    if (receiver->empty()) {
      r.Error("receiver", "must not be empty");
    } else {
      out.receiver = *receiver;
      written.receiver = ListItem{*receiver, r.Where("receiver"), r.PathOf("receiver")};
    }
  } else if (!r.Node("receiver")) {
    r.Error("receiver", "missing (the [[receiver]] the digest is mailed to)");
  }

  out.window = r.PositiveDurOrNone("window");
  if (std::optional<bool> v = r.Bool("send_empty")) out.send_empty = *v;
  if (std::optional<int64_t> v = r.Int("flapping_threshold")) {
    if (*v < 1 || *v > INT32_MAX) {
      r.Error("flapping_threshold", fmt::format("must be between 1 and {}, got {}", INT32_MAX, *v));
    } else {
      out.flapping_threshold = static_cast<int>(*v);
    }
  }
}

void DigestParser::AddNames(DefinedNames& names) const { names_.AddTo(names.digests); }

void DigestParser::CheckReferences(const DefinedNames& names, const std::set<std::string>& routed) {
  for (const Written& w : written_) {
    if (w.receiver) CheckDefined(diag_, *w.receiver, "receiver", names.receivers);
    if (w.name && !w.has_matchers && !routed.contains(*w.name)) {
      diag_.Error(w.where, w.key_path,
                  fmt::format("selects no alerts: give it matchers or route alerts to receiver "
                              "\"{}{}\"",
                              kDigestReceiverPrefix, *w.name));
    }
  }
}

}  // namespace alertdigest::config_internal
