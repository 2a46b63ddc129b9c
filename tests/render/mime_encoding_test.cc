#include "render/mime_encoding.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace alertdigest {
namespace {

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t pos; (pos = s.find("\r\n", start)) != std::string::npos; start = pos + 2) {
    lines.push_back(s.substr(start, pos - start));
  }
  lines.push_back(s.substr(start));
  return lines;
}

std::string DecodeQp(const std::string& qp) {
  std::string out;
  for (size_t i = 0; i < qp.size(); ++i) {
    if (qp[i] == '=' && qp.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;
    } else if (qp[i] == '=') {
      out += char(std::stoi(qp.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += qp[i];
    }
  }
  return out;
}

std::string DecodeBase64(std::string_view in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0, acc = 0;
  for (char c : in) {
    size_t v = kAlphabet.find(c);
    if (v == std::string::npos) continue;
    acc = (acc << 6) | int(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((acc >> bits) & 0xff);
    }
  }
  return out;
}

// Decodes a run of =?UTF-8?B?…?= words; checks each word's size and that each holds whole
// UTF-8 characters.
std::string DecodeWords(const std::string& encoded) {
  std::string out;
  for (const std::string& line : Lines(encoded)) {
    std::string word = line.starts_with(" ") ? line.substr(1) : line;
    EXPECT_TRUE(word.starts_with("=?UTF-8?B?")) << word;
    EXPECT_TRUE(word.ends_with("?=")) << word;
    EXPECT_LE(word.size(), 75u) << word;
    std::string octets = DecodeBase64(word.substr(10, word.size() - 12));
    EXPECT_LE(octets.size(), 45u);
    EXPECT_NE(uint8_t(octets.front()) & 0xC0, 0x80) << "word starts inside a character";
    out += octets;
  }
  return out;
}

struct QpCase {
  const char* why;
  std::string in;
  std::string out;
};

TEST(EncodeQuotedPrintableTest, Table) {
  const QpCase cases[] = {
      {"plain ASCII passes", "hello world", "hello world"},
      {"equals sign is encoded", "a=b", "a=3Db"},
      {"trailing space before a line end", "end \nnext", "end=20\r\nnext"},
      {"trailing tab at the end of text", "end\t", "end=09"},
      {"LF becomes CRLF", "a\nb\n", "a\r\nb\r\n"},
      {"lone CR becomes CRLF", "a\rb", "a\r\nb"},
      {"CRLF stays", "a\r\nb", "a\r\nb"},
      {"UTF-8 is encoded", "Zoë", "Zo=C3=AB"},
      {"control characters are encoded", std::string("a\0b\x1b", 4), "a=00b=1B"},
      {"dot at line start is encoded", ".\nx", "=2E\r\nx"},
      {"mbox From is encoded", "From here", "=46rom here"},
  };
  for (const QpCase& c : cases) {
    EXPECT_EQ(EncodeQuotedPrintable(c.in), c.out) << c.why;
  }
}

TEST(EncodeQuotedPrintableTest, LongLinesGetSoftBreaksOfAtMost76) {
  std::string in;
  for (int i = 0; i < 300; ++i) in += (i % 7 == 0) ? "=" : (i % 11 == 0 ? "é" : "x");
  in += "\n" + std::string(500, 'y') + " \n";
  const std::string qp = EncodeQuotedPrintable(in);
  for (const std::string& line : Lines(qp)) {
    EXPECT_LE(line.size(), 76u) << line;
    // No =XX escape is split over a soft break.
    if (line.size() >= 2) {
      EXPECT_NE(line[line.size() - 2], '=') << line;
    }
  }
  EXPECT_EQ(
      DecodeQp(qp), "" + [&] {
        std::string crlf;
        for (char c : in) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        return crlf;
      }());
}

TEST(EncodeBase64Test, Lines76) {
  const std::string data(200, '\xff');
  const std::string b64 = EncodeBase64(data);
  std::vector<std::string> lines = Lines(b64);
  EXPECT_EQ(lines[0].size(), 76u);
  EXPECT_EQ(lines.back(), "");  // ends with CRLF
  EXPECT_EQ(DecodeBase64(b64), data);
  EXPECT_EQ(EncodeBase64("Man"), "TWFu\r\n");
  EXPECT_EQ(EncodeBase64("Ma"), "TWE=\r\n");
}

TEST(EncodeHeaderWordTest, AsciiIsUnchanged) {
  EXPECT_EQ(EncodeHeaderWord("[alertdigest] HighCPU (cluster=eu-1)"),
            "[alertdigest] HighCPU (cluster=eu-1)");
}

TEST(EncodeHeaderWordTest, LooksLikeAnEncodedWordIsEncoded) {
  EXPECT_EQ(DecodeWords(EncodeHeaderWord("=?UTF-8?B?QQ==?=")), "=?UTF-8?B?QQ==?=");
}

TEST(EncodeHeaderWordTest, EmojiAndUmlautsCutAtCharacterBoundaries) {
  std::string subject = "[alertdigest] Zoë's Ünicode 📬 alert";
  for (int i = 0; i < 20; ++i) subject += " 🔥ü";
  const std::string encoded = EncodeHeaderWord(subject);
  EXPECT_GT(Lines(encoded).size(), 3u);
  EXPECT_EQ(DecodeWords(encoded), subject);
  for (const std::string& line : Lines(encoded)) {
    std::string octets = DecodeBase64(line.substr(line.find("?B?") + 3));
    // The last byte of a word completes its character: decode must not end mid-sequence.
    size_t i = octets.size();
    while (i > 0 && (uint8_t(octets[i - 1]) & 0xC0) == 0x80) --i;
    ASSERT_GT(i, 0u);
    const uint8_t lead = uint8_t(octets[i - 1]);
    const size_t len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    EXPECT_EQ(octets.size() - (i - 1), len) << line;
  }
}

TEST(SanitizeHeaderValueTest, ControlsBecomeSpaces) {
  std::string in = "x\r\nBcc: evil@example.com";
  in += '\0';
  in += "\t\x7f";
  EXPECT_EQ(SanitizeHeaderValue(in), "x  Bcc: evil@example.com   ");
}

TEST(FormatHeaderTest, FoldsAsciiAtWhitespace) {
  std::string value;
  for (int i = 0; i < 30; ++i) value += "word" + std::to_string(i) + " ";
  value += "end";
  const std::string h = FormatHeader("Subject", value);
  EXPECT_TRUE(h.ends_with("\r\n"));
  for (const std::string& line : Lines(h.substr(0, h.size() - 2))) {
    EXPECT_LE(line.size(), 78u) << line;
  }
  std::string unfolded = h.substr(0, h.size() - 2);
  for (size_t p; (p = unfolded.find("\r\n")) != std::string::npos;) unfolded.erase(p, 2);
  EXPECT_EQ(unfolded, "Subject: " + value);
}

TEST(FormatHeaderTest, InjectionBecomesOneLine) {
  EXPECT_EQ(FormatHeader("X-Test", "x\r\nBcc: evil@example.com"),
            "X-Test: x  Bcc: evil@example.com\r\n");
}

TEST(FormatHeaderTest, HugeWordIsEncodedNotLeftLong) {
  const std::string h = FormatHeader("X-Test", std::string(2000, 'a'));
  for (const std::string& line : Lines(h)) EXPECT_LE(line.size(), 998u);
}

struct AddressCase {
  const char* why;
  const char* name;
  const char* address;
  const char* want;
};

TEST(FormatAddressTest, Table) {
  const AddressCase cases[] = {
      {"bare address", "", "a@example.com", "a@example.com"},
      {"simple name", "Alerts", "a@example.com", "Alerts <a@example.com>"},
      {"specials are quoted", "Ops, EU", "a@example.com", "\"Ops, EU\" <a@example.com>"},
      {"quotes are escaped", "say \"hi\"", "a@example.com", "\"say \\\"hi\\\"\" <a@example.com>"},
      {"non-ASCII is an encoded-word", "Zoë", "z@example.com",
       "=?UTF-8?B?Wm/Dqw==?= <z@example.com>"},
      {"CR/LF cannot break out", "A\r\nBcc: x@y", "a@example.com",
       "\"A  Bcc: x@y\" <a@example.com>"},
  };
  for (const AddressCase& c : cases) {
    EXPECT_EQ(FormatAddress(c.name, c.address), c.want) << c.why;
  }
}

TEST(ParseMailboxTest, Forms) {
  Mailbox m = ParseMailbox("Team <team@example.com>");
  EXPECT_EQ(m.name, "Team");
  EXPECT_EQ(m.address, "team@example.com");
  m = ParseMailbox("\"Ops, \\\"EU\\\"\" <ops@example.com>");
  EXPECT_EQ(m.name, "Ops, \"EU\"");
  EXPECT_EQ(m.address, "ops@example.com");
  m = ParseMailbox(" bare@example.com ");
  EXPECT_EQ(m.name, "");
  EXPECT_EQ(m.address, "bare@example.com");
}

}  // namespace
}  // namespace alertdigest
