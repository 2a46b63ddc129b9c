// MimeWriter: serialises one email to an RFC 5322 message string with CRLF line ends, once, so
// every transport and every retry sends the same bytes (notes/poco-smtp-1.11.md §5 explains why
// this is not Poco's MailMessage).
//
// Structure: multipart/alternative [text/plain, text/html] (UTF-8, quoted-printable); with an
// attachment, multipart/mixed [that alternative, the attachment (base64)]. Every header value is
// sanitised (alert data cannot add a header), non-ASCII text is RFC 2047-encoded, and no line of
// the output exceeds 998 octets. Bcc is never written: it belongs in the envelope only.
//
// Thread-safety: a MimeWriter is a plain value; use one per message.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "render/mime_encoding.h"

namespace alertdigest {

struct MimeAttachment {
  std::string filename;      // ASCII, e.g. "alerts.csv"; other characters are replaced by '_'
  std::string content_type;  // "text/csv; charset=utf-8"
  std::string data;
};

class MimeWriter {
 public:
  void SetDate(Timestamp t) { date_ = t; }
  void SetFrom(Mailbox from) { from_ = std::move(from); }
  void AddTo(Mailbox m) { to_.push_back(std::move(m)); }
  void AddCc(Mailbox m) { cc_.push_back(std::move(m)); }
  void SetSubject(std::string subject) { subject_ = std::move(subject); }
  void SetMessageId(std::string id) { message_id_ = std::move(id); }  // without <>
  // In-Reply-To and References of a follow-up in a thread; without <>.
  void SetInReplyTo(std::string id) { in_reply_to_ = std::move(id); }
  void SetKind(std::string kind) { kind_ = std::move(kind); }      // X-Alertdigest-Kind
  void SetGroup(std::string group) { group_ = std::move(group); }  // X-Alertdigest-Group
  // Written after the standard headers, in call order. Names must be header names (the caller
  // checks); values are sanitised and encoded like the subject.
  void AddHeader(std::string name, std::string value) {
    extra_headers_.emplace_back(std::move(name), std::move(value));
  }
  void SetText(std::string text) { text_ = std::move(text); }
  void SetHtml(std::string html) { html_ = std::move(html); }
  void SetAttachment(MimeAttachment a) {
    attachment_ = std::move(a);
    has_attachment_ = true;
  }

  // The whole message. `boundary_seed` makes the multipart boundaries (pass a random value; tests
  // pass a fixed one for reproducible output); a boundary is never a substring of the content.
  std::string Write(uint64_t boundary_seed) const;

 private:
  std::string AddressHeader(std::string_view name, const std::vector<Mailbox>& list) const;

  Timestamp date_ = kNoTime;
  Mailbox from_;
  std::vector<Mailbox> to_;
  std::vector<Mailbox> cc_;
  std::string subject_;
  std::string message_id_;
  std::string in_reply_to_;
  std::string kind_;
  std::string group_;
  std::vector<std::pair<std::string, std::string>> extra_headers_;
  std::string text_;
  std::string html_;
  MimeAttachment attachment_;
  bool has_attachment_ = false;
};

}  // namespace alertdigest
