// FakeRenderer: an EmailRenderer that records what it was asked to render, so dispatcher tests
// can assert on notifications (reasons, alerts, threading) without parsing MIME.
#pragma once

#include <fmt/format.h>

#include <vector>

#include "render/email_renderer.h"

namespace alertdigest {

class FakeRenderer final : public EmailRenderer {
 public:
  struct Call {
    Notification n;
    EpisodeThread thread;
    std::string message_id;
  };
  Result<Email> Render(const Notification& n, const EpisodeThread& thread) const override {
    Email e;
    e.message_id = fmt::format("m{}@test", ++counter_);
    e.subject = thread.subject.empty() ? "subject of " + n.group_key : thread.subject;
    e.recipients = {"team@example.com"};
    e.data = "Subject: " + e.subject + "\r\n\r\nbody\r\n";
    calls.push_back({n, thread, e.message_id});
    return e;
  }
  Result<Email> RenderDigest(const DigestReport& report) const override {
    Email e;
    e.message_id = fmt::format("d{}@test", ++counter_);
    e.subject = "digest " + report.rule;
    e.recipients = {"team@example.com"};
    e.data = "Subject: " + e.subject + "\r\nX-Alertdigest-Kind: digest\r\n\r\nbody\r\n";
    digests.push_back(report);
    return e;
  }
  Result<Email> RenderEscalation(const EscalationNotice& notice,
                                 const EpisodeThread& thread) const override {
    Email e;
    e.message_id = fmt::format("e{}@test", ++counter_);
    e.subject = thread.subject.empty() ? "escalation " + notice.group_key : thread.subject;
    e.recipients = notice.recipients;
    e.data = "Subject: " + e.subject + "\r\nX-Alertdigest-Kind: escalation\r\n\r\n" +
             notice.ack_url + "\r\n";
    escalations.push_back({notice, thread});
    return e;
  }
  struct EscalationCall {
    EscalationNotice notice;
    EpisodeThread thread;
  };
  mutable std::vector<Call> calls;
  mutable std::vector<DigestReport> digests;
  mutable std::vector<EscalationCall> escalations;

 private:
  mutable int counter_ = 0;
};

}  // namespace alertdigest
