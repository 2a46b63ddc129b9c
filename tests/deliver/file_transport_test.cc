// FileTransport: what a failed write means for the message — a full disk or a file size limit
// clears up (the message waits and is written later), nothing half-written stays behind.
#include "deliver/file_transport.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>

namespace alertdigest {
namespace {

namespace fs = std::filesystem;

// Regression: EFBIG (a write past RLIMIT_FSIZE) was a permanent failure: a dead letter.
TEST(FileTransportTest, AFileSizeLimitIsTransientLikeAFullDisk) {
  char tmpl[] = "/tmp/ad-file-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  FileTransport transport(dir + "/outbox");
  OutboxMessage m;
  m.id = 1;
  m.group_key = "g";
  m.created_at = FromUnixMillis(1'800'000'000'000);
  m.data = std::string(64 * 1024, 'x');

  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);  // as alertdigest does (app/cli.cc)
  rlimit old{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
  rlimit lim{16 * 1024, old.rlim_max};
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &lim), 0);
  DeliveryResult full = transport.Deliver(m);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &old), 0);
  ::signal(SIGXFSZ, old_handler);

  EXPECT_EQ(full.kind, DeliveryResult::Kind::kTransient) << full.detail;
  EXPECT_NE(full.detail.find("File too large"), std::string::npos) << full.detail;
  EXPECT_TRUE(fs::is_empty(dir + "/outbox")) << "no half-written file stays";

  DeliveryResult later = transport.Deliver(m);
  EXPECT_EQ(later.kind, DeliveryResult::Kind::kDelivered) << later.detail;
  EXPECT_EQ(fs::file_size(transport.PathFor(m)), m.data.size());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace alertdigest
