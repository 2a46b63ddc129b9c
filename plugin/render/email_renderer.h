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
  // Compiles the subject/text/html templates of every receiver (files or the built-in defaults)
  // and the partials they use. On failure returns every broken template as a ConfigError
  // ("templates/x.mustache:3: receiver[0].html: unclosed section \"alerts\"").
  static std::unique_ptr<EmailRenderer> Create(const Config& config,
                                               std::vector<ConfigError>* errors);
  virtual ~EmailRenderer() = default;

  // Looks up n.receiver in the config given to Create(). From is smtp.from, or
  // "alertdigest <alertdigest@localhost>" when unset.
  virtual Result<Email> Render(const Notification& n, const EpisodeThread& thread) const = 0;

  // A calendar digest (X-Alertdigest-Kind: digest) to report.receiver's To/Cc/Bcc. The HTML part
  // stays under Gmail's clipping limit (kMaxDigestHtmlBytes): sections are cut to what fits,
  // the rest summarised as "and N more" with counts; with the receiver's attach = "csv" (or
  // "json") every entry goes into the attachment.
  virtual Result<Email> RenderDigest(const DigestReport& report) const = 0;

  // An escalation step (X-Alertdigest-Kind: escalation) to notice.recipients, with the ack link
  // in both the text and the HTML part. Threaded per episode like group notifications.
  virtual Result<Email> RenderEscalation(const EscalationNotice& notice,
                                         const EpisodeThread& thread) const = 0;
};

// Gmail clips HTML bodies above ~102 KB; digests stay under this.
inline constexpr size_t kMaxDigestHtmlBytes = 96 * 1024;

}  // namespace alertdigest
