// The history digests read (episodes, deferred holds, events) and the on-call state (digest
// states, escalations) against a real SQLite file: round trips through a reopen, the window
// edges, the deferred upsert, retention, and batches that fail or are killed half-way.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "store/store.h"
#include "store/store_file_fixture.h"

namespace alertdigest {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
constexpr std::chrono::milliseconds kMs{1};

class SqliteHistoryTest : public StoreFileTest {};

LabelSet NodeDown(const std::string& instance) {
  return LabelSet{{"alertname", "NodeDown"}, {"instance", instance}};
}

EpisodeRecord Episode(const std::string& instance, Timestamp start, Timestamp end) {
  EpisodeRecord e;
  e.labels = NodeDown(instance);
  e.fingerprint = e.labels.ComputeFingerprint();
  e.starts_at = start;
  e.ends_at = end;
  e.annotations = LabelSet{{"summary", instance + " is down\r\nsince boot"}};
  return e;
}

DeferredRecord Deferred(const std::string& instance, const std::string& interval, Timestamp at,
                        const std::string& receiver = "team") {
  DeferredRecord d;
  d.group_key = "{}:{alertname=\"NodeDown\"}";
  d.receiver = receiver;
  d.labels = NodeDown(instance);
  d.fingerprint = d.labels.ComputeFingerprint();
  d.interval = interval;
  d.first_at = d.last_at = at;
  return d;
}

EventRecord Event(const std::string& type, Timestamp at, const std::string& comment = "") {
  return EventRecord{"nagios", type, NodeDown("web-1"), "alice", comment, at};
}

// Every field set, none to its default.
EscalationRecord Escalation(const std::string& group_key) {
  EscalationRecord e;
  e.group_key = group_key;
  e.policy = "oncall";
  e.receiver = "team";
  e.group_labels = LabelSet{{"alertname", "NodeDown"}, {"team", "ops"}};
  e.episode = 3;
  e.episode_started_at = kT0;
  e.firing = {NodeDown("web-1").ComputeFingerprint(), NodeDown("web-2").ComputeFingerprint()};
  std::sort(e.firing.begin(), e.firing.end());
  e.climb_started_at = kT0 + minutes(1);
  e.next_step = 2;
  e.repeats_sent = 1;
  e.next_due_at = kT0 + minutes(30);
  e.acked_at = kT0 + minutes(7);
  e.acked_by = "alice";
  e.ack_comment = "on it\nlooking";
  e.ack_via = "link";
  e.thread_message_id = "<esc-1@alertdigest>";
  e.thread_subject = "[ESCALATION] NodeDown";
  return e;
}

// Comparable views: the records have no operator==.
auto Tie(const EpisodeRecord& e) {
  return std::tie(e.fingerprint, e.starts_at, e.ends_at, e.labels, e.annotations);
}
auto Tie(const DeferredRecord& d) {
  return std::tie(d.group_key, d.receiver, d.fingerprint, d.labels, d.interval, d.first_at,
                  d.last_at);
}
auto Tie(const EventRecord& e) {
  return std::tie(e.source, e.type, e.labels, e.author, e.comment, e.at);
}
auto Tie(const DigestState& d) { return std::tie(d.name, d.last_run_at, d.window_start); }
auto Tie(const EscalationRecord& e) {
  return std::tie(e.group_key, e.policy, e.receiver, e.group_labels, e.episode,
                  e.episode_started_at, e.firing, e.climb_started_at, e.next_step, e.repeats_sent,
                  e.next_due_at, e.acked_at, e.acked_by, e.ack_comment, e.ack_via,
                  e.thread_message_id, e.thread_subject);
}

template <typename T>
std::vector<std::string> Instances(const std::vector<T>& records) {
  std::vector<std::string> out;
  for (const T& r : records) out.emplace_back(r.labels.Get("instance"));
  return out;
}

std::string Millis(Timestamp t) { return t == kNoTime ? "-" : std::to_string(ToUnixMillis(t)); }

// Everything a failed batch could have touched, as text, to compare before and after.
std::string Dump(Store& store) {
  const Timestamp from = kT0 - hours(24), to = kT0 + hours(24);
  auto alerts = store.LoadAlerts();
  auto outbox = store.GetOutboxStats();
  auto episodes = store.ListEpisodes(from, to);
  auto digests = store.LoadDigestStates();
  auto escalations = store.LoadEscalations();
  auto held = store.ListDeferred(from, to);
  auto events = store.ListEventsBetween(from, to);
  for (const Status& s : {alerts.status(), outbox.status(), episodes.status(), digests.status(),
                          escalations.status(), held.status(), events.status()}) {
    if (!s.ok()) return "error: " + s.message();
  }
  std::string out = fmt::format("alerts={} outbox={}\n", alerts->size(), outbox->pending);
  for (const auto& e : *episodes)
    out += fmt::format("episode {} {} {}\n", e.labels.Get("instance"), Millis(e.starts_at),
                       Millis(e.ends_at));
  for (const auto& d : *digests)
    out += fmt::format("digest {} {}\n", d.name, Millis(d.last_run_at));
  for (const auto& e : *escalations)
    out += fmt::format("escalation {} {}\n", e.group_key, e.episode);
  for (const auto& d : *held)
    out += fmt::format("deferred {} {} {} {}\n", d.labels.Get("instance"), d.interval,
                       Millis(d.first_at), Millis(d.last_at));
  out += fmt::format("events={}\n", events->size());
  return out;
}

TEST_F(SqliteHistoryTest, EveryRecordSurvivesReopen) {
  const EpisodeRecord open = Episode("web-1", kT0, kNoTime);
  const EpisodeRecord ended = Episode("web-2", kT0 + kMs, kT0 + minutes(5));
  const DigestState digest{"daily", kT0 + hours(8), kT0 + hours(8)};
  const EscalationRecord escalation = Escalation("{}:{alertname=\"NodeDown\"}");
  const DeferredRecord deferred = Deferred("web-1", "nights", kT0 + seconds(3));
  const EventRecord event = Event("ACKNOWLEDGEMENT", kT0 + seconds(4), "on it\r\nreally");
  {
    auto store = Open();
    WriteBatch b;
    b.PutEpisode(open);
    b.PutEpisode(ended);
    b.PutDigestState(digest);
    b.PutEscalation(escalation);
    b.PutDeferred(deferred);
    b.AddEvent(event);
    ASSERT_TRUE(store->Write(b).ok());
  }
  auto store = Open();
  auto episodes = store->ListEpisodes(kT0, kT0 + hours(1));
  ASSERT_TRUE(episodes.ok()) << episodes.status().message();
  ASSERT_EQ(episodes->size(), 2u);
  EXPECT_EQ(Tie((*episodes)[0]), Tie(open));
  EXPECT_EQ(Tie((*episodes)[1]), Tie(ended));
  auto digests = store->LoadDigestStates();
  ASSERT_TRUE(digests.ok()) << digests.status().message();
  ASSERT_EQ(digests->size(), 1u);
  EXPECT_EQ(Tie((*digests)[0]), Tie(digest));
  auto escalations = store->LoadEscalations();
  ASSERT_TRUE(escalations.ok()) << escalations.status().message();
  ASSERT_EQ(escalations->size(), 1u);
  EXPECT_EQ(Tie((*escalations)[0]), Tie(escalation));
  auto held = store->ListDeferred(kT0, kT0 + hours(1));
  ASSERT_TRUE(held.ok()) << held.status().message();
  ASSERT_EQ(held->size(), 1u);
  EXPECT_EQ(Tie((*held)[0]), Tie(deferred));
  auto events = store->ListEventsBetween(kT0, kT0 + hours(1));
  ASSERT_TRUE(events.ok()) << events.status().message();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(Tie((*events)[0]), Tie(event));
}

TEST_F(SqliteHistoryTest, LaterPutsReplaceEpisodesDigestStatesAndEscalations) {
  auto store = Open();
  WriteBatch first;
  first.PutEpisode(Episode("web-1", kT0, kNoTime));
  first.PutDigestState({"daily", kT0, kT0});
  first.PutEscalation(Escalation("g"));
  ASSERT_TRUE(store->Write(first).ok());

  WriteBatch second;
  second.PutEpisode(Episode("web-1", kT0, kT0 + minutes(5)));    // its end became known
  second.PutEpisode(Episode("web-1", kT0 + hours(1), kNoTime));  // and it fired again
  second.PutDigestState({"daily", kT0 + hours(24), kT0 + hours(24)});
  EscalationRecord acked = Escalation("g");
  acked.next_due_at = kNoTime;
  acked.acked_by = "bob";
  second.PutEscalation(acked);
  ASSERT_TRUE(store->Write(second).ok());

  auto episodes = store->ListEpisodes(kT0, kT0 + hours(2));
  ASSERT_EQ(episodes->size(), 2u);
  EXPECT_EQ((*episodes)[0].ends_at, kT0 + minutes(5));
  EXPECT_EQ((*episodes)[1].starts_at, kT0 + hours(1));
  EXPECT_EQ((*episodes)[1].ends_at, kNoTime);
  ASSERT_EQ(store->LoadDigestStates()->size(), 1u);
  EXPECT_EQ((*store->LoadDigestStates())[0].last_run_at, kT0 + hours(24));
  auto escalations = store->LoadEscalations();
  ASSERT_EQ(escalations->size(), 1u);
  EXPECT_EQ(Tie((*escalations)[0]), Tie(acked));
}

TEST_F(SqliteHistoryTest, ListEpisodesReturnsWhatOverlapsTheWindow) {
  const Timestamp from = kT0 + hours(1), to = kT0 + hours(2);
  struct Case {
    const char* instance;
    Timestamp start, end;
    bool listed;
    const char* why;
  };
  const Case cases[] = {
      {"starts-at-to", to, kNoTime, false, "started exactly at `to`: after the window"},
      {"starts-before-to", to - kMs, kNoTime, true, "started 1 ms before `to`"},
      {"ends-at-from", from - minutes(10), from, true, "ended exactly at `from`: still in it"},
      {"ends-before-from", from - minutes(10), from - kMs, false, "ended 1 ms before `from`"},
      {"open-since-yesterday", from - hours(24), kNoTime, true, "end unknown: counts as open"},
      {"inside", from + minutes(5), from + minutes(10), true, "inside the window"},
      {"spans", from - hours(1), to + hours(1), true, "covers the whole window"},
      {"after", to + minutes(1), to + minutes(2), false, "after the window"},
  };
  auto store = Open();
  WriteBatch b;
  for (const Case& c : cases) b.PutEpisode(Episode(c.instance, c.start, c.end));
  ASSERT_TRUE(store->Write(b).ok());

  auto listed = store->ListEpisodes(from, to);
  ASSERT_TRUE(listed.ok()) << listed.status().message();
  const std::vector<std::string> got = Instances(*listed);
  for (const Case& c : cases) {
    EXPECT_EQ(std::count(got.begin(), got.end(), c.instance), c.listed ? 1 : 0)
        << c.instance << ": " << c.why;
  }
  EXPECT_EQ(got, (std::vector<std::string>{"open-since-yesterday", "spans", "ends-at-from",
                                           "inside", "starts-before-to"}))
      << "oldest start first";
}

TEST_F(SqliteHistoryTest, DeferredKeepsTheFirstHoldAndMovesTheLast) {
  auto store = Open();
  WriteBatch first;
  first.PutDeferred(Deferred("web-1", "nights", kT0));
  ASSERT_TRUE(store->Write(first).ok());

  WriteBatch later;
  DeferredRecord again = Deferred("web-1", "nights", kT0 + hours(2), "night-team");
  again.labels.Set("severity", "page");  // the alert's labels as of this hold
  later.PutDeferred(again);
  later.PutDeferred(Deferred("web-1", "weekends", kT0 + hours(1)));  // another interval: a row
  ASSERT_TRUE(store->Write(later).ok());

  auto held = store->ListDeferred(kT0, kT0 + hours(3));
  ASSERT_TRUE(held.ok()) << held.status().message();
  ASSERT_EQ(held->size(), 2u);
  EXPECT_EQ((*held)[0].interval, "weekends");
  const DeferredRecord& nights = (*held)[1];
  EXPECT_EQ(nights.interval, "nights");
  EXPECT_EQ(nights.first_at, kT0);
  EXPECT_EQ(nights.last_at, kT0 + hours(2));
  EXPECT_EQ(nights.receiver, "night-team");
  EXPECT_EQ(nights.labels, again.labels);

  WriteBatch older;  // a put older than the last hold does not move it back
  older.PutDeferred(Deferred("web-1", "nights", kT0 + hours(1), "night-team"));
  ASSERT_TRUE(store->Write(older).ok());
  held = store->ListDeferred(kT0 + hours(2), kT0 + hours(3));
  ASSERT_EQ(held->size(), 1u);
  EXPECT_EQ((*held)[0].first_at, kT0);
  EXPECT_EQ((*held)[0].last_at, kT0 + hours(2));
}

TEST_F(SqliteHistoryTest, DeferredAndEventsAreListedFromInclusiveToExclusive) {
  const Timestamp from = kT0 + hours(1), to = kT0 + hours(2);
  auto store = Open();
  WriteBatch b;
  for (auto [name, at] : {std::pair{"before", from - kMs}, std::pair{"at-from", from},
                          std::pair{"last", to - kMs}, std::pair{"at-to", to}}) {
    b.PutDeferred(Deferred(name, "nights", at));
    b.AddEvent(Event("FLAPPINGSTART", at, name));
  }
  b.AddEvent(Event("FLAPPINGSTOP", from, "at-from, second"));  // same time: in insertion order
  ASSERT_TRUE(store->Write(b).ok());

  auto held = store->ListDeferred(from, to);
  ASSERT_TRUE(held.ok()) << held.status().message();
  EXPECT_EQ(Instances(*held), (std::vector<std::string>{"at-from", "last"}));
  auto events = store->ListEventsBetween(from, to);
  ASSERT_TRUE(events.ok()) << events.status().message();
  std::vector<std::string> comments;
  for (const EventRecord& e : *events) comments.push_back(e.comment);
  EXPECT_EQ(comments, (std::vector<std::string>{"at-from", "at-from, second", "last"}));
}

TEST_F(SqliteHistoryTest, PruneHistoryDeletesWhatEndedBeforeTheCutoff) {
  const Timestamp cutoff = kT0 + hours(24);
  auto store = Open();
  WriteBatch b;
  b.PutEpisode(Episode("ended-before", kT0, cutoff - kMs));
  b.PutEpisode(Episode("ended-at-cutoff", kT0, cutoff));
  b.PutEpisode(Episode("still-open", kT0, kNoTime));
  b.PutDeferred(Deferred("held-before", "nights", cutoff - kMs));
  b.PutDeferred(Deferred("held-at-cutoff", "nights", cutoff));
  b.AddEvent(Event("FLAPPINGSTART", cutoff - kMs, "before"));
  b.AddEvent(Event("FLAPPINGSTART", cutoff, "at-cutoff"));
  b.PutDigestState({"daily", kT0, kT0});
  b.PutEscalation(Escalation("g"));
  ASSERT_TRUE(store->Write(b).ok());

  ASSERT_TRUE(store->PruneHistory(cutoff).ok());

  const Timestamp from = kT0 - hours(1), to = cutoff + hours(1);
  EXPECT_EQ(Instances(*store->ListEpisodes(from, to)),
            (std::vector<std::string>{"ended-at-cutoff", "still-open"}));
  EXPECT_EQ(Instances(*store->ListDeferred(from, to)), std::vector<std::string>{"held-at-cutoff"});
  auto events = store->ListEventsBetween(from, to);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].comment, "at-cutoff");
  EXPECT_EQ(store->LoadDigestStates()->size(), 1u) << "state is not history";
  EXPECT_EQ(store->LoadEscalations()->size(), 1u) << "state is not history";
}

TEST_F(SqliteHistoryTest, DeleteEscalationRemovesThatGroupOnly) {
  {
    auto store = Open();
    WriteBatch b;
    b.PutEscalation(Escalation("a"));
    b.PutEscalation(Escalation("b"));
    b.PutEscalation(Escalation("c"));
    ASSERT_TRUE(store->Write(b).ok());
    WriteBatch d;
    d.DeleteEscalation("a");
    d.PutEscalation(Escalation("d"));
    d.DeleteEscalation("d");  // the later call wins inside a batch
    d.DeleteEscalation("b");
    d.PutEscalation(Escalation("b"));
    d.DeleteEscalation("never-written");
    ASSERT_TRUE(store->Write(d).ok());
  }
  auto escalations = Open()->LoadEscalations();
  ASSERT_TRUE(escalations.ok()) << escalations.status().message();
  std::vector<std::string> keys;
  for (const EscalationRecord& e : *escalations) keys.push_back(e.group_key);
  EXPECT_EQ(keys, (std::vector<std::string>{"b", "c"}));
}

// A fault injected into each new table in turn (a trigger that aborts the statement, after the
// batch's alerts and outbox rows are written) rolls the whole batch back.
TEST_F(SqliteHistoryTest, AFailedBatchLeavesHistoryAndOnCallStateAsTheyWere) {
  {
    auto store = Open();
    WriteBatch b;
    b.PutEpisode(Episode("web-1", kT0, kNoTime));
    b.PutDigestState({"daily", kT0, kT0});
    b.PutEscalation(Escalation("g1"));
    b.PutDeferred(Deferred("web-1", "nights", kT0));
    ASSERT_TRUE(store->Write(b).ok());
  }
  const std::string before = Dump(*Open());
  for (const char* when : {"BEFORE INSERT ON episodes", "BEFORE INSERT ON digest_states",
                           "BEFORE INSERT ON escalations", "BEFORE DELETE ON escalations",
                           "BEFORE INSERT ON deferred", "BEFORE UPDATE ON deferred"}) {
    SCOPED_TRACE(when);
    RunSqlite(
        fmt::format("CREATE TRIGGER fault {} BEGIN SELECT RAISE(ABORT, 'injected'); END;", when));
    {
      auto store = Open();
      WriteBatch b;
      Alert a;
      a.labels = NodeDown("web-2");
      a.fingerprint = a.labels.ComputeFingerprint();
      b.PutAlert(a);
      OutboxMessage m;
      m.message_id = "m1";
      b.AddOutbox(m);
      b.PutEpisode(Episode("web-1", kT0, kT0 + minutes(5)));
      b.PutEpisode(Episode("web-2", kT0 + minutes(1), kNoTime));
      b.PutDigestState({"daily", kT0 + hours(24), kT0 + hours(24)});
      b.PutEscalation(Escalation("g2"));
      b.DeleteEscalation("g1");
      b.PutDeferred(Deferred("web-2", "nights", kT0 + hours(1)));
      b.PutDeferred(Deferred("web-1", "nights", kT0 + hours(1)));
      b.AddEvent(Event("ACKNOWLEDGEMENT", kT0));
      Status s = store->Write(b);
      ASSERT_FALSE(s.ok());
      EXPECT_NE(s.message().find("injected"), std::string::npos) << s.message();
      EXPECT_EQ(Dump(*store), before);
    }
    RunSqlite("DROP TRIGGER fault;");
  }
  EXPECT_EQ(Dump(*Open()), before);
}

// Batch n: episode n starts and n-1 ends, the digest state, escalation and deferred hold move
// to n, and an event and an outbox message are added. Any prefix of whole batches is
// consistent; a part of one is not.
WriteBatch NumberedBatch(int n) {
  const Timestamp t = kT0 + seconds(n);
  WriteBatch b;
  if (n > 1) b.PutEpisode(Episode(fmt::format("web-{}", n - 1), t - seconds(1), t));
  b.PutEpisode(Episode(fmt::format("web-{}", n), t, kNoTime));
  b.PutDigestState({"daily", t, t});
  EscalationRecord e = Escalation("g");
  e.episode = n;
  b.PutEscalation(e);
  b.PutDeferred(Deferred("web-1", "nights", t));
  b.AddEvent(Event("FLAPPINGSTART", t));
  OutboxMessage m;
  m.message_id = fmt::format("m{}", n);
  m.created_at = m.next_attempt_at = t;
  m.data = std::string(8192, 'x');
  b.AddOutbox(m);
  return b;
}

// Starts a process that opens the store at `path` and commits NumberedBatch(1), (2), … until
// it is killed, writing one byte to `ack_fd` after each commit returned ok.
pid_t StartWriter(const std::string& path, int ack_fd, int other_fd) {
  const pid_t child = fork();
  if (child != 0) return child;
  close(other_fd);
  auto store = OpenSqliteStore(path);
  if (!store.ok()) _exit(1);
  for (int n = 1; n < 100'000; ++n) {
    if (!(*store)->Write(NumberedBatch(n)).ok()) _exit(2);
    if (write(ack_fd, "+", 1) != 1) _exit(3);
  }
  _exit(0);
}

// A writer killed (SIGKILL) while committing batch after batch leaves whole batches: every
// table agrees on how many, and none that was acknowledged is lost. The kill comes at a
// different delay after an acknowledgement in each round, so it lands at different points of
// the next batch's transaction.
TEST_F(SqliteHistoryTest, AKilledWriterLeavesWholeBatches) {
  constexpr int kAcknowledged = 5;
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE(fmt::format("round {}", round));
    path_ = fmt::format("{}/killed-{}.db", dir_, round);
    ASSERT_NE(Open(), nullptr);  // the file exists before the writer starts
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    const pid_t child = StartWriter(path_, fds[1], fds[0]);
    ASSERT_GE(child, 0);
    close(fds[1]);
    int acknowledged = 0;
    char c;
    while (acknowledged < kAcknowledged && read(fds[0], &c, 1) == 1) ++acknowledged;
    std::this_thread::sleep_for(std::chrono::microseconds(400 * round));
    kill(child, SIGKILL);
    int wstatus = 0;
    waitpid(child, &wstatus, 0);
    while (read(fds[0], &c, 1) == 1) ++acknowledged;
    close(fds[0]);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "the writer stopped by itself, wait status " << wstatus;
    ASSERT_GE(acknowledged, kAcknowledged);

    auto store = Open();
    ASSERT_NE(store, nullptr);
    auto digests = store->LoadDigestStates();
    ASSERT_TRUE(digests.ok()) << digests.status().message();
    ASSERT_EQ(digests->size(), 1u);
    const auto n = static_cast<int>(
        std::chrono::duration_cast<seconds>((*digests)[0].last_run_at - kT0).count());
    EXPECT_GE(n, acknowledged);
    auto escalations = store->LoadEscalations();
    ASSERT_EQ(escalations->size(), 1u);
    EXPECT_EQ((*escalations)[0].episode, n);
    const Timestamp from = kT0, to = kT0 + hours(1);
    auto episodes = store->ListEpisodes(from, to);
    ASSERT_EQ(episodes->size(), static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ((*episodes)[i].ends_at == kNoTime, i == n - 1) << "episode " << i + 1;
    }
    auto held = store->ListDeferred(from, to);
    ASSERT_EQ(held->size(), 1u);
    EXPECT_EQ((*held)[0].first_at, kT0 + seconds(1));
    EXPECT_EQ((*held)[0].last_at, kT0 + seconds(n));
    EXPECT_EQ(store->ListEventsBetween(from, to)->size(), static_cast<size_t>(n));
    EXPECT_EQ(store->GetOutboxStats()->pending, n);
  }
}

}  // namespace
}  // namespace alertdigest
