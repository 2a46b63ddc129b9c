#include "ingest/http/alert_submission.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "core/clock.h"
#include "ingest/http/request_guard.h"

namespace alertdigest::http {
namespace {

// At most this many rejections are spelled out in one answer; the rest are counted.
constexpr size_t kMaxRejectionsInMessage = 20;

// The index i of a rejection path "$[i]…" or "$.alerts[i]…"; nullopt for "$" itself.
std::optional<size_t> AlertIndexOf(std::string_view path) {
  size_t open = path.find('[');
  if (open == std::string_view::npos) return std::nullopt;
  size_t i = open + 1, index = 0;
  bool digits = false;
  for (; i < path.size() && path[i] >= '0' && path[i] <= '9'; ++i) {
    index = index * 10 + static_cast<size_t>(path[i] - '0');
    digits = true;
  }
  if (!digits || i >= path.size() || path[i] != ']') return std::nullopt;
  return index;
}

// A short, bounded class of why an alert was rejected, for the metric's reason label.
std::string_view ReasonClass(std::string_view path) {
  if (path.find(".labels") != std::string_view::npos) return "labels";
  if (path.find(".annotations") != std::string_view::npos) return "annotations";
  if (path.find(".startsAt") != std::string_view::npos ||
      path.find(".endsAt") != std::string_view::npos)
    return "time";
  return "alert";
}

struct Rejection {
  size_t index;
  std::string text;  // "$[1].labels: invalid label name \"a-b\""
  std::string_view reason_class;
};

std::string RejectionMessage(std::vector<Rejection>& rejections, size_t total) {
  std::stable_sort(rejections.begin(), rejections.end(),
                   [](const Rejection& a, const Rejection& b) { return a.index < b.index; });
  std::set<size_t> alerts;
  for (const Rejection& r : rejections) alerts.insert(r.index);
  std::string message = fmt::format("{} of {} alerts rejected: ", alerts.size(), total);
  for (size_t i = 0; i < rejections.size() && i < kMaxRejectionsInMessage; ++i) {
    if (i > 0) message += "; ";
    message += rejections[i].text;
  }
  if (rejections.size() > kMaxRejectionsInMessage) {
    message += fmt::format("; … and {} more", rejections.size() - kMaxRejectionsInMessage);
  }
  return message;
}

}  // namespace

void AlertSubmission::CountInvalid(std::string_view source, std::string_view reason,
                                   double n) const {
  metrics_
      .GetCounter("alertdigest_alerts_invalid_total", "Alerts rejected at intake, by reason.",
                  {{"source", std::string(source)}, {"reason", std::string(reason)}})
      .Inc(n);
}

PreparedSubmission AlertSubmission::Prepare(std::string_view body, PayloadShape shape,
                                            std::string_view source) const {
  PreparedSubmission out;
  out.batch.source = source;
  DecodeOptions options;
  options.now = SystemClock().Now();
  options.resolve_timeout = limits_.resolve_timeout;
  options.expect = shape;
  DecodeResult decoded = DecodeJson(body, 1, options);

  // A syntax error, or a document of the wrong shape, rejects the whole body.
  for (const RejectedEvent& e : decoded.rejected) {
    if (!AlertIndexOf(e.path)) {
      CountInvalid(source, "json", 1);
      out.reply = JsonErrorReply(400, fmt::format("{}: {} (line {})", e.path, e.reason, e.line));
      return out;
    }
  }

  std::set<size_t> rejected_indices;
  for (const RejectedEvent& e : decoded.rejected) rejected_indices.insert(*AlertIndexOf(e.path));
  const size_t total = decoded.alerts.size() + rejected_indices.size();
  metrics_
      .GetCounter("alertdigest_alerts_received_total", "Alerts received, by source.",
                  {{"source", std::string(source)}})
      .Inc(static_cast<double>(total));
  if (total > static_cast<size_t>(limits_.max_alerts_per_request)) {
    CountInvalid(source, "limit", static_cast<double>(total));
    out.reply = JsonErrorReply(413, fmt::format("{} alerts in one request, more than "
                                                "max_alerts_per_request ({}); nothing was "
                                                "accepted",
                                                total, limits_.max_alerts_per_request));
    return out;
  }

  std::vector<Rejection> rejections;
  for (const RejectedEvent& e : decoded.rejected) {
    rejections.push_back({*AlertIndexOf(e.path), e.path + ": " + e.reason, ReasonClass(e.path)});
  }
  // Accepted alerts fill, in order, the input positions no rejection names.
  const std::string prefix = shape == PayloadShape::kWebhook ? "$.alerts" : "$";
  std::vector<Alert>& valid = out.batch.alerts;
  valid.reserve(decoded.alerts.size());
  size_t index = 0;
  for (Alert& alert : decoded.alerts) {
    while (rejected_indices.count(index)) ++index;
    if (std::optional<LimitViolation> v = CheckLabelLimits(alert, limits_)) {
      rejections.push_back(
          {index, fmt::format("{}[{}].{}: {}", prefix, index, v->field, v->reason), "limit"});
    } else {
      valid.push_back(std::move(alert));
    }
    ++index;
  }
  std::map<std::string_view, double> invalid_by_reason;
  std::set<size_t> counted;
  for (const Rejection& r : rejections) {
    if (counted.insert(r.index).second) invalid_by_reason[r.reason_class] += 1;
  }
  for (const auto& [reason, n] : invalid_by_reason) CountInvalid(source, reason, n);

  if (!rejections.empty()) out.rejections = RejectionMessage(rejections, total);
  return out;
}

HttpReply AlertSubmission::Finish(PreparedSubmission& prepared) {
  if (prepared.reply) return std::move(*prepared.reply);
  const Status& st = prepared.batch.result;
  if (!st.ok()) {
    const bool transient =
        st.code() == Status::Code::kUnavailable || st.code() == Status::Code::kIoError;
    return JsonErrorReply(transient ? 503 : 500, "submit alerts: " + st.message());
  }
  if (!prepared.rejections.empty()) return JsonErrorReply(400, std::move(prepared.rejections));
  HttpReply stored;  // 200, empty body, like Alertmanager
  stored.content_type.clear();
  return stored;
}

HttpReply AlertSubmission::Handle(std::string_view body, PayloadShape shape,
                                  std::string_view source) const {
  PreparedSubmission prepared = Prepare(body, shape, source);
  if (!prepared.reply && !prepared.batch.alerts.empty()) {
    prepared.batch.result = intake_.Submit(std::move(prepared.batch.alerts), prepared.batch.source);
  }
  return Finish(prepared);
}

}  // namespace alertdigest::http
