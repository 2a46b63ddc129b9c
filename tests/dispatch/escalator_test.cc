// Escalation in virtual time: the climb of steps and repeats, acknowledgement (before a step,
// with a timeout, by id, by Nagios labels), episodes ending and starting again, and what a
// restart does — against a real SQLite file.
#include "dispatch/escalator.h"

#include <gtest/gtest.h>

#include "core/fingerprint.h"
#include "timers_fixture.h"

namespace alertdigest {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

Timestamp T(const char* rfc3339) { return *ParseRfc3339(rfc3339); }
// Monday 30 November 2026, 11:00 in Berlin.
const Timestamp kT0 = T("2026-11-30T10:00:00Z");

constexpr const char* kConfig = R"(
[server]
ack_key_file = "ACK_KEY_FILE"
external_url = "http://alerts.test"

[defaults]
group_wait = "0s"
group_interval = "1m"
repeat_interval = "10m"

[route]
receiver = "team"
group_by = ["alertname"]

[[route.routes]]
matchers = ['team="db"']
receiver = "team"
escalation = "db-oncall"

[[receiver]]
name = "team"
to = ["team@example.com"]

[[escalation]]
name = "db-oncall"
steps = [
  { after = "0m", to = ["rotation:db-primary"] },
  { after = "15m", to = ["db-lead@example.com"] },
]
repeat = "30m"
ack_timeout = "1h"

[[rotation]]
name = "db-primary"
members = ["ann@example.com", "bob@example.com"]
shift = "1w"
handoff = "mon 09:00"
timezone = "Europe/Berlin"
start = "2026-11-30"
)";

const LabelSet kDiskFull{{"alertname", "DiskFull"}, {"team", "db"}, {"instance", "db1"}};
const LabelSet kDiskFull2{{"alertname", "DiskFull"}, {"team", "db"}, {"instance", "db2"}};

class EscalatorTest : public TimersFixture {
 protected:
  void SetUp() override {
    TimersFixture::SetUp();
    clock_.Set(kT0);
    Configure(kConfig);
  }
  // The one escalating group's key (after its first flush).
  std::string GroupKey() {
    EXPECT_EQ(book_->records().size(), 1u);
    return book_->records().empty() ? "" : book_->records().begin()->first;
  }
  int64_t Episode() { return book_->records().begin()->second.episode; }
  const EscalationNotice& LastStep() {
    static const EscalationNotice kNone;
    if (renderer_.escalations.empty()) ADD_FAILURE() << "no escalation mail";
    return renderer_.escalations.empty() ? kNone : renderer_.escalations.back().notice;
  }
  size_t Steps() { return renderer_.escalations.size(); }
};

TEST_F(EscalatorTest, ClimbsStepByStepThenRepeatsTheLastStep) {
  Fire(kDiskFull);
  EXPECT_EQ(At(kT0), 2);  // the group notification and step 1
  ASSERT_EQ(Steps(), 1u);
  EXPECT_EQ(LastStep().step, 1);
  EXPECT_EQ(LastStep().step_count, 2);
  // start = the Monday of kT0, hand-off 09:00 Berlin: kT0 (11:00) is in ann's first shift.
  EXPECT_EQ(LastStep().recipients, std::vector<std::string>{"ann@example.com"});
  EXPECT_NE(LastStep().on_call_note.find("ann@example.com is on call in db-primary"),
            std::string::npos);
  EXPECT_FALSE(LastStep().late);
  EXPECT_EQ(escalator_->NextDeadline(), kT0 + minutes(15));

  At(kT0 + minutes(14));  // (the group's own reminder is due at 10m: repeat_interval)
  EXPECT_EQ(Steps(), 1u);
  At(kT0 + minutes(15));
  ASSERT_EQ(Steps(), 2u);
  EXPECT_EQ(LastStep().step, 2);
  EXPECT_EQ(LastStep().recipients, std::vector<std::string>{"db-lead@example.com"});
  EXPECT_FALSE(LastStep().repeat);
  // One thread per episode: the second step answers the first.
  EXPECT_EQ(renderer_.escalations.back().thread.first_message_id, "e2@test");

  At(kT0 + minutes(44));
  EXPECT_EQ(Steps(), 2u);
  At(kT0 + minutes(45));
  ASSERT_EQ(Steps(), 3u);
  EXPECT_EQ(LastStep().step, 2);
  EXPECT_TRUE(LastStep().repeat);
  At(kT0 + minutes(75));
  EXPECT_EQ(Steps(), 4u);
}

TEST_F(EscalatorTest, TheAckLinkIsSignedForTheEpisode) {
  Fire(kDiskFull);
  At(kT0);
  const std::string& url = LastStep().ack_url;
  ASSERT_EQ(url.rfind("http://alerts.test/ack/", 0), 0u) << url;
  auto claim = signer_->Verify(url.substr(std::string("http://alerts.test/ack/").size()), kT0);
  ASSERT_TRUE(claim.ok()) << claim.status().message();
  EXPECT_EQ(claim->group_key, GroupKey());
  EXPECT_EQ(claim->episode, Episode());
  EXPECT_EQ(claim->expires_at, kT0 + config_->server.ack_link_ttl);
  // The group notification carries the same kind of link.
  EXPECT_EQ(renderer_.calls.back().n.ack_url.rfind("http://alerts.test/ack/", 0), 0u);
}

TEST_F(EscalatorTest, AckBeforeStepTwoStopsTheClimbAndTheReminders) {
  Fire(kDiskFull);
  Fire(kDiskFull2);
  At(kT0);
  clock_.Set(kT0 + minutes(5));
  auto ack = escalator_->Acknowledge({GroupKey(), Episode(), "ann", "on it", "link"});
  ASSERT_TRUE(ack.ok()) << ack.status().message();
  EXPECT_FALSE(ack->already_acked);
  EXPECT_EQ(escalator_->NextDeadline(), kT0 + minutes(65));  // the ack timeout

  At(kT0 + minutes(15));
  At(kT0 + minutes(45));
  EXPECT_EQ(Steps(), 1u);
  // repeat_interval (10m) has passed several times: no reminder for an acknowledged episode.
  EXPECT_EQ(renderer_.calls.size(), 1u);

  // A second ack is answered, not applied again.
  auto again = escalator_->Acknowledge({GroupKey(), 0, "bob", "", "api"});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_acked);
  EXPECT_EQ(again->previous_by, "ann");

  // Changes still go out, and say who acknowledged.
  clock_.Set(kT0 + minutes(50));
  Resolve(kDiskFull2);
  At(kT0 + minutes(51));
  ASSERT_EQ(renderer_.calls.size(), 2u);
  EXPECT_EQ(renderer_.calls.back().n.reason, NotifyReason::kSomeResolved);
  ASSERT_TRUE(renderer_.calls.back().n.ack);
  EXPECT_EQ(renderer_.calls.back().n.ack->by, "ann");
  EXPECT_EQ(renderer_.calls.back().n.ack->comment, "on it");
  EXPECT_EQ(renderer_.calls.back().n.ack->at, kT0 + minutes(5));
  EXPECT_TRUE(renderer_.calls.back().n.ack_url.empty());

  // The ack is an event the digests show.
  auto events = store_->ListEventsBetween(kT0, kT0 + hours(1));
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].type, "ACKNOWLEDGEMENT");
  EXPECT_EQ((*events)[0].author, "ann");
  EXPECT_EQ((*events)[0].source, "link");
}

TEST_F(EscalatorTest, AnAckThatTimesOutClimbsAgainFromTheFirstStep) {
  Fire(kDiskFull);
  At(kT0);
  clock_.Set(kT0 + minutes(5));
  ASSERT_TRUE(escalator_->Acknowledge({GroupKey(), 0, "ann", "", "cli"}).ok());
  At(kT0 + minutes(64));
  EXPECT_EQ(Steps(), 1u);
  At(kT0 + minutes(65));
  ASSERT_EQ(Steps(), 2u);
  EXPECT_EQ(LastStep().step, 1);
  EXPECT_EQ(LastStep().episode, Episode());  // the same episode, climbing again
  EXPECT_EQ(book_->records().begin()->second.acked_at, kNoTime);
  At(kT0 + minutes(80));
  ASSERT_EQ(Steps(), 3u);
  EXPECT_EQ(LastStep().step, 2);
}

TEST_F(EscalatorTest, ResolvingMidEscalationEndsIt) {
  Fire(kDiskFull);
  At(kT0);
  std::string key = GroupKey();
  clock_.Set(kT0 + minutes(10));
  Resolve(kDiskFull);
  At(kT0 + minutes(11));
  EXPECT_EQ(escalator_->Find(key), nullptr);
  EXPECT_FALSE(escalator_->NextDeadline());
  At(kT0 + minutes(15));
  EXPECT_EQ(Steps(), 1u);
}

TEST_F(EscalatorTest, FiringAgainAfterResolveIsANewEpisodeAndOldLinksAreRefused) {
  Fire(kDiskFull);
  At(kT0);
  std::string key = GroupKey();
  int64_t first = Episode();
  clock_.Set(kT0 + minutes(10));
  Resolve(kDiskFull);
  At(kT0 + minutes(11));
  // A replay of the first episode's link after the resolve.
  auto over = escalator_->Acknowledge({key, first, "ann", "", "link"});
  EXPECT_EQ(over.status().code(), Status::Code::kFailedPrecondition);

  clock_.Set(kT0 + minutes(20));
  Fire(kDiskFull);
  At(kT0 + minutes(20));
  ASSERT_EQ(Steps(), 2u);
  EXPECT_EQ(LastStep().step, 1);
  EXPECT_GT(Episode(), first);
  // Still refused: the link names the old episode.
  EXPECT_EQ(escalator_->Acknowledge({key, first, "ann", "", "link"}).status().code(),
            Status::Code::kFailedPrecondition);
  EXPECT_TRUE(escalator_->Acknowledge({key, Episode(), "ann", "", "link"}).ok());
}

TEST_F(EscalatorTest, ANewAlertJoiningStartsANewUnacknowledgedEpisode) {
  Fire(kDiskFull);
  At(kT0);
  int64_t first = Episode();
  clock_.Set(kT0 + minutes(5));
  ASSERT_TRUE(escalator_->Acknowledge({GroupKey(), first, "ann", "", "link"}).ok());
  clock_.Set(kT0 + minutes(20));
  Fire(kDiskFull2);
  At(kT0 + minutes(21));
  EXPECT_GT(Episode(), first);
  EXPECT_EQ(book_->records().begin()->second.acked_at, kNoTime);
  ASSERT_EQ(Steps(), 2u);
  EXPECT_EQ(LastStep().step, 1);
  EXPECT_EQ(LastStep().firing.size(), 2u);
  EXPECT_TRUE(renderer_.calls.back().n.ack_url.size() > 0);
}

TEST_F(EscalatorTest, StateSurvivesARestartAndAMissedStepFiresOnceLate) {
  Fire(kDiskFull);
  At(kT0);
  Restart();
  EXPECT_EQ(escalator_->NextDeadline(), kT0 + minutes(15));
  // Down from 11:01 to 11:50: step 2 (11:15) and its first repeat (11:45) came due.
  At(kT0 + minutes(50));
  ASSERT_EQ(Steps(), 2u);
  EXPECT_EQ(LastStep().step, 2);
  EXPECT_TRUE(LastStep().late);
  Restart();
  At(kT0 + minutes(51));
  EXPECT_EQ(Steps(), 2u);  // not again
}

TEST_F(EscalatorTest, AcknowledgeByGroupIdAndByNagiosLabels) {
  Fire(kDiskFull);
  At(kT0);
  std::string key = GroupKey();
  EXPECT_EQ(escalator_->Find(HashHex(key)), escalator_->Find(key));

  EXPECT_EQ(escalator_->Acknowledge({"0123456789abcdef", 0, "ann", "", "cli"}).status().code(),
            Status::Code::kNotFound);
  EXPECT_EQ(escalator_->Acknowledge({key, 0, "", "", "cli"}).status().code(),
            Status::Code::kInvalidArgument);

  auto acked = escalator_->AcknowledgeMatching(
      LabelSet{{"alertname", "DiskFull"}, {"instance", "db1"}}, "nagiosadmin", "looking",
      "nagios");
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(*acked, 1);
  EXPECT_EQ(book_->records().begin()->second.acked_by, "nagiosadmin");
  EXPECT_EQ(book_->records().begin()->second.ack_via, "nagios");
  auto none = escalator_->AcknowledgeMatching(LabelSet{{"instance", "web9"}}, "x", "", "nagios");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
}

TEST_F(EscalatorTest, PreviewShowsTheEpisodeForTheConfirmationPage) {
  Fire(kDiskFull);
  At(kT0);
  auto p = escalator_->Preview(GroupKey(), Episode());
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->current);
  ASSERT_EQ(p->firing.size(), 1u);
  EXPECT_EQ(p->firing[0].labels, kDiskFull);
  auto stale = escalator_->Preview(GroupKey(), Episode() - 1);
  ASSERT_TRUE(stale.ok());
  EXPECT_FALSE(stale->current);
}

}  // namespace
}  // namespace alertdigest
