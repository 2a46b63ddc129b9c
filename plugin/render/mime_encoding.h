// The pieces MimeWriter is made of, public so each rule can be tested on its own: line-end
// normalisation, quoted-printable and base64 bodies, RFC 2047 encoded-words, header sanitising
// and folding, and mailbox formatting. All functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace alertdigest {

// Every line end (CRLF, lone CR, lone LF) becomes CRLF.
std::string NormalizeLineEnds(std::string_view text);

// Quoted-printable (RFC 2045 §6.7) of UTF-8 text. Line ends are normalised to CRLF first and kept
// as hard breaks; longer lines get soft breaks ("=" CRLF) so no output line exceeds 76 octets.
// Encoded: '=', non-ASCII, control characters, whitespace at the end of a line, and a '.' or
// "From " at the start of a line (so no transport can mangle them). Output is 7-bit.
std::string EncodeQuotedPrintable(std::string_view text);

// Base64 in lines of 76 characters, each ended by CRLF.
std::string EncodeBase64(std::string_view data);

// Header values come from alert data: CR, LF, NUL, every other C0 control and DEL become a space,
// so no value can end its header line or start a new header.
std::string SanitizeHeaderValue(std::string_view value);

// Printable ASCII (plus space) only.
bool IsPrintableAscii(std::string_view text);

// Text for an unstructured header (Subject) or a display name, already sanitised. Printable ASCII
// without "=?" is returned unchanged; anything else becomes RFC 2047 "=?UTF-8?B?…?=" words of at
// most 75 characters, each holding at most 45 input octets and cut only at UTF-8 character
// boundaries, separated by CRLF SP (a fold; decoders join adjacent encoded-words without space).
std::string EncodeHeaderWord(std::string_view text);

// One complete header line "Name: value" CRLF: the value is sanitised, encoded with
// EncodeHeaderWord when needed, and folded at whitespace so lines stay within 78 octets where
// possible and never exceed 998.
std::string FormatHeader(std::string_view name, std::string_view value);

// A mailbox split into its parts: "Zoë <zoe@example.com>" → {"Zoë", "zoe@example.com"};
// "a@b" → {"", "a@b"}. Quotes around the name are removed; both parts are sanitised.
struct Mailbox {
  std::string name;
  std::string address;
};
Mailbox ParseMailbox(std::string_view text);

// The header form of a mailbox: "a@b", "Alerts <a@b>", "\"Ops, EU\" <a@b>" (quoted when the name
// has RFC 5322 specials), or "=?UTF-8?B?…?= <a@b>" for non-ASCII names.
std::string FormatAddress(std::string_view display_name, std::string_view address);

}  // namespace alertdigest
