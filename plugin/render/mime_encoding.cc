#include "render/mime_encoding.h"

#include <vector>

namespace alertdigest {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// RFC 2047 §2: an encoded-word is at most 75 characters. 45 octets → 60 base64 characters,
// plus the 12 of "=?UTF-8?B?" and "?=", is 72.
constexpr size_t kOctetsPerWord = 45;
// RFC 5322 §2.1.1: lines SHOULD be at most 78 characters and MUST be at most 998.
constexpr size_t kSoftLineLimit = 78;
constexpr size_t kLongestPlainWord = 900;

std::string Base64Raw(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += kBase64[n & 63];
  }
  if (i + 1 == data.size()) {
    uint32_t n = uint8_t(data[i]) << 16;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == data.size()) {
    uint32_t n = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8);
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += kBase64[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string EncodeWords(std::string_view text);

bool IsUtf8Continuation(char c) { return (uint8_t(c) & 0xC0) == 0x80; }

std::vector<std::string_view> SplitOnSpace(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t sp = text.find(' ', start);
    parts.push_back(text.substr(start, sp == std::string_view::npos ? sp : sp - start));
    if (sp == std::string_view::npos) break;
    start = sp + 1;
  }
  return parts;
}

}  // namespace

std::string NormalizeLineEnds(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
    } else if (c == '\n') {
      out += "\r\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EncodeQuotedPrintable(std::string_view input) {
  const std::string text = NormalizeLineEnds(input);
  std::string out;
  out.reserve(text.size() * 11 / 10);
  size_t line_start = 0;
  while (line_start <= text.size()) {
    size_t line_end = text.find("\r\n", line_start);
    const bool hard_break = line_end != std::string::npos;
    if (!hard_break) line_end = text.size();
    const std::string_view line(text.data() + line_start, line_end - line_start);

    size_t col = 0;
    auto token = [&](size_t i) -> std::string {
      const char c = line[i];
      const uint8_t u = uint8_t(c);
      const bool last = i + 1 == line.size();
      bool encode;
      if (c == ' ' || c == '\t') {
        encode = last;
      } else if (c == '.' || (c == 'F' && line.substr(i, 5) == "From ")) {
        encode = col == 0;  // SMTP dot lines and mbox "From " munging
      } else {
        encode = c == '=' || u < 33 || u > 126;
      }
      if (!encode) return std::string(1, c);
      return std::string{'=', kHex[u >> 4], kHex[u & 15]};
    };
    for (size_t i = 0; i < line.size(); ++i) {
      std::string t = token(i);
      // A soft break costs one '=' at the end of the line: keep every line at most 76.
      const bool last_token = i + 1 == line.size();
      if (col + t.size() > (last_token ? 76u : 75u)) {
        out += "=\r\n";
        col = 0;
        t = token(i);
      }
      out += t;
      col += t.size();
    }
    if (!hard_break) break;
    out += "\r\n";
    line_start = line_end + 2;
  }
  return out;
}

std::string EncodeBase64(std::string_view data) {
  const std::string raw = Base64Raw(data);
  std::string out;
  out.reserve(raw.size() + raw.size() / 38 + 2);
  for (size_t i = 0; i < raw.size(); i += 76) {
    out.append(raw, i, 76);
    out += "\r\n";
  }
  return out;
}

std::string SanitizeHeaderValue(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if (uint8_t(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

bool IsPrintableAscii(std::string_view text) {
  for (char c : text) {
    if (uint8_t(c) < 0x20 || uint8_t(c) > 0x7e) return false;
  }
  return true;
}

std::string EncodeHeaderWord(std::string_view text) {
  if (IsPrintableAscii(text) && text.find("=?") == std::string_view::npos) {
    return std::string(text);
  }
  return EncodeWords(text);
}

namespace {

std::string EncodeWords(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t len = std::min(kOctetsPerWord, text.size() - pos);
    if (pos + len < text.size()) {
      // Never split a UTF-8 sequence: back off to the start of the character at the cut.
      size_t cut = len;
      while (cut > 0 && IsUtf8Continuation(text[pos + cut])) --cut;
      if (cut > 0) len = cut;  // invalid UTF-8 (no lead byte in reach): cut anyway
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?";
    out += Base64Raw(text.substr(pos, len));
    out += "?=";
    pos += len;
  }
  return out;
}

}  // namespace

std::string FormatHeader(std::string_view name, std::string_view value) {
  const std::string clean = SanitizeHeaderValue(value);
  std::string out = std::string(name) + ":";
  const std::vector<std::string_view> words = SplitOnSpace(clean);
  bool plain = IsPrintableAscii(clean) && clean.find("=?") == std::string::npos;
  for (std::string_view w : words) plain = plain && w.size() <= kLongestPlainWord;
  if (!plain) {
    out += ' ';
    out += EncodeWords(clean);
    out += "\r\n";
    return out;
  }
  // Fold by turning a space into CRLF SP where the line would pass 78; unfolding restores it.
  size_t col = out.size();
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (!w.empty() && col + 1 + w.size() > kSoftLineLimit && col > name.size() + 1) {
      out += "\r\n";
      col = 0;
    }
    out += ' ';
    out += w;
    col += 1 + w.size();
  }
  out += "\r\n";
  return out;
}

Mailbox ParseMailbox(std::string_view text) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  const std::string clean = SanitizeHeaderValue(text);
  std::string_view s = trim(clean);
  Mailbox m;
  std::string_view addr = s;
  size_t lt = s.rfind('<');
  if (lt != std::string_view::npos && s.back() == '>') {
    addr = s.substr(lt + 1, s.size() - lt - 2);
    std::string_view name = trim(s.substr(0, lt));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
      for (size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '\\' && i + 1 < name.size()) ++i;
        m.name += name[i];
      }
    } else {
      m.name = std::string(name);
    }
  }
  for (char c : addr) {
    if (c != ' ' && c != '\t' && c != '<' && c != '>') m.address += c;
  }
  return m;
}

std::string FormatAddress(std::string_view display_name, std::string_view address) {
  std::string addr;
  for (char c : SanitizeHeaderValue(address)) {
    if (c != ' ' && c != '<' && c != '>') addr += c;
  }
  const std::string name = SanitizeHeaderValue(display_name);
  if (name.empty()) return addr;
  std::string phrase;
  if (!IsPrintableAscii(name)) {
    phrase = EncodeHeaderWord(name);
  } else if (name.find_first_of("()<>[]:;@\\,.\"") != std::string::npos ||
             name.find("=?") != std::string::npos) {
    phrase = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') phrase += '\\';
      phrase += c;
    }
    phrase += '"';
  } else {
    phrase = name;
  }
  return phrase + " <" + addr + ">";
}

}  // namespace alertdigest
