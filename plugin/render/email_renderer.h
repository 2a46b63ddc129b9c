// Renders Notifications into Emails: Mustache templates (compiled once, at Create) over the one
// view model documented in README.md, then MIME via MimeWriter.
//
// Thread-safety: immutable after Create(); Render() may be called from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "render/email.h"

namespace alertdigest {

class EmailRenderer {
 public:
  // Compiles the subject/text/html templates of every receiver (files or the built-in defaults),
  // the built-in digest and escalation templates, and the partials they use. On failure returns every broken template as a ConfigError
  // ("templates/x.mustache:3: receiver[0].html: unclosed section \"alerts\"").
  static std::unique_ptr<EmailRenderer> Create(const Config& config,
                                               std::vector<ConfigError>* errors);
  virtual ~EmailRenderer() = default;

  // Looks up n.receiver in the config given to Create(). From is smtp.from, or
  // "alertdigest <alertdigest@localhost>" when unset.
  virtual Result<Email> Render(const Notification& n, const EpisodeThread& thread) const = 0;

  // A calendar digest (X-Alertdigest-Kind: digest, X-Alertdigest-Group: HashHex("digest:" +
  // rule)) to report.receiver's To/Cc/Bcc, from the built-in digest.* templates (a receiver's
  // own templates and extra headers are for group notifications only), times on the wall clock
  // of report.timezone. The HTML part, as sent (quoted-printable) and so also decoded, stays
  // under kMaxDigestHtmlBytes whatever the input: every section shows the same number of
  // entries, at most 50 (kMaxDigestEntriesPerSection) and fewer when needed, the rest summarised as
  // "and N more"; the text part makes the same cuts. With the receiver's attach = "csv" (or
  // "json") every entry goes into digest-<rule>-<local date>.csv (.json). An empty report
  // renders a short "nothing happened" mail (whether to send it is the caller's send_empty).
  // Errors: NotFound for an unknown receiver, InvalidArgument for an unknown time zone
  // ("render digest <rule>: unknown time zone \"X\"").
  virtual Result<Email> RenderDigest(const DigestReport& report) const = 0;

  // An escalation step (X-Alertdigest-Kind: escalation, X-Alertdigest-Group as the group's
  // notifications) to notice.recipients only (never the receiver's To), from the built-in
  // escalation.* templates, with the ack link and its expiry in both the text and the HTML part.
  // Threaded per episode like Render(): a non-empty thread.subject is reused verbatim and
  // thread.first_message_id becomes In-Reply-To/References. InvalidArgument when there are no
  // recipients.
  virtual Result<Email> RenderEscalation(const EscalationNotice& notice,
                                         const EpisodeThread& thread) const = 0;
};

// Gmail clips HTML bodies above ~102 KB; the HTML part of a digest stays under this.
inline constexpr size_t kMaxDigestHtmlBytes = 96 * 1024;

}  // namespace alertdigest
