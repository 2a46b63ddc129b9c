#include "app/engine.h"

#include "deliver/file_transport.h"
#include "deliver/smtp/smtp_transport.h"
#include "pipeline/pipeline_builder.h"

namespace alertdigest {
Result<std::unique_ptr<Engine>> Engine::Create(std::shared_ptr<const Config> config,
                                               const Clock& clock, const EngineOptions& options,
                                               std::vector<ConfigError>* template_errors) {
  std::unique_ptr<Engine> e(new Engine());
  e->config_ = std::move(config);
  const Config& cfg = *e->config_;

  e->renderer_ = EmailRenderer::Create(cfg, template_errors);
  if (!e->renderer_) return Status::InvalidArgument("compile templates: see the errors above");

  std::string db = options.storage_path.empty() ? cfg.storage.path : options.storage_path;
  auto store = OpenSqliteStore(db, {.check_integrity = true});
  if (!store.ok()) return store.status();
  e->store_ = std::move(store.value());

  auto intervals = TimeIntervalSet::Create(cfg.time_intervals);
  if (!intervals.ok()) return intervals.status().Wrap("time intervals");
  auto silences = e->store_->LoadSilences();
  if (!silences.ok()) return silences.status().Wrap("load silences from " + db);
  e->mute_ = std::make_unique<MuteState>(
      MuteState{Inhibitor(cfg.inhibit_rules), Silencer(), std::move(intervals.value())});
  e->mute_->silencer.Replace(std::move(silences.value()));
  if (!cfg.server.ack_key_file.empty()) {
    auto signer = AckSigner::LoadKeyFile(cfg.server.ack_key_file);
    if (!signer.ok()) return signer.status();
    e->ack_signer_ = std::make_unique<AckSigner>(std::move(signer.value()));
    e->ack_links_ = AckLinks(e->ack_signer_.get(), PublicBaseUrl(cfg.server), cfg.server.ack_link_ttl);
  }
  e->pipeline_ = BuildNotificationPipeline(cfg, e->log_, *e->renderer_, *e->mute_, e->escalations_,
                                           e->ack_links_);
  e->dispatcher_ = std::make_unique<Dispatcher>(cfg, *e->store_, clock, *e->pipeline_, e->log_);
  e->escalator_ = std::make_unique<Escalator>(cfg, *e->store_, clock, e->escalations_,
                                              *e->renderer_, e->ack_links_,
                                              e->dispatcher_->alerts());
  e->digests_ = std::make_unique<DigestScheduler>(cfg, *e->store_, clock, *e->renderer_,
                                                  e->dispatcher_->alerts());
  // Escalations first: the dispatcher's first flushes update their episodes.
  if (Status s = e->escalator_->Load(); !s.ok()) return s.Wrap("load escalations from " + db);
  if (Status s = e->dispatcher_->Load(); !s.ok()) return s.Wrap("load state from " + db);
  if (Status s = e->digests_->Load(); !s.ok()) return s.Wrap("load digest state from " + db);

  OutboxWorkerOptions worker{cfg.delivery.retry, 0};
  if (cfg.delivery.transport == DeliveryConfig::Transport::kSmtp && options.file_dir.empty()) {
    e->transport_ = std::make_unique<SmtpTransport>(cfg.smtp);
    worker.daily_budget = cfg.smtp.daily_budget;
  } else {
    e->transport_ = std::make_unique<FileTransport>(
        options.file_dir.empty() ? cfg.delivery.file_dir : options.file_dir);
  }
  e->outbox_ = std::make_unique<OutboxWorker>(*e->store_, *e->transport_, clock, worker);
  return e;
}

Result<int> Engine::RunDue(bool all_now) {
  auto flushed = dispatcher_->FlushDue(all_now);
  if (!flushed.ok()) return flushed;
  auto stepped = escalator_->FireDue();
  if (!stepped.ok()) return stepped;
  auto digested = digests_->RunDue();
  if (!digested.ok()) return digested;
  int queued = *flushed + *stepped + *digested;
  mails_queued_ += queued;
  return queued;
}

std::optional<Timestamp> Engine::NextDeadline() const {
  std::optional<Timestamp> next = dispatcher_->NextDeadline();
  for (auto d : {escalator_->NextDeadline(), digests_->NextDeadline()}) {
    if (d && (!next || *d < *next)) next = d;
  }
  return next;
}

}  // namespace alertdigest
