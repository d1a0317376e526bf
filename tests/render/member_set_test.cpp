#include "controllers/render/member_set.h"

#include <gtest/gtest.h>

#include "render_fixture.h"

namespace zkop::render {
namespace {

using testing::clusterFromSpec;

TEST(MemberSet, HigherLeaderPriorityGetsHigherMyids) {
  const auto cluster = clusterFromSpec(R"({"myidBase": 10, "pools": [
      {"name": "main", "replicas": 3, "leaderPriority": 100},
      {"name": "remote", "replicas": 1, "observers": 1},
      {"name": "standby", "replicas": 1, "leaderPriority": 50}]})");
  const auto members = initialMemberSet(cluster);
  std::vector<std::pair<std::string, int>> got;
  for (const auto& m : members.members()) got.emplace_back(m.pod, m.myid);
  const std::vector<std::pair<std::string, int>> want = {{"zk-remote-0", 10},  {"zk-remote-1", 11},
                                                         {"zk-standby-0", 12}, {"zk-main-0", 13},
                                                         {"zk-main-1", 14},    {"zk-main-2", 15}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(members.podsInPool("main"), 3);
  EXPECT_EQ(members.highestMyid(), 15);

  const auto config = initialConfig(cluster, members);
  ASSERT_EQ(config.servers.size(), 6u);
  EXPECT_EQ(config.find(11)->role, api::MemberRole::Observer) << "ordinals past replicas observe";
  EXPECT_EQ(config.participants(), 5);
  EXPECT_EQ(config.find(13)->host, "zk-main-0.zk-headless.default.svc.cluster.local");
}

TEST(MemberSet, RoundTripsThroughStatus) {
  auto cluster = clusterFromSpec(R"({"replicas": 3})");
  cluster.status = api::ZookeeperClusterStatus{};
  // zk-1 was replaced: it got a fresh myid 4; a stray entry of no pool is dropped.
  cluster.status->myids =
      api::StringMap{{"zk-0", "1"}, {"zk-1", "4"}, {"zk-2", "3"}, {"other-0", "9"}, {"zk-x", "5"}};
  const auto members = MemberSet::fromStatus(cluster);
  ASSERT_EQ(members.members().size(), 3u);
  EXPECT_EQ(members.findPod("zk-1")->myid, 4);
  EXPECT_EQ(members.findMyid(3)->pod, "zk-2");
  EXPECT_EQ(members.highestMyid(), 4);
  EXPECT_EQ(members.toStatusMap(), (api::StringMap{{"zk-0", "1"}, {"zk-1", "4"}, {"zk-2", "3"}}));
  EXPECT_EQ(members.unplacedPods(), (std::vector<std::string>{"other-0", "zk-x"}));
}

TEST(MemberSet, MembersOfAPoolTheSpecNoLongerNamesStayUntilDecommissioned) {
  // Migration: pool "old-site" was replaced by pool "b" in the spec.
  auto cluster = clusterFromSpec(R"({"pools": [{"name": "b", "replicas": 3}]})");
  cluster.status = api::ZookeeperClusterStatus{};
  cluster.status->myids = api::StringMap{
      {"zk-old-site-0", "1"}, {"zk-old-site-1", "2"}, {"zk-old-site-2", "3"}, {"zk-b-0", "4"}};
  const auto members = MemberSet::fromStatus(cluster);
  ASSERT_EQ(members.members().size(), 4u);
  EXPECT_EQ(members.findMyid(2)->pool, "old-site");
  EXPECT_EQ(members.findMyid(2)->ordinal, 1);
  EXPECT_EQ(members.findMyid(4)->pool, "b");
  EXPECT_EQ(members.podsInPool("old-site"), 3);
  EXPECT_TRUE(members.unplacedPods().empty());
}

TEST(MemberSet, SwitchingBetweenReplicasAndPoolsLeavesPodsUnplaced) {
  auto cluster = clusterFromSpec(R"({"pools": [{"name": "a", "replicas": 3}]})");
  cluster.status = api::ZookeeperClusterStatus{};
  cluster.status->myids = api::StringMap{{"zk-0", "1"}, {"zk-1", "2"}};
  const auto members = MemberSet::fromStatus(cluster);
  EXPECT_TRUE(members.members().empty());
  EXPECT_EQ(members.unplacedPods(), (std::vector<std::string>{"zk-0", "zk-1"}));
}

TEST(MemberSet, ExternalMembersJoinTheInitialConfig) {
  const auto cluster = clusterFromSpec(R"({"replicas": 3, "myidBase": 10, "externalMembers": [
      {"myid": 1, "host": "vm1", "quorumPort": 2889}, {"myid": 2, "host": "vm2"}]})");
  const auto config = initialConfig(cluster, initialMemberSet(cluster));
  ASSERT_EQ(config.servers.size(), 5u);
  EXPECT_EQ(config.servers[0].line(), "server.1=vm1:2889:3888:participant;vm1:2181");
  EXPECT_EQ(config.participants(), 5);
}

}  // namespace
}  // namespace zkop::render
