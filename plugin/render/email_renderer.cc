#include "render/email_renderer.h"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>

#include "render/alert_attachment.h"
#include "render/embedded_templates.h"
#include "render/mime_writer.h"
#include "render/mustache_template.h"
#include "render/view_model.h"

namespace alertdigest {
namespace {

constexpr size_t kMaxSubjectChars = 200;
constexpr char kDefaultFrom[] = "alertdigest <alertdigest@localhost>";

// Headers MimeWriter writes itself; a receiver's extra headers may not replace them.
bool IsReservedHeader(std::string_view name) {
  static constexpr std::string_view kReserved[] = {"date",
                                                   "from",
                                                   "to",
                                                   "cc",
                                                   "bcc",
                                                   "subject",
                                                   "message-id",
                                                   "in-reply-to",
                                                   "references",
                                                   "mime-version",
                                                   "auto-submitted",
                                                   "x-alertdigest-kind",
                                                   "x-alertdigest-group",
                                                   "sender"};
  std::string lower;
  for (char c : name) lower += char(std::tolower(uint8_t(c)));
  if (lower.starts_with("content-")) return true;
  for (std::string_view r : kReserved) {
    if (lower == r) return true;
  }
  return false;
}

bool IsHeaderName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c <= 0x20 || c >= 0x7f || c == ':') return false;
  }
  return true;
}

std::optional<std::string> ReadFile(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Subjects and rendered header values: one line, single spaces, at most kMaxSubjectChars.
std::string CollapseToLine(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool space = uint8_t(c) <= 0x20 || c == 0x7f;
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  size_t chars = 0;
  for (char c : out) chars += (uint8_t(c) & 0xC0) != 0x80;
  return chars > kMaxSubjectChars ? TruncateUtf8(out, kMaxSubjectChars - 1) : out;
}

// kainjow keeps the lines of false standalone sections and of partial tags, which leaves stray
// blank lines in text bodies: drop leading blank lines and collapse runs of blank lines to one.
std::string TidyText(std::string_view text) {
  const std::string lf = [&] {
    std::string s;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\r') {
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        s += '\n';
      } else {
        s += text[i];
      }
    }
    return s;
  }();
  std::string out;
  size_t newlines = 2;  // as if after a blank line: leading blank lines go
  for (char c : lf) {
    if (c == '\n') {
      if (++newlines > 2) continue;
    } else {
      newlines = 0;
    }
    out += c;
  }
  return out;
}

std::string DomainOf(const std::string& address) {
  const size_t at = address.rfind('@');
  std::string domain;
  if (at != std::string::npos) {
    for (char c : address.substr(at + 1)) {
      if (std::isalnum(uint8_t(c)) || c == '.' || c == '-') domain += c;
    }
  }
  return domain.empty() ? "alertdigest.localhost" : domain;
}

std::string CompactUtc(Timestamp t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{floor<seconds>(t - day)};
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}", int(ymd.year()), unsigned(ymd.month()),
                     unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(),
                     hms.seconds().count());
}

class MustacheEmailRenderer final : public EmailRenderer {
 public:
  struct ReceiverTemplates {
    Receiver receiver;
    std::optional<MustacheTemplate> subject, text, html;
    std::vector<std::pair<std::string, MustacheTemplate>> headers;
  };

  MustacheEmailRenderer(Config config, std::vector<ReceiverTemplates> receivers)
      : config_(std::move(config)),
        receivers_(std::move(receivers)),
        from_(ParseMailbox(config_.smtp.from.empty() ? kDefaultFrom : config_.smtp.from)),
        rng_(std::random_device{}()) {}

  Result<Email> Render(const Notification& n, const EpisodeThread& thread) const override;
  // INTERIM (issue 6 in progress): replaced by the digest/escalation renderer.
  Result<Email> RenderDigest(const DigestReport&) const override {
    return Status::Internal("render digest: not built yet");
  }
  Result<Email> RenderEscalation(const EscalationNotice&, const EpisodeThread&) const override {
    return Status::Internal("render escalation: not built yet");
  }

 private:
  uint64_t Random() const {
    std::lock_guard<std::mutex> lock(rng_mu_);
    return rng_();
  }

  const Config config_;
  const std::vector<ReceiverTemplates> receivers_;
  const Mailbox from_;
  mutable std::mutex rng_mu_;
  mutable std::mt19937_64 rng_;  // guarded by rng_mu_
};

Result<Email> MustacheEmailRenderer::Render(const Notification& n,
                                            const EpisodeThread& thread) const {
  const ReceiverTemplates* rt = nullptr;
  for (const ReceiverTemplates& r : receivers_) {
    if (r.receiver.name == n.receiver) rt = &r;
  }
  if (rt == nullptr) {
    return Status::NotFound("render email: unknown receiver \"" + n.receiver + "\"");
  }
  const Receiver& receiver = rt->receiver;
  const mustache::data view = BuildViewModel(n, receiver, config_);

  Email email;
  if (!thread.subject.empty()) {
    email.subject = thread.subject;
  } else {
    Result<std::string> subject = rt->subject->Render(view);
    if (!subject.ok()) return subject.status().Wrap("render subject");
    email.subject = CollapseToLine(*subject);
  }
  Result<std::string> text = rt->text->Render(view);
  if (!text.ok()) return text.status().Wrap("render text body");
  Result<std::string> html = rt->html->Render(view);
  if (!html.ok()) return html.status().Wrap("render html body");

  const Timestamp now =
      n.now != kNoTime ? n.now
                       : std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  email.message_id =
      fmt::format("{}.{:016x}@{}", CompactUtc(now), Random(), DomainOf(from_.address));
  email.envelope_from = from_.address;

  MimeWriter w;
  w.SetDate(now);
  w.SetFrom(from_);
  auto add_recipient = [&](const std::string& text) {
    Mailbox m = ParseMailbox(text);
    for (const std::string& r : email.recipients) {
      if (r == m.address) return m;
    }
    email.recipients.push_back(m.address);
    return m;
  };
  for (const std::string& to : receiver.to) w.AddTo(add_recipient(to));
  for (const std::string& cc : receiver.cc) w.AddCc(add_recipient(cc));
  for (const std::string& bcc : receiver.bcc) add_recipient(bcc);  // envelope only
  w.SetSubject(email.subject);
  w.SetMessageId(email.message_id);
  if (!thread.first_message_id.empty()) w.SetInReplyTo(thread.first_message_id);
  w.SetKind(std::string(EmailKindText(n.kind)));
  w.SetGroup(HashHex(n.group_key));
  for (const auto& [name, tmpl] : rt->headers) {
    Result<std::string> value = tmpl.Render(view);
    if (!value.ok()) return value.status().Wrap("render header " + name);
    w.AddHeader(name, CollapseToLine(*value));
  }
  w.SetText(TidyText(*text));
  w.SetHtml(std::move(*html));
  if (receiver.attach == Receiver::Attach::kCsv) w.SetAttachment(CsvAttachment(n));
  if (receiver.attach == Receiver::Attach::kJson) w.SetAttachment(JsonAttachment(n));
  email.data = w.Write(Random());
  return email;
}

}  // namespace

std::unique_ptr<EmailRenderer> EmailRenderer::Create(const Config& config,
                                                     std::vector<ConfigError>* errors) {
  const std::string templates_dir = config.templates_dir;
  const MustacheTemplate::PartialLoader load_partial =
      [templates_dir](const std::string& name) -> std::optional<TemplateText> {
    if (name.empty() || name.find('/') != std::string::npos || name.starts_with(".")) {
      return std::nullopt;
    }
    if (!templates_dir.empty()) {
      const std::string path = templates_dir + "/" + name + ".mustache";
      std::error_code ec;
      if (std::filesystem::is_regular_file(path, ec)) {
        std::string error;
        if (std::optional<std::string> text = ReadFile(path, &error))
          return TemplateText{path, *text};
      }
    }
    if (std::optional<std::string_view> text = EmbeddedTemplate(name)) {
      return TemplateText{"<built-in>/" + name + ".mustache", std::string(*text)};
    }
    return std::nullopt;
  };

  const size_t errors_before = errors->size();
  std::vector<MustacheEmailRenderer::ReceiverTemplates> receivers;
  for (size_t i = 0; i < config.receivers.size(); ++i) {
    const Receiver& r = config.receivers[i];
    const std::string prefix = "receiver[" + std::to_string(i) + "].";
    MustacheEmailRenderer::ReceiverTemplates rt{r, {}, {}, {}, {}};
    auto compile = [&](const TemplateRef& ref, const char* name,
                       MustacheTemplate::Escape escape) -> std::optional<MustacheTemplate> {
      const std::string key_path = ref.key_path.empty() ? prefix + name : ref.key_path;
      TemplateText main;
      if (ref.path.empty()) {
        main = {std::string("<built-in>/") + name + ".mustache",
                std::string(EmbeddedTemplate(name).value_or(""))};
      } else {
        std::string error;
        std::optional<std::string> text = ReadFile(ref.path, &error);
        if (!text) {
          errors->push_back({ref.where, key_path, "read template " + ref.path + ": " + error});
          return std::nullopt;
        }
        main = {ref.path, std::move(*text)};
      }
      ConfigError error;
      std::optional<MustacheTemplate> t =
          MustacheTemplate::Compile(main, escape, load_partial, key_path, &error);
      if (!t) errors->push_back(std::move(error));
      return t;
    };
    rt.subject = compile(r.subject, "subject", MustacheTemplate::Escape::kNone);
    rt.text = compile(r.text, "text", MustacheTemplate::Escape::kNone);
    rt.html = compile(r.html, "html", MustacheTemplate::Escape::kHtml);
    for (const auto& [name, value] : r.headers) {
      const std::string key_path = prefix + "headers." + name;
      if (!IsHeaderName(name)) {
        errors->push_back({r.where, key_path, "\"" + name + "\" is not a valid header name"});
        continue;
      }
      if (IsReservedHeader(name)) {
        errors->push_back({r.where, key_path, "header \"" + name + "\" is set by alertdigest"});
        continue;
      }
      ConfigError error;
      std::optional<MustacheTemplate> t = MustacheTemplate::Compile(
          {r.where.file, value}, MustacheTemplate::Escape::kNone, load_partial, key_path, &error);
      if (!t) {
        error.where = r.where;  // the value sits in the config file, not in a template file
        errors->push_back(std::move(error));
        continue;
      }
      rt.headers.emplace_back(name, std::move(*t));
    }
    receivers.push_back(std::move(rt));
  }
  if (errors->size() != errors_before) return nullptr;
  return std::make_unique<MustacheEmailRenderer>(config, std::move(receivers));
}

}  // namespace alertdigest
