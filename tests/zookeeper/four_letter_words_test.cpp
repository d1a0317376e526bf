// Four-letter words against real ZooKeeper servers.
#include "operator/zookeeper/four_letter_words.h"

#include <gtest/gtest.h>

#include "controllers/observe/server_stats.h"
#include "tests/support/local_ensemble.h"

namespace zkop::zookeeper {
namespace {

using testing::LocalEnsemble;
using namespace std::chrono_literals;
using observe::parseMntr;
using observe::ServerMode;

TEST(FourLetterWords, ThreeServersReportOneLeaderAndTwoFollowers) {
  LocalEnsemble ensemble("flw-three");
  const auto config = ensemble.config(3);
  for (int id = 1; id <= 3; ++id) ensemble.start(id, config);
  ASSERT_TRUE(LocalEnsemble::waitUntil(
      [&] {
        int leaders = 0, followers = 0;
        for (int id = 1; id <= 3; ++id) {
          const auto mode = ensemble.status(id).mode;
          leaders += mode == ServerMode::Leader;
          followers += mode == ServerMode::Follower;
        }
        return leaders == 1 && followers == 2;
      },
      120s))
      << ensemble.describe(true);

  const int leader = ensemble.leader();
  const auto mntr = askFourLetterWord(ensemble.ip(leader), 2181, "mntr", 5s);
  ASSERT_TRUE(mntr.has_value()) << mntr.error();
  const auto stats = parseMntr(*mntr);
  EXPECT_EQ(stats.get("zk_server_state"), "leader");
  EXPECT_EQ(stats.syncedFollowers(), 2) << *mntr;
  EXPECT_EQ(ensemble.status(leader).version.substr(0, 2), "3.");
}

TEST(FourLetterWords, UnreachableServerIsAnErrorValue) {
  LocalEnsemble ensemble("flw-unreachable");  // nothing started: the port is closed
  const auto answer = askFourLetterWord(ensemble.ip(1), 2181, "srvr", 2s);
  ASSERT_FALSE(answer.has_value());
  EXPECT_NE(answer.error().find(ensemble.ip(1)), std::string::npos) << answer.error();
}

}  // namespace
}  // namespace zkop::zookeeper
