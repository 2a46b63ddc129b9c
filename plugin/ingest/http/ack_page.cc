#include "ingest/http/ack_page.h"

#include <fmt/format.h>

#include <algorithm>

namespace alertdigest::http {
namespace {

constexpr size_t kMaxAlertsShown = 50;

constexpr std::string_view kStyle = R"(
body{margin:0;padding:24px 12px;background:#f4f5f7;color:#1f2328;
font:15px/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
main{max-width:640px;margin:0 auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;
padding:20px 24px}
h1{font-size:20px;margin:0 0 12px}
h2{font-size:15px;margin:20px 0 6px}
p{margin:8px 0}
code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f4f5f7;
border-radius:4px}
code{padding:1px 4px;word-break:break-all}
pre{padding:8px 10px;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse}
td{padding:2px 12px 2px 0;vertical-align:top;word-break:break-all}
td:first-child{color:#59636e;white-space:nowrap}
ul{margin:4px 0;padding-left:20px}
.note{border-left:4px solid #bf8700;background:#fff8c5;padding:8px 12px;margin:12px 0}
.ok{border-left:4px solid #1a7f37;background:#dafbe1;padding:8px 12px;margin:12px 0}
.error{border-left:4px solid #cf222e;background:#ffebe9;padding:8px 12px;margin:12px 0}
label{display:block;font-weight:600;margin-top:12px}
input,textarea{box-sizing:border-box;width:100%;margin-top:4px;padding:6px 8px;font:inherit;
border:1px solid #d0d7de;border-radius:6px}
textarea{min-height:64px}
button{margin-top:16px;padding:8px 18px;font:inherit;font-weight:600;color:#fff;
background:#1f883d;border:0;border-radius:6px;cursor:pointer}
.small{color:#59636e;font-size:13px}
)";

std::string Page(std::string_view title, std::string_view body) {
  std::string out;
  out.reserve(kStyle.size() + body.size() + 512);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"robots\" content=\"noindex, nofollow\">\n";
  out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  out += "<title>" + HtmlEscape(title) + " · alertdigest</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<main>\n<h1>" + HtmlEscape(title) + "</h1>\n";
  out += body;
  out += "<p class=\"small\">alertdigest</p>\n</main>\n</body>\n</html>\n";
  return out;
}

std::string Time(Timestamp t) {
  const std::string text = FormatRfc3339(t);
  return "<time datetime=\"" + text + "\">" + text + "</time>";
}

std::string Form(const AckForm& form) {
  std::string out;
  if (!form.error.empty()) out += "<p class=\"error\">" + HtmlEscape(form.error) + "</p>\n";
  // No action attribute: the form posts to this page's own URL, the link with its token.
  out += "<form method=\"post\">\n";
  out += "<label for=\"by\">Acknowledged by (your name or address)</label>\n";
  out += "<input id=\"by\" name=\"by\" required maxlength=\"200\" value=\"" + HtmlEscape(form.by) +
         "\">\n";
  out += "<label for=\"comment\">Comment (optional)</label>\n";
  out += "<textarea id=\"comment\" name=\"comment\" maxlength=\"2000\">" +
         HtmlEscape(form.comment) + "</textarea>\n";
  out += "<button type=\"submit\">Acknowledge</button>\n</form>\n";
  return out;
}

std::string Labels(const LabelSet& labels) {
  std::string out = "<table>\n";
  for (LabelView l : labels) {
    out += "<tr><td>" + HtmlEscape(l.name) + "</td><td>" + HtmlEscape(l.value) + "</td></tr>\n";
  }
  return out + "</table>\n";
}

std::string FiringAlerts(const std::vector<Alert>& firing) {
  std::string out = "<ul>\n";
  for (size_t i = 0; i < std::min(firing.size(), kMaxAlertsShown); ++i) {
    const Alert& a = firing[i];
    std::string_view name = a.labels.Get("alertname");
    out += "<li><strong>" + HtmlEscape(name.empty() ? a.labels.ToString() : name) + "</strong>";
    if (std::string_view summary = a.annotations.Get("summary"); !summary.empty()) {
      out += " — " + HtmlEscape(summary);
    }
    out += "</li>\n";
  }
  if (firing.size() > kMaxAlertsShown) {
    out += fmt::format("<li>and {} more</li>\n", firing.size() - kMaxAlertsShown);
  }
  return out + "</ul>\n";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string AckConfirmPage(const AckPreview& preview, Timestamp link_expires_at, Timestamp now,
                           const AckForm& form) {
  std::string body;
  const bool acked = !preview.acked_by.empty();
  if (acked) {
    body += "<p class=\"ok\">Already acknowledged by " + HtmlEscape(preview.acked_by) + " at " +
            Time(preview.acked_at) + ". Nothing more to do.</p>\n";
  } else {
    body +=
        "<p>Acknowledging stops the escalation of this alert episode: nobody else is paged "
        "for it and its reminders stop. New alerts in the group start a new episode, which "
        "escalates again.</p>\n";
  }
  body += "<h2>Group</h2>\n" + Labels(preview.group_labels);
  body += fmt::format("<p class=\"small\">Group key <code>{}</code>, episode {}.</p>\n",
                      HtmlEscape(preview.group_key), preview.episode);

  Timestamp since = kNoTime;
  for (const Alert& a : preview.firing) {
    if (a.starts_at != kNoTime && (since == kNoTime || a.starts_at < since)) since = a.starts_at;
  }
  body += fmt::format("<h2>Firing alerts ({})</h2>\n", preview.firing.size());
  if (since != kNoTime) {
    body += "<p>Firing since " + Time(since);
    if (now > since) body += " (" + HtmlEscape(HumanizeDuration(now - since)) + ")";
    body += ".</p>\n";
  }
  body += preview.firing.empty() ? "<p>None.</p>\n" : FiringAlerts(preview.firing);
  if (!acked) body += Form(form);
  body += "<p class=\"small\">This link is valid until " + Time(link_expires_at) + ".</p>\n";
  return Page(acked ? "Already acknowledged" : "Acknowledge this alert?", body);
}

std::string AckFormPage(const AckForm& form) { return Page("Acknowledge this alert?", Form(form)); }

std::string AckDonePage(const AckResult& result, std::string_view by) {
  std::string body;
  if (result.already_acked) {
    body += "<p class=\"note\">This episode was already acknowledged by " +
            HtmlEscape(result.previous_by) + " at " + Time(result.at) + ". Nothing changed.</p>\n";
  } else {
    body += "<p class=\"ok\">Acknowledged by " + HtmlEscape(by) + " at " + Time(result.at) +
            ". The escalation of this episode stops.</p>\n";
  }
  body += fmt::format("<p class=\"small\">Group <code>{}</code>, episode {}.</p>\n",
                      HtmlEscape(result.group_key), result.episode);
  return Page(result.already_acked ? "Already acknowledged" : "Acknowledged", body);
}

std::string AckMessagePage(std::string_view title, const std::vector<std::string>& paragraphs,
                           const std::vector<std::string>& commands) {
  std::string body;
  for (const std::string& p : paragraphs) body += "<p>" + HtmlEscape(p) + "</p>\n";
  for (const std::string& c : commands) body += "<pre>" + HtmlEscape(c) + "</pre>\n";
  return Page(title, body);
}

}  // namespace alertdigest::http
