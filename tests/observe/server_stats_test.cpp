#include "controllers/observe/server_stats.h"

#include <gtest/gtest.h>

namespace zkop::observe {
namespace {

TEST(ServerStats, ParsesSrvrOfAFollower) {
  const auto status = parseSrvr(
      "Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\n"
      "Latency min/avg/max: 0/0.0/0\nReceived: 2\nSent: 1\nConnections: 1\nOutstanding: 0\n"
      "Zxid: 0x10000002a\nMode: follower\nNode count: 5\n");
  EXPECT_EQ(status.mode, ServerMode::Follower);
  EXPECT_EQ(status.zxid, 0x10000002aULL);
  EXPECT_EQ(status.version, "3.8.0");
}

TEST(ServerStats, LookingServerIsNotServing) {
  const auto status = parseSrvr("This ZooKeeper instance is not currently serving requests\n");
  EXPECT_EQ(status.mode, ServerMode::NotServing);
  EXPECT_FALSE(status.zxid.has_value());
}

TEST(ServerStats, ParsesMntrOfALeader) {
  const auto stats = parseMntr(
      "zk_version\t3.8.0-abc, built on x\nzk_server_state\tleader\nzk_synced_followers\t2\n"
      "zk_synced_observers\t1\nzk_avg_latency\t0.1\n");
  EXPECT_EQ(stats.get("zk_server_state"), "leader");
  EXPECT_EQ(stats.syncedFollowers(), 2);
  EXPECT_EQ(stats.syncedObservers(), 1);
  EXPECT_FALSE(stats.number("zk_avg_latency").has_value()) << "not an integer";
  EXPECT_FALSE(stats.number("zk_missing").has_value());
}

}  // namespace
}  // namespace zkop::observe

namespace zkop::observe {
namespace {

TEST(ServerStats, ParsesConfIdentityAndMembership) {
  const auto conf = parseConf(
      "clientPort=2181\nserverId=3\ninitLimit=10\npeerType=0\nmembership: \n"
      "server.1=a:2888:3888:participant;a:2181\nserver.3=c:2888:3888:participant;c:2181\n"
      "version=100000004\n");
  EXPECT_EQ(conf.serverId, 3);
  EXPECT_EQ(conf.peerType, 0);
  EXPECT_EQ(conf.membership,
            "server.1=a:2888:3888:participant;a:2181\nserver.3=c:2888:3888:participant;c:2181\n"
            "version=100000004\n");
}

}  // namespace
}  // namespace zkop::observe
