// The store against a real SQLite file: round trips, atomic batches, reopen, refusal of alien
// or newer files, the in-place upgrade of an older one.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/label_codec.h"
#include "store/store.h"
#include "store/store_file_fixture.h"

namespace alertdigest {
namespace {

namespace fs = std::filesystem;

class SqliteStoreTest : public StoreFileTest {};

Alert MakeAlert(std::string name, std::string value) {
  Alert a;
  a.labels = LabelSet{{"alertname", "X"}, {std::move(name), std::move(value)}};
  a.annotations = LabelSet{{"summary", "line1\r\nline2"}};
  a.starts_at = kT0;
  a.generator_url = "http://prom/graph?g0.expr=up";
  a.Finalize(kT0, std::chrono::minutes(5));
  return a;
}

TEST(LabelCodecTest, RoundTripsAnyBytes) {
  LabelSet l{{"a", std::string("x\0y\r\n", 5)}, {"b", ""}, {"c", std::string(300, 'z')}};
  auto back = DecodeLabels(EncodeLabels(l));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, l);
  EXPECT_FALSE(DecodeLabels("\x05" "ab").has_value());  // length past the end
}

TEST_F(SqliteStoreTest, EverythingSurvivesReopen) {
  Alert a = MakeAlert("instance", "web-1");
  {
    auto store = Open();
    WriteBatch b;
    b.PutAlert(a);
    GroupRecord g{"{}:{alertname=\"X\"}", "team", "{}", LabelSet{{"alertname", "X"}},
                  kT0 + std::chrono::seconds(30), false, {a.fingerprint}};
    b.PutGroup(g);
    b.PutNflog({"team", g.group_key, kT0, {a.fingerprint}, {}, "m1@x", "[alertdigest] X"});
    OutboxMessage m;
    m.message_id = "m1@x";
    m.kind = "notification";
    m.recipients = {"a@example.com", "b@example.com"};
    m.data = "Subject: x\r\n\r\nbody\r\n";
    m.created_at = m.next_attempt_at = kT0;
    b.AddOutbox(m);
    ASSERT_TRUE(store->Write(b).ok());
  }
  auto store = Open();
  auto alerts = store->LoadAlerts();
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].labels, a.labels);
  EXPECT_EQ((*alerts)[0].annotations, a.annotations);
  EXPECT_EQ((*alerts)[0].fingerprint, a.fingerprint);
  EXPECT_EQ((*alerts)[0].ends_at, a.ends_at);
  EXPECT_TRUE((*alerts)[0].ends_at_is_timeout);
  auto groups = store->LoadGroups();
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ((*groups)[0].members, std::vector<Fingerprint>{a.fingerprint});
  auto nflog = store->LoadNflog();
  ASSERT_EQ(nflog->size(), 1u);
  EXPECT_EQ((*nflog)[0].episode_subject, "[alertdigest] X");
  auto due = store->DueOutbox(kT0, 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].recipients, (std::vector<std::string>{"a@example.com", "b@example.com"}));
  EXPECT_EQ((*due)[0].data, "Subject: x\r\n\r\nbody\r\n");
}

TEST_F(SqliteStoreTest, OutboxLifecycle) {
  auto store = Open();
  WriteBatch b;
  for (int i = 0; i < 3; ++i) {
    OutboxMessage m;
    m.message_id = "m" + std::to_string(i);
    m.created_at = m.next_attempt_at = kT0 + std::chrono::seconds(i);
    b.AddOutbox(m);
  }
  ASSERT_TRUE(store->Write(b).ok());
  auto due = store->DueOutbox(kT0 + std::chrono::seconds(1), 10);
  ASSERT_EQ(due->size(), 2u);  // the third is not due yet
  ASSERT_TRUE(store->MarkSent({(*due)[0].id}, kT0).ok());
  ASSERT_TRUE(store->MarkFailed((*due)[1].id, kT0 + std::chrono::minutes(1), "421 busy", false).ok());
  EXPECT_EQ(*store->NextOutboxAttempt(), kT0 + std::chrono::seconds(2));
  auto stats = store->GetOutboxStats();
  EXPECT_EQ(stats->pending, 2);
  EXPECT_EQ(stats->sent, 1);
  ASSERT_TRUE(store->MarkFailed((*due)[1].id, kT0, "550 no such user", true).ok());
  EXPECT_EQ(store->GetOutboxStats()->dead, 1);
}

TEST_F(SqliteStoreTest, DuplicateMessageIdRollsBackTheWholeBatch) {
  auto store = Open();
  OutboxMessage m;
  m.message_id = "same";
  WriteBatch first;
  first.AddOutbox(m);
  ASSERT_TRUE(store->Write(first).ok());
  WriteBatch second;
  second.PutAlert(MakeAlert("instance", "web-2"));
  second.AddOutbox(m);
  EXPECT_FALSE(store->Write(second).ok());
  EXPECT_TRUE(store->LoadAlerts()->empty()) << "the alert of the failed batch must not persist";
}

TEST_F(SqliteStoreTest, RefusesAForeignDatabaseWithoutTouchingIt) {
  {
    std::ofstream(path_) << "";
  }
  // A valid SQLite file that isn't ours.
  RunSqlite("CREATE TABLE t(x); INSERT INTO t VALUES(1);");
  auto size_before = fs::file_size(path_);
  auto s = OpenSqliteStore(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(s.status().message(),
            "open " + path_ + ": not an alertdigest state database (refusing to touch it)");
  EXPECT_EQ(fs::file_size(path_), size_before);
}

TEST_F(SqliteStoreTest, RefusesGarbage) {
  std::ofstream(path_) << std::string(8192, 'x');
  auto s = OpenSqliteStore(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kCorruption) << s.status().message();
}

// Opening used to rewrite page 1 every time (the application_id/user_version pragmas bump the
// change counter even when the value stays): a damaged file changed before being refused.
TEST_F(SqliteStoreTest, OpeningACurrentFileWritesNothing) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    WriteBatch b;
    b.PutAlert(MakeAlert("instance", "web-1"));
    ASSERT_TRUE(store->Write(b).ok());
  }  // the last connection closes: the WAL is folded into the file
  const std::string before = FileBytes();
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(FileBytes(), before);
}

TEST_F(SqliteStoreTest, CheckIntegrityRefusesADamagedPageWithoutTouchingIt) {
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    WriteBatch b;
    for (int i = 0; i < 300; ++i) b.PutAlert(MakeAlert("instance", "web-" + std::to_string(i)));
    ASSERT_TRUE(store->Write(b).ok());
  }
  // The last page (alerts, in use) overwritten: the header and the schema still read fine.
  std::string bytes = FileBytes();
  ASSERT_GT(bytes.size(), 8 * 4096u);
  std::fill(bytes.end() - 4096, bytes.end(), '\xff');
  std::ofstream(path_, std::ios::binary | std::ios::trunc) << bytes;

  auto s = OpenSqliteStore(path_, {.check_integrity = true});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kCorruption);
  EXPECT_TRUE(s.status().message().starts_with("open " + path_ +
                                               ": the state file is damaged (quick_check: "))
      << s.status().message();
  EXPECT_NE(s.status().message().find("refusing to touch it"), std::string::npos);
  EXPECT_EQ(FileBytes(), bytes);
}

std::string Hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02X}", c);
  return out;
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A file an older build wrote (schema 2: no history or on-call tables) opens in place: its rows
// stay, the new tables are there, and the version says 3 from then on.
TEST_F(SqliteStoreTest, UpgradesASchema2FileInPlace) {
  Alert a = MakeAlert("instance", "web-1");
  RunSqlite(ReadText(fs::path(AD_SOURCE_DIR) / "tests/store/schema_v2.sql") +
            fmt::format("INSERT INTO alerts VALUES ({}, X'{}', X'{}', {}, {}, 1, '{}', {});\n",
                        static_cast<int64_t>(a.fingerprint.value), Hex(EncodeLabels(a.labels)),
                        Hex(EncodeLabels(a.annotations)), ToUnixMillis(a.starts_at),
                        ToUnixMillis(a.ends_at), a.generator_url, ToUnixMillis(a.updated_at)) +
            "INSERT INTO silences VALUES ('s1', 'alertname=\"X\"\n', 1, 2, 'ops', 'maint', 1);\n");
  ASSERT_EQ(QuerySqlite("PRAGMA user_version"), "2");
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    auto alerts = store->LoadAlerts();
    ASSERT_TRUE(alerts.ok()) << alerts.status().message();
    ASSERT_EQ(alerts->size(), 1u);
    EXPECT_EQ((*alerts)[0].fingerprint, a.fingerprint);
    EXPECT_EQ((*alerts)[0].annotations, a.annotations);
    auto silences = store->LoadSilences();
    ASSERT_TRUE(silences.ok()) << silences.status().message();
    ASSERT_EQ(silences->size(), 1u);
    EXPECT_EQ((*silences)[0].created_by, "ops");
    EXPECT_TRUE(store->LoadEscalations()->empty());
    EXPECT_TRUE(store->LoadDigestStates()->empty());

    WriteBatch b;
    b.PutEpisode({a.fingerprint, a.starts_at, kNoTime, a.labels, a.annotations});
    b.PutDigestState({"daily", kT0, kT0});
    EscalationRecord e;
    e.group_key = "g";
    e.policy = "oncall";
    b.PutEscalation(e);
    b.PutDeferred({"g", "team", a.fingerprint, a.labels, "nights", kT0, kT0});
    ASSERT_TRUE(store->Write(b).ok());
  }
  EXPECT_EQ(QuerySqlite("PRAGMA user_version"), "3");
  auto store = Open();  // and opens again as a current file
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->ListEpisodes(kT0, kT0 + std::chrono::hours(1))->size(), 1u);
  EXPECT_EQ(store->LoadDigestStates()->size(), 1u);
  EXPECT_EQ(store->LoadEscalations()->size(), 1u);
  EXPECT_EQ(store->ListDeferred(kT0, kT0 + std::chrono::hours(1))->size(), 1u);
  EXPECT_EQ(store->LoadAlerts()->size(), 1u);
}

TEST_F(SqliteStoreTest, RefusesANewerSchemaWithoutTouchingIt) {
  ASSERT_NE(Open(), nullptr);
  RunSqlite("PRAGMA user_version=4;");
  const std::string before = FileBytes();
  auto s = OpenSqliteStore(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(s.status().message(),
            "open " + path_ + ": written by a newer alertdigest (schema 4, this build knows 3)");
  EXPECT_EQ(FileBytes(), before);
  EXPECT_EQ(QuerySqlite("PRAGMA user_version"), "4");
}

// Fuzzing (tests/fuzz/matcher_fuzzer): silences are stored one Matcher::ToString() per line. A
// matcher value with a newline (the silences API takes any string) split into two lines that no
// longer parsed: LoadSilences failed with Corruption; a regex's `\\` came back as `\`.
TEST_F(SqliteStoreTest, SilenceMatchersWithNewlinesAndBackslashesSurviveReopen) {
  Silence s;
  s.id = "3f9c2a1e-0000-4000-8000-000000000001";
  s.matchers = {Matcher::Create("summary", Matcher::Op::kEqual, "disk\nfull").value(),
                Matcher::Create("path", Matcher::Op::kRegexMatch, R"(C:\\Windows\\.*)").value()};
  s.starts_at = kT0;
  s.ends_at = kT0 + std::chrono::hours(2);
  s.created_by = "ops";
  s.comment = "two\nlines";
  s.updated_at = kT0;
  ASSERT_TRUE(Open()->PutSilence(s).ok());
  auto silences = Open()->LoadSilences();
  ASSERT_TRUE(silences.ok()) << silences.status().message();
  ASSERT_EQ(silences->size(), 1u);
  const Silence& back = (*silences)[0];
  ASSERT_EQ(back.matchers.size(), 2u);
  EXPECT_EQ(back.matchers[0].value(), "disk\nfull");
  EXPECT_EQ(back.matchers[1].value(), R"(C:\\Windows\\.*)");
  EXPECT_TRUE(back.matchers[1].MatchesValue(R"(C:\Windows\System32)"));
  EXPECT_EQ(back.comment, "two\nlines");
}

}  // namespace
}  // namespace alertdigest
