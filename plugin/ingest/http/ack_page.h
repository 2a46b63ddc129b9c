// The HTML pages behind an ack link: the confirmation page a GET shows, the result of the POST,
// and the refusals. Each page is self-contained — inline CSS, no scripts, images, fonts or other
// requests — so it renders in any browser under ack_handler.cc's Content-Security-Policy, and
// every value that comes from alerts, labels, the form or the intake is HTML-escaped here.
//
// Thread-safety: stateless functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "ingest/intake.h"

namespace alertdigest::http {

// & < > " ' as character references; everything else as is.
std::string HtmlEscape(std::string_view text);

// The form's fields when it is shown again after a refused POST, and why it was refused.
struct AckForm {
  std::string by;
  std::string comment;
  std::string error;  // shown above the form; empty on the first GET
};

// GET /ack/{token}: the group's labels, its firing alerts (name and summary), the episode and
// since when it fires, and a form that POSTs `by` and `comment` back to the same URL — or, when
// the episode is already acknowledged, who did it and when, and no form.
std::string AckConfirmPage(const AckPreview& preview, Timestamp link_expires_at, Timestamp now,
                           const AckForm& form);

// The form alone, for a refused POST when the group's details cannot be shown.
std::string AckFormPage(const AckForm& form);

// The POST's result: "Acknowledged by X at T." or "This episode was already acknowledged by Y
// at T."; `by` is who just asked.
std::string AckDonePage(const AckResult& result, std::string_view by);

// A refusal or failure: a title, paragraphs of text and, optionally, commands shown as code.
std::string AckMessagePage(std::string_view title, const std::vector<std::string>& paragraphs,
                           const std::vector<std::string>& commands = {});

}  // namespace alertdigest::http
