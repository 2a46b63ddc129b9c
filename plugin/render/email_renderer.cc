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
#include "render/digest_attachment.h"
#include "render/digest_view_model.h"
#include "render/embedded_templates.h"
#include "render/escalation_view_model.h"
#include "render/mime_writer.h"
#include "render/mustache_template.h"
#include "render/view_model.h"
#include "render/zoned_time_text.h"

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

// The built-in subject/text/html of one kind of mail (digest, escalation).
struct KindTemplates {
  std::optional<MustacheTemplate> subject, text, html;
};

struct RenderedBodies {
  std::string text;
  std::string html;
};

Result<RenderedBodies> RenderBodies(const KindTemplates& t, const mustache::data& view) {
  Result<std::string> text = t.text->Render(view);
  if (!text.ok()) return text.status().Wrap("render text body");
  Result<std::string> html = t.html->Render(view);
  if (!html.ok()) return html.status().Wrap("render html body");
  return RenderedBodies{TidyText(*text), std::move(*html)};
}

// The HTML part as sent (quoted-printable) fits Gmail's clipping limit; QP never shrinks text,
// so the decoded part fits too.
bool HtmlFits(const std::string& html) {
  return html.size() < kMaxDigestHtmlBytes &&
         EncodeQuotedPrintable(html).size() < kMaxDigestHtmlBytes;
}

class MustacheEmailRenderer final : public EmailRenderer {
 public:
  struct ReceiverTemplates {
    Receiver receiver;
    std::optional<MustacheTemplate> subject, text, html;
    std::vector<std::pair<std::string, MustacheTemplate>> headers;
  };

  MustacheEmailRenderer(Config config, std::vector<ReceiverTemplates> receivers,
                        KindTemplates digest, KindTemplates escalation)
      : config_(std::move(config)),
        receivers_(std::move(receivers)),
        digest_(std::move(digest)),
        escalation_(std::move(escalation)),
        from_(ParseMailbox(config_.smtp.from.empty() ? kDefaultFrom : config_.smtp.from)),
        rng_(std::random_device{}()) {}

  Result<Email> Render(const Notification& n, const EpisodeThread& thread) const override;
  Result<Email> RenderDigest(const DigestReport& report) const override;
  Result<Email> RenderEscalation(const EscalationNotice& notice,
                                 const EpisodeThread& thread) const override;

 private:
  uint64_t Random() const {
    std::lock_guard<std::mutex> lock(rng_mu_);
    return rng_();
  }

  const ReceiverTemplates* FindReceiver(const std::string& name) const {
    for (const ReceiverTemplates& r : receivers_) {
      if (r.receiver.name == name) return &r;
    }
    return nullptr;
  }

  // A new Email from us at `now` (kNoTime: the system clock): Message-ID, envelope sender,
  // and a MimeWriter with Date, From, Message-ID, kind and group set.
  MimeWriter Start(Email* email, Timestamp now, EmailKind kind, const std::string& group) const;

  const Config config_;
  const std::vector<ReceiverTemplates> receivers_;
  const KindTemplates digest_;
  const KindTemplates escalation_;
  const Mailbox from_;
  mutable std::mutex rng_mu_;
  mutable std::mt19937_64 rng_;  // guarded by rng_mu_
};

// Adds a recipient to the envelope list once; returns it parsed for the header.
Mailbox AddRecipient(Email* email, const std::string& text) {
  Mailbox m = ParseMailbox(text);
  for (const std::string& r : email->recipients) {
    if (r == m.address) return m;
  }
  email->recipients.push_back(m.address);
  return m;
}

// To/Cc/Bcc of a receiver: Bcc goes into the envelope only.
void AddReceiverRecipients(const Receiver& receiver, Email* email, MimeWriter* w) {
  for (const std::string& to : receiver.to) w->AddTo(AddRecipient(email, to));
  for (const std::string& cc : receiver.cc) w->AddCc(AddRecipient(email, cc));
  for (const std::string& bcc : receiver.bcc) AddRecipient(email, bcc);
}

MimeWriter MustacheEmailRenderer::Start(Email* email, Timestamp now, EmailKind kind,
                                        const std::string& group) const {
  if (now == kNoTime) {
    now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
  }
  email->message_id =
      fmt::format("{}.{:016x}@{}", CompactUtc(now), Random(), DomainOf(from_.address));
  email->envelope_from = from_.address;
  MimeWriter w;
  w.SetDate(now);
  w.SetFrom(from_);
  w.SetMessageId(email->message_id);
  w.SetKind(std::string(EmailKindText(kind)));
  w.SetGroup(group);
  return w;
}

Result<Email> MustacheEmailRenderer::Render(const Notification& n,
                                            const EpisodeThread& thread) const {
  const ReceiverTemplates* rt = FindReceiver(n.receiver);
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

  MimeWriter w = Start(&email, n.now, n.kind, HashHex(n.group_key));
  AddReceiverRecipients(receiver, &email, &w);
  w.SetSubject(email.subject);
  if (!thread.first_message_id.empty()) w.SetInReplyTo(thread.first_message_id);
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

Result<Email> MustacheEmailRenderer::RenderDigest(const DigestReport& report) const {
  const ReceiverTemplates* rt = FindReceiver(report.receiver);
  if (rt == nullptr) {
    return Status::NotFound("render digest " + report.rule + ": unknown receiver \"" +
                            report.receiver + "\"");
  }
  const Receiver& receiver = rt->receiver;
  Result<ZonedTimeText> zone = ZonedTimeText::Create(report.timezone);
  if (!zone.ok()) return zone.status().Wrap("render digest " + report.rule);

  std::optional<MimeAttachment> attachment;
  size_t left_out = 0;  // of the attachment: it stops at kMaxAttachmentBytes
  if (receiver.attach == Receiver::Attach::kCsv)
    attachment = DigestCsvAttachment(report, *zone, &left_out);
  if (receiver.attach == Receiver::Attach::kJson)
    attachment = DigestJsonAttachment(report, *zone, &left_out);
  DigestViewOptions options;
  options.attachment_filename = attachment ? attachment->filename : "";
  options.attachment_cut = left_out > 0;
  options.external_url = PublicBaseUrl(config_.server);

  // The largest number of entries per section whose HTML fits; every value in the view is
  // bounded, so the size only grows with it and 0 (headings and "and N more" only) always fits.
  auto render_with = [&](size_t per_section) -> Result<RenderedBodies> {
    options.max_per_section = per_section;
    return RenderBodies(digest_, BuildDigestViewModel(report, *zone, options));
  };
  Result<RenderedBodies> bodies = render_with(kMaxDigestEntriesPerSection);
  if (!bodies.ok()) return bodies.status().Wrap("render digest " + report.rule);
  if (!HtmlFits(bodies->html)) {
    size_t lo = 0, hi = kMaxDigestEntriesPerSection - 1;  // the answer lies in [lo, hi]
    while (lo < hi) {
      const size_t mid = (lo + hi + 1) / 2;
      Result<RenderedBodies> b = render_with(mid);
      if (!b.ok()) return b.status().Wrap("render digest " + report.rule);
      if (HtmlFits(b->html)) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    bodies = render_with(lo);
    if (!bodies.ok()) return bodies.status().Wrap("render digest " + report.rule);
    if (!HtmlFits(bodies->html)) {
      return Status::Internal(fmt::format(
          "render digest {}: the HTML part is {} bytes with every section cut, more than {}",
          report.rule, bodies->html.size(), kMaxDigestHtmlBytes));
    }
  }
  const mustache::data view = BuildDigestViewModel(report, *zone, options);
  Result<std::string> subject = digest_.subject->Render(view);
  if (!subject.ok()) return subject.status().Wrap("render digest " + report.rule + " subject");

  Email email;
  email.subject = CollapseToLine(*subject);
  const Timestamp date = report.generated_at != kNoTime ? report.generated_at : report.window_end;
  MimeWriter w = Start(&email, date, EmailKind::kDigest, HashHex("digest:" + report.rule));
  AddReceiverRecipients(receiver, &email, &w);
  w.SetSubject(email.subject);
  w.SetText(std::move(bodies->text));
  w.SetHtml(std::move(bodies->html));
  if (attachment) w.SetAttachment(std::move(*attachment));
  email.data = w.Write(Random());
  return email;
}

Result<Email> MustacheEmailRenderer::RenderEscalation(const EscalationNotice& notice,
                                                      const EpisodeThread& thread) const {
  if (notice.recipients.empty()) {
    return Status::InvalidArgument("render escalation " + notice.policy + " step " +
                                   std::to_string(notice.step) + ": no recipients");
  }
  const mustache::data view = BuildEscalationViewModel(notice, config_);
  Email email;
  if (!thread.subject.empty()) {
    email.subject = thread.subject;
  } else {
    Result<std::string> subject = escalation_.subject->Render(view);
    if (!subject.ok()) return subject.status().Wrap("render escalation subject");
    email.subject = CollapseToLine(*subject);
  }
  Result<RenderedBodies> bodies = RenderBodies(escalation_, view);
  if (!bodies.ok()) return bodies.status().Wrap("render escalation");

  MimeWriter w = Start(&email, notice.now, EmailKind::kEscalation, HashHex(notice.group_key));
  for (const std::string& to : notice.recipients) w.AddTo(AddRecipient(&email, to));
  w.SetSubject(email.subject);
  if (!thread.first_message_id.empty()) w.SetInReplyTo(thread.first_message_id);
  w.SetText(std::move(bodies->text));
  w.SetHtml(std::move(bodies->html));
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
  // Digests and escalations have built-in templates only (receivers' templates are for group
  // notifications); their partials are looked up like any other.
  auto compile_kind = [&](const std::string& kind) {
    KindTemplates t;
    auto compile = [&](const char* part, MustacheTemplate::Escape escape) {
      const std::string name = kind + "." + part;
      ConfigError error;
      std::optional<MustacheTemplate> compiled = MustacheTemplate::Compile(
          {"<built-in>/" + name + ".mustache", std::string(EmbeddedTemplate(name).value_or(""))},
          escape, load_partial, name, &error);
      if (!compiled) errors->push_back(std::move(error));
      return compiled;
    };
    t.subject = compile("subject", MustacheTemplate::Escape::kNone);
    t.text = compile("text", MustacheTemplate::Escape::kNone);
    t.html = compile("html", MustacheTemplate::Escape::kHtml);
    return t;
  };
  KindTemplates digest = compile_kind("digest");
  KindTemplates escalation = compile_kind("escalation");
  if (errors->size() != errors_before) return nullptr;
  return std::make_unique<MustacheEmailRenderer>(config, std::move(receivers), std::move(digest),
                                                 std::move(escalation));
}

}  // namespace alertdigest
