#include "render/digest_view_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "render/alert_attachment.h"
#include "render/view_model.h"

namespace alertdigest {
namespace {

using mustache::data;

enum class EntryKind { kFired, kOpen, kResolved, kFlapping };

std::string Cut(std::string_view text) { return TruncateUtf8(text, kMaxDigestValueChars); }

// The labels other than alertname, "k=v, …", cut.
std::string OtherLabels(const LabelSet& labels) {
  LabelSetBuilder others;
  for (LabelView l : labels) {
    if (l.name != "alertname") others.Add(l.name, l.value);
  }
  return Cut(JoinLabels(others.Build(false)));
}

std::string AlertnameOf(const LabelSet& labels) {
  const std::string_view name = labels.Get("alertname");
  return name.empty() ? std::string("(no alertname)") : Cut(name);
}

// alertname, labels_text, has_labels: the fields every kind of entry shows first.
void SetTarget(data& d, const LabelSet& labels) {
  const std::string others = OtherLabels(labels);
  d.set("alertname", AlertnameOf(labels));
  d.set("labels_text", others);
  d.set("has_labels", !others.empty());
}

std::string When(const ZonedTimeText& zone, Timestamp t) {
  return t == kNoTime ? std::string("an unknown time") : zone.DayTime(t);
}

std::string Utc(Timestamp t) { return t == kNoTime ? "" : FormatRfc3339(t); }

std::string Times(int n) { return n == 1 ? "once" : std::to_string(n) + " times"; }

data EntryView(const DigestEntry& e, EntryKind kind, const ZonedTimeText& zone,
               Timestamp window_end) {
  data d;
  const bool open = e.ends_at == kNoTime;
  const std::string duration = ShortDuration(DigestEntryDuration(e, window_end));
  const Fingerprint fp = e.fingerprint.value != 0 ? e.fingerprint : e.labels.ComputeFingerprint();
  d.set("fingerprint", fp.ToHex());
  SetTarget(d, e.labels);
  std::string summary(e.annotations.Get("summary"));
  if (summary.empty()) summary = std::string(e.annotations.Get("description"));
  d.set("summary", Cut(summary));
  d.set("has_summary", !summary.empty());
  d.set("starts_at", When(zone, e.starts_at));
  d.set("ends_at", open ? std::string() : When(zone, e.ends_at));
  d.set("starts_at_utc", Utc(e.starts_at));
  d.set("ends_at_utc", Utc(e.ends_at));
  d.set("is_open", open);
  d.set("duration", duration);
  d.set("fired_count", std::to_string(e.fired_count));
  std::string detail;
  switch (kind) {
    case EntryKind::kFired:
      detail = "fired " + When(zone, e.starts_at) +
               (open ? ", still open" : ", resolved after " + duration);
      if (e.fired_count > 1) detail += ", " + Times(e.fired_count) + " in the window";
      break;
    case EntryKind::kOpen:
      detail = "open " + duration + ", since " + When(zone, e.starts_at);
      break;
    case EntryKind::kResolved:
      detail = "resolved " + When(zone, e.ends_at) + " after " + duration;
      break;
    case EntryKind::kFlapping:
      detail = "fired " + Times(e.fired_count) + ", last " + When(zone, e.starts_at) +
               (open ? ", still open" : "");
      break;
  }
  d.set("detail", detail);
  return d;
}

data CountView(const DigestCount& c) {
  data d;
  d.set("what", Cut(c.what));
  d.set("count", std::to_string(c.count));
  return d;
}

data EventView(const DigestEvent& e, const ZonedTimeText& zone) {
  data d;
  const bool ack = e.type == "ACKNOWLEDGEMENT";
  const std::string what = DigestEventWhat(e.type);
  SetTarget(d, e.labels);
  d.set("type", Cut(e.type));
  d.set("what", what);
  d.set("is_ack", ack);
  d.set("source", Cut(e.source));
  d.set("author", Cut(e.author));
  d.set("has_author", !e.author.empty());
  d.set("comment", Cut(e.comment));
  d.set("has_comment", !e.comment.empty());
  d.set("at", When(zone, e.at));
  d.set("at_utc", Utc(e.at));
  d.set("text", TruncateUtf8(DigestEventText(e), 2 * kMaxDigestValueChars));
  return d;
}

data DeferredView(const DigestDeferred& e, const ZonedTimeText& zone) {
  data d;
  SetTarget(d, e.labels);
  d.set("receiver", Cut(e.receiver));
  d.set("interval", Cut(e.interval));
  d.set("first_at", When(zone, e.first_at));
  d.set("last_at", When(zone, e.last_at));
  d.set("first_at_utc", Utc(e.first_at));
  d.set("last_at_utc", Utc(e.last_at));
  std::string text = "held back from " + Cut(e.receiver) + " by mute interval " +
                     Cut(e.interval) + ", first " + When(zone, e.first_at);
  if (e.last_at != e.first_at) text += ", last " + When(zone, e.last_at);
  d.set("text", text);
  return d;
}

// A section: its total, the first `max` entries made by `view`, and what was left out.
template <typename T, typename View>
data Section(const char* id, const char* title, const char* noun, const std::vector<T>& items,
             size_t max, const View& view) {
  data entries{data::type::list};
  const size_t shown = std::min(items.size(), max);
  for (size_t i = 0; i < shown; ++i) entries.push_back(view(items[i]));
  data d;
  d.set("id", id);
  d.set("title", title);
  std::string upper = title;
  for (char& c : upper) c = char(std::toupper(uint8_t(c)));
  d.set("title_upper", upper);
  d.set("noun", noun);
  d.set("count", std::to_string(items.size()));
  d.set("has_entries", !items.empty());
  d.set("entries", entries);
  d.set("omitted", std::to_string(items.size() - shown));
  d.set("truncated", items.size() > shown);
  return d;
}

}  // namespace

std::string ShortDuration(Duration d) {
  using namespace std::chrono;
  int64_t s = duration_cast<seconds>(d).count();
  if (s <= 0) return "0s";
  const int64_t parts[] = {s / 86400, s / 3600 % 24, s / 60 % 60, s % 60};
  const char* units[] = {"d", "h", "m", "s"};
  std::string out;
  int shown = 0;
  for (int i = 0; i < 4 && shown < 2; ++i) {
    if (parts[i] == 0) {
      if (shown > 0) break;  // "2d 4h", never "2d 0h"; "3h" rather than "3h 0m"
      continue;
    }
    if (!out.empty()) out += ' ';
    out += std::to_string(parts[i]) + units[i];
    ++shown;
  }
  return out;
}

Duration DigestEntryDuration(const DigestEntry& e, Timestamp window_end) {
  const Timestamp end = e.ends_at != kNoTime ? e.ends_at : window_end;
  if (e.starts_at == kNoTime || end == kNoTime || end < e.starts_at) return Duration{0};
  return end - e.starts_at;
}

std::string DigestEventWhat(std::string_view type) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"ACKNOWLEDGEMENT", "acknowledged"},
      {"FLAPPINGSTART", "flapping started"},
      {"FLAPPINGSTOP", "flapping stopped"},
      {"FLAPPINGEND", "flapping stopped"},
      {"FLAPPINGDISABLED", "flap detection disabled"},
      {"DOWNTIMESTART", "downtime started"},
      {"DOWNTIMEEND", "downtime ended"},
      {"DOWNTIMECANCELLED", "downtime cancelled"},
      {"DOWNTIMEREMOVED", "downtime cancelled"},
  };
  for (const auto& [name, text] : kNames) {
    if (type == name) return std::string(text);
  }
  std::string lower;
  for (char c : type) lower += char(std::tolower(uint8_t(c)));
  return Cut(lower.empty() ? "event" : lower);
}

std::string DigestEventText(const DigestEvent& e) {
  const bool ack = e.type == "ACKNOWLEDGEMENT";
  std::string text = DigestEventWhat(e.type);
  if (!ack && !e.source.empty()) text += " (" + e.source + ")";
  if (!e.author.empty()) text += " by " + e.author;
  if (ack && !e.source.empty()) text += " via " + e.source;
  if (!e.comment.empty()) text += ": " + e.comment;
  return text;
}

std::string DigestCounts(const DigestReport& r) {
  return fmt::format("{} fired, {} still open, {} resolved, {} flapping", r.fired.size(),
                     r.open.size(), r.resolved.size(), r.flapping.size());
}

mustache::data BuildDigestViewModel(const DigestReport& r, const ZonedTimeText& zone,
                                    const DigestViewOptions& options) {
  const size_t max = options.max_per_section;
  const Timestamp end = r.window_end;
  auto entries = [&](const char* id, const char* title, const char* noun,
                     const std::vector<DigestEntry>& items, EntryKind kind) {
    return Section(id, title, noun, items, max,
                   [&](const DigestEntry& e) { return EntryView(e, kind, zone, end); });
  };
  data sections{data::type::list};
  const data fired = entries("fired", "Newly fired", "fired alerts", r.fired, EntryKind::kFired);
  const data open = entries("open", "Still open", "open alerts", r.open, EntryKind::kOpen);
  const data resolved =
      entries("resolved", "Resolved", "resolved alerts", r.resolved, EntryKind::kResolved);
  const data flapping =
      entries("flapping", "Flapping", "flapping alerts", r.flapping, EntryKind::kFlapping);
  for (const data* s : {&fired, &open, &resolved, &flapping}) sections.push_back(*s);

  std::string headline = DigestCounts(r) + " — " + zone.DayTime(end);
  if (r.window_start != kNoTime) {
    // The zone once, unless the window crosses a change of it (CEST → CET).
    headline += ", window since " + (zone.Abbreviation(r.window_start) == zone.Abbreviation(end)
                                         ? zone.DayTimeNoZone(r.window_start)
                                         : zone.DayTime(r.window_start));
  }
  std::string late_note;
  if (r.late) {
    const bool same_day =
        r.generated_at == kNoTime || zone.IsoDate(r.generated_at) == zone.IsoDate(end);
    late_note = "sent late: alertdigest was not running at " +
                (same_day ? zone.Clock(end) : zone.DayTimeNoZone(end));
    if (r.generated_at != kNoTime) late_note += " (sent " + zone.DayTime(r.generated_at) + ")";
  }

  data d;
  d.set("kind", "digest");
  d.set("rule", Cut(r.rule));
  d.set("receiver", Cut(r.receiver));
  d.set("timezone", Cut(r.timezone.empty() ? "UTC" : r.timezone));
  d.set("counts", DigestCounts(r));
  d.set("headline", headline);
  d.set("window_start", zone.DayTime(r.window_start));
  d.set("window_end", zone.DayTime(end));
  d.set("window_end_day", zone.Day(end));
  d.set("window_start_utc", Utc(r.window_start));
  d.set("window_end_utc", Utc(end));
  d.set("generated_at", zone.DayTime(r.generated_at));
  d.set("late", r.late);
  d.set("late_note", late_note);
  d.set("is_empty", r.empty());
  d.set("sections", sections);
  d.set("fired", fired);
  d.set("open", open);
  d.set("resolved", resolved);
  d.set("flapping", flapping);
  d.set("noisiest_alertnames", Section("noisiest_alertnames", "Noisiest alerts", "alertnames",
                                       r.noisiest_alertnames, max, CountView));
  d.set("noisiest_label_sets", Section("noisiest_label_sets", "Noisiest label sets",
                                       "label sets", r.noisiest_label_sets, max, CountView));
  d.set("has_noisiest", !r.noisiest_alertnames.empty() || !r.noisiest_label_sets.empty());
  d.set("events", Section("events", "Events", "events", r.events, max,
                          [&](const DigestEvent& e) { return EventView(e, zone); }));
  d.set("deferred",
        Section("deferred", "Deferred by mute intervals", "deferred alerts", r.deferred, max,
                [&](const DigestDeferred& e) { return DeferredView(e, zone); }));
  const bool has_attachment = !options.attachment_filename.empty();
  d.set("has_attachment", has_attachment);
  d.set("attachment_filename", options.attachment_filename);
  d.set("attachment_complete", has_attachment && !options.attachment_cut);
  d.set("attachment_cut", has_attachment && options.attachment_cut);
  d.set("attachment_limit", AttachmentLimitText());
  std::string note;
  if (has_attachment && options.attachment_cut)
    note = fmt::format("{} lists those that fit in {}", options.attachment_filename,
                       AttachmentLimitText());
  else if (has_attachment)
    note = "all of them are in " + options.attachment_filename;
  d.set("attachment_note", note);
  d.set("external_url", options.external_url);
  return d;
}

}  // namespace alertdigest
