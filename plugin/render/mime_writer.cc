#include "render/mime_writer.h"

#include <fmt/format.h>

namespace alertdigest {
namespace {

// Message-IDs are ours, but a thread's first ID comes back from storage: keep only the
// characters an msg-id may hold so it cannot break the header.
std::string CleanMessageId(std::string_view id) {
  std::string out;
  for (char c : id) {
    if (c > 0x20 && c < 0x7f && c != '<' && c != '>') out += c;
  }
  return out;
}

std::string AsciiFilename(std::string_view name) {
  std::string out;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == '_';
    out += ok ? c : '_';
  }
  return out.empty() ? "attachment" : out;
}

// "=_" cannot occur in quoted-printable or base64 output, so these boundaries never collide with
// an encoded body; the search below is a second line of defence for the raw MIME headers.
std::string MakeBoundary(uint64_t seed, std::string_view tag, const std::string& content) {
  for (uint64_t n = seed;; n = n * 6364136223846793005ULL + 1442695040888963407ULL) {
    std::string b = fmt::format("=_ad_{}_{:016x}", tag, n);
    if (content.find(b) == std::string::npos) return b;
  }
}

}  // namespace

std::string MimeWriter::AddressHeader(std::string_view name,
                                      const std::vector<Mailbox>& list) const {
  // One address per line after the first: "To: a,\r\n b" keeps long lists under 998 octets.
  std::string out = std::string(name) + ": ";
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ",\r\n ";
    out += FormatAddress(list[i].name, list[i].address);
  }
  return out + "\r\n";
}

std::string MimeWriter::Write(uint64_t boundary_seed) const {
  const std::string text_part = EncodeQuotedPrintable(text_);
  const std::string html_part = EncodeQuotedPrintable(html_);
  const std::string attachment_part = has_attachment_ ? EncodeBase64(attachment_.data) : "";
  const std::string content = text_part + html_part + attachment_part;

  std::string h;
  h += FormatHeader("Date", FormatRfc5322(date_));
  h += AddressHeader("From", {from_});
  if (!to_.empty()) h += AddressHeader("To", to_);
  if (!cc_.empty()) h += AddressHeader("Cc", cc_);
  h += FormatHeader("Subject", subject_);
  h += "Message-ID: <" + CleanMessageId(message_id_) + ">\r\n";
  if (!in_reply_to_.empty()) {
    const std::string ref = "<" + CleanMessageId(in_reply_to_) + ">";
    h += "In-Reply-To: " + ref + "\r\n";
    h += "References: " + ref + "\r\n";
  }
  h += "MIME-Version: 1.0\r\n";
  h += "Auto-Submitted: auto-generated\r\n";
  if (!kind_.empty()) h += FormatHeader("X-Alertdigest-Kind", kind_);
  if (!group_.empty()) h += FormatHeader("X-Alertdigest-Group", group_);
  for (const auto& [name, value] : extra_headers_) h += FormatHeader(name, value);

  const std::string alt_boundary = MakeBoundary(boundary_seed, "alt", content);
  std::string alt;
  alt += "--" + alt_boundary + "\r\n";
  alt += "Content-Type: text/plain; charset=utf-8\r\n";
  alt += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  alt += text_part;
  alt += "\r\n--" + alt_boundary + "\r\n";
  alt += "Content-Type: text/html; charset=utf-8\r\n";
  alt += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  alt += html_part;
  alt += "\r\n--" + alt_boundary + "--\r\n";
  const std::string alt_type =
      "Content-Type: multipart/alternative;\r\n boundary=\"" + alt_boundary + "\"\r\n";

  if (!has_attachment_) return h + alt_type + "\r\n" + alt;

  const std::string mixed_boundary =
      MakeBoundary(boundary_seed ^ 0x9e3779b97f4a7c15ULL, "mix", content);
  const std::string filename = AsciiFilename(attachment_.filename);
  std::string out = h;
  out += "Content-Type: multipart/mixed;\r\n boundary=\"" + mixed_boundary + "\"\r\n\r\n";
  out += "--" + mixed_boundary + "\r\n";
  out += alt_type + "\r\n" + alt;
  out += "\r\n--" + mixed_boundary + "\r\n";
  out += FormatHeader("Content-Type", attachment_.content_type);
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "Content-Disposition: attachment; filename=\"" + filename + "\"\r\n\r\n";
  out += attachment_part;
  out += "\r\n--" + mixed_boundary + "--\r\n";
  return out;
}

}  // namespace alertdigest
