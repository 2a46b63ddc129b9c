// Engine: the object graph for one configuration, built in one place (the composition root):
// store → notification log → renderer → pipeline → dispatcher, escalator and digest scheduler
// (the three timers), and transport → outbox worker.
// Construction either yields a complete engine or says what is wrong; nothing is half-built.
//
// Thread-compatible: the dispatcher and the worker are driven by the command that owns it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/ack_token.h"
#include "deliver/outbox_worker.h"
#include "dispatch/digest_scheduler.h"
#include "dispatch/dispatcher.h"
#include "dispatch/escalator.h"
#include "pipeline/pipeline_builder.h"
#include "render/email_renderer.h"

namespace alertdigest {

struct EngineOptions {
  std::string storage_path;  // overrides storage.path when set (":memory:" for previews)
  std::string file_dir;      // when set: the file transport into this directory, whatever
                             // delivery.transport says (previews never send mail)
};

class Engine {
 public:
  // Opens the store and loads its state; compiles the templates. Errors:
  //   InvalidArgument — a template does not compile (messages in `template_errors`),
  //   IoError/Corruption/Unavailable — the state store cannot be used;
  //   InvalidArgument — the ack key file cannot be read or is too short (the key never appears).
  static Result<std::unique_ptr<Engine>> Create(std::shared_ptr<const Config> config,
                                                const Clock& clock, const EngineOptions& options,
                                                std::vector<ConfigError>* template_errors);

  const Config& config() const { return *config_; }
  Dispatcher& dispatcher() { return *dispatcher_; }
  Escalator& escalator() { return *escalator_; }
  DigestScheduler& digests() { return *digests_; }
  // The signer of ack links (null without [server] ack_key_file).
  const AckSigner* ack_signer() const { return ack_signer_.get(); }

  // Everything due now on the three timers — group flushes (all of them with `all_now`, the end
  // of `alertdigest run`), escalation steps, digests. Returns the number of mails queued.
  Result<int> RunDue(bool all_now = false);
  // The earliest of the three timers.
  std::optional<Timestamp> NextDeadline() const;
  // Mails RunDue() has queued so far (group notifications, escalation steps, digests).
  int64_t mails_queued() const { return mails_queued_; }
  OutboxWorker& outbox() { return *outbox_; }
  Store& store() { return *store_; }
  // Inhibition, silences and time intervals as the pipeline applies them (engine thread only).
  MuteState& mute() { return *mute_; }

 private:
  Engine() = default;
  std::shared_ptr<const Config> config_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<EmailRenderer> renderer_;
  NotificationLog log_;
  std::unique_ptr<AckSigner> ack_signer_;
  AckLinks ack_links_;
  EscalationBook escalations_;
  std::unique_ptr<MuteState> mute_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<Escalator> escalator_;
  std::unique_ptr<DigestScheduler> digests_;
  int64_t mails_queued_ = 0;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<OutboxWorker> outbox_;
};

}  // namespace alertdigest
