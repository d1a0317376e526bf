#include "controllers/reconciler/member_status.h"

#include <gtest/gtest.h>

#include "controllers/render/member_set.h"
#include "tests/reconciler/cluster_fixture.h"

namespace zkop::reconciler {
namespace {

using observe::ServerMode;
using testing::makeCluster;

observe::MemberProbe answered(ServerMode mode, std::uint64_t zxid, std::string version = "3.8.4") {
  observe::MemberProbe probe;
  probe.answered = true;
  probe.status.mode = mode;
  probe.status.zxid = zxid;
  probe.status.version = std::move(version);
  return probe;
}

// zk-0..2 (myids 1..3), all ready and serving 3.8.4, myid 3 leads; committed config v1_00000000.
observe::ClusterFacts threeMembers(const Json& extraSpec = Json::object()) {
  Json spec = {{"replicas", 3}, {"version", "3.8.4"}};
  spec.update(extraSpec);
  observe::ClusterFacts facts;
  facts.cluster = makeCluster(
      spec, {{"myids", {{"zk-0", "1"}, {"zk-1", "2"}, {"zk-2", "3"}}}, {"highestMyid", 3}});
  const auto members = render::MemberSet::fromStatus(facts.cluster);
  facts.committed = render::initialConfig(facts.cluster, members);
  facts.committed->version = 0x100000000;
  for (const auto& m : members.members()) {
    facts.pods[m.pod] = {.terminating = false, .ready = true, .ip = "10.0.0.1", .version = "3.8.4"};
    facts.claims.insert("data-" + m.pod);
    facts.probes[m.myid] =
        answered(m.myid == 3 ? ServerMode::Leader : ServerMode::Follower, 0x100000000 + m.myid);
  }
  return facts;
}

const api::MemberStatus* find(const MemberSummary& s, const std::string& name) {
  for (const auto& m : s.members) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

TEST(SummarizeMembers, HealthyEnsemble) {
  const auto s = summarizeMembers(threeMembers());
  ASSERT_EQ(s.members.size(), 3u);
  EXPECT_EQ(s.leader, "zk-2");
  EXPECT_EQ(s.readyReplicas, 3);
  EXPECT_EQ(s.voters, 3);
  EXPECT_EQ(s.currentVersion, "3.8.4");
  EXPECT_EQ(s.configVersion, "100000000");
  for (int i = 0; i < 3; ++i) {
    const auto& m = s.members[i];
    EXPECT_EQ(m.name, "zk-" + std::to_string(i));
    EXPECT_EQ(m.myid, i + 1) << "ascending myid";
    EXPECT_EQ(m.host, "zk-" + std::to_string(i) + ".zk-headless.ns.svc.cluster.local");
    EXPECT_EQ(m.pool, "default");
    EXPECT_EQ(m.role, api::MemberRole::Participant);
    EXPECT_EQ(m.mode, i == 2 ? "leader" : "follower");
    EXPECT_EQ(m.ready, true);
    EXPECT_EQ(m.synced, true);
    EXPECT_EQ(m.version, "3.8.4");
  }
}

TEST(SummarizeMembers, ZxidIsHex) {
  auto facts = threeMembers();
  facts.probes[1].status.zxid = 0x2000000ffULL;
  facts.probes[2].status.zxid = 0;
  facts.probes[3].status.zxid.reset();
  const auto s = summarizeMembers(facts);
  EXPECT_EQ(s.members[0].zxid, "0x2000000ff");
  EXPECT_EQ(s.members[1].zxid, "0x0");
  EXPECT_FALSE(s.members[2].zxid.has_value()) << "no zxid reported, none made up";
}

TEST(SummarizeMembers, LeaderIsThePodWhoseServerSaysLeader) {
  auto facts = threeMembers();
  facts.probes[3].status.mode = ServerMode::Follower;
  facts.probes[1].status.mode = ServerMode::Leader;
  EXPECT_EQ(summarizeMembers(facts).leader, "zk-0");
}

TEST(SummarizeMembers, NoLeaderWhileElecting) {
  auto facts = threeMembers();
  for (auto& [myid, probe] : facts.probes) probe.status.mode = ServerMode::NotServing;
  const auto s = summarizeMembers(facts);
  EXPECT_FALSE(s.leader.has_value());
  EXPECT_EQ(s.members[0].mode, "not-serving");
  EXPECT_EQ(s.members[0].synced, false);
}

TEST(SummarizeMembers, UnreachableMembersAreReportedAsSuch) {
  auto facts = threeMembers();
  facts.probes.erase(2);             // zk-1 did not answer at all
  facts.probes[3].answered = false;  // zk-2 (the former leader) neither
  const auto s = summarizeMembers(facts);
  ASSERT_EQ(s.members.size(), 3u);
  for (const auto* name : {"zk-1", "zk-2"}) {
    const auto* m = find(s, name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_EQ(m->mode, "unreachable") << name;
    EXPECT_EQ(m->synced, false) << name;
    EXPECT_FALSE(m->zxid.has_value()) << name;
    EXPECT_EQ(m->ready, true) << name << ": readiness is the pod's";
  }
  EXPECT_FALSE(s.leader.has_value()) << "a leader that does not answer is not reported";
  EXPECT_EQ(s.voters, 3);
}

TEST(SummarizeMembers, ReadyCountsReadyPodsThatAreNotTerminating) {
  auto facts = threeMembers();
  facts.pods["zk-0"].ready = false;
  facts.pods["zk-1"].terminating = true;
  const auto s = summarizeMembers(facts);
  EXPECT_EQ(s.readyReplicas, 1);
  EXPECT_EQ(find(s, "zk-0")->ready, false);
  EXPECT_EQ(find(s, "zk-1")->ready, false);
  EXPECT_EQ(find(s, "zk-2")->ready, true);
}

TEST(SummarizeMembers, CurrentVersionOnlyWhenAllPodsAgree) {
  auto facts = threeMembers();
  facts.pods["zk-0"].version = "3.8.5";
  auto s = summarizeMembers(facts);
  EXPECT_FALSE(s.currentVersion.has_value()) << "mid-upgrade";
  EXPECT_EQ(find(s, "zk-0")->version, "3.8.5");
  EXPECT_EQ(find(s, "zk-1")->version, "3.8.4");

  facts.pods["zk-1"].version = "3.8.5";
  facts.pods["zk-2"].version = "3.8.5";
  EXPECT_EQ(summarizeMembers(facts).currentVersion, "3.8.5");
}

TEST(SummarizeMembers, CurrentVersionDisagreementInTheLastPodCounts) {
  auto facts = threeMembers();
  facts.pods["zk-2"].version = "3.8.5";
  EXPECT_FALSE(summarizeMembers(facts).currentVersion.has_value());
}

TEST(SummarizeMembers, CurrentVersionIsThePodsNotWhatSrvrSays) {
  auto facts = threeMembers();
  for (auto& [myid, probe] : facts.probes) probe.status.version = "3.8.0";
  EXPECT_EQ(summarizeMembers(facts).currentVersion, "3.8.4");
}

TEST(SummarizeMembers, NoPodsNoCurrentVersion) {
  auto facts = threeMembers();
  facts.pods.clear();
  const auto s = summarizeMembers(facts);
  EXPECT_FALSE(s.currentVersion.has_value());
  EXPECT_EQ(s.readyReplicas, 0);
}

TEST(SummarizeMembers, ListedMemberWithoutAPodIsReportedUnlistedAndAbsentIsNot) {
  auto facts = threeMembers();
  facts.pods.erase("zk-1");  // listed in the committed config: reported, down
  facts.cluster.status->myids->emplace("zk-3", "4");  // issued, neither running nor listed
  const auto s = summarizeMembers(facts);
  ASSERT_EQ(s.members.size(), 3u);
  EXPECT_EQ(find(s, "zk-3"), nullptr);
  const auto* down = find(s, "zk-1");
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->mode, "unreachable") << "its old probe answer does not count without a pod";
  EXPECT_EQ(down->ready, false);
  EXPECT_FALSE(down->version.has_value());
  EXPECT_EQ(down->role, api::MemberRole::Participant);
}

TEST(SummarizeMembers, AJoinerRunningButNotListedIsReportedWithoutARole) {
  auto facts = threeMembers();
  facts.cluster.status->myids->emplace("zk-3", "4");
  facts.pods["zk-3"] = {.ready = false, .ip = "10.0.0.4", .version = "3.8.4"};
  facts.probes[4] = answered(ServerMode::Follower, 0x100000003);
  const auto s = summarizeMembers(facts);
  ASSERT_EQ(s.members.size(), 4u);
  EXPECT_EQ(s.members[3].name, "zk-3");
  EXPECT_FALSE(s.members[3].role.has_value());
  EXPECT_EQ(s.voters, 3);
}

TEST(SummarizeMembers, DynamicVotersAndRolesComeFromTheCommittedConfig) {
  auto facts = threeMembers();
  facts.committed->servers[0].role = api::MemberRole::Observer;
  facts.committed->version = 0x300000002;
  facts.writtenList = render::DynamicConfig{};  // ignored in Dynamic mode
  const auto s = summarizeMembers(facts);
  EXPECT_EQ(s.voters, 2);
  EXPECT_EQ(s.configVersion, "300000002");
  EXPECT_EQ(s.members[0].role, api::MemberRole::Observer);
}

TEST(SummarizeMembers, DynamicWithoutACommittedConfigHasNoVoters) {
  auto facts = threeMembers();
  facts.committed.reset();
  const auto s = summarizeMembers(facts);
  EXPECT_EQ(s.voters, 0);
  EXPECT_FALSE(s.configVersion.has_value());
  EXPECT_EQ(s.members.size(), 3u) << "running pods are still reported";
  EXPECT_FALSE(s.members[0].role.has_value());
}

TEST(SummarizeMembers, StaticVotersComeFromTheWrittenList) {
  auto facts = threeMembers({{"reconfigMode", "Static"}});
  render::DynamicConfig written = *facts.committed;
  written.version = 4;
  written.servers.push_back(render::ServerEntry{.myid = 4,
                                                .host = "zk-3.zk-headless.ns.svc.cluster.local",
                                                .role = api::MemberRole::Participant});
  written.servers.push_back(render::ServerEntry{.myid = 5,
                                                .host = "zk-4.zk-headless.ns.svc.cluster.local",
                                                .role = api::MemberRole::Observer});
  facts.writtenList = written;
  facts.committed->version = 0x999;  // not what Static mode reads
  const auto s = summarizeMembers(facts);
  EXPECT_EQ(s.voters, 4);
  EXPECT_EQ(s.configVersion, "4");

  facts.writtenList.reset();
  EXPECT_EQ(summarizeMembers(facts).voters, 0) << "Static mode ignores the committed config";
}

TEST(SummarizeMembers, ExternalMembersAreIncludedAfterManagedOnes) {
  auto facts =
      threeMembers({{"externalMembers",
                     {{{"myid", 10}, {"host", "vm1.example.com"}},
                      {{"myid", 11}, {"host", "vm2.example.com"}, {"role", "Observer"}}}}});
  ASSERT_EQ(facts.committed->servers.size(), 5u) << "the first config lists the externals";
  facts.probes[3].status.mode = ServerMode::Follower;
  facts.probes[10] = answered(ServerMode::Leader, 0x10000000a, "3.8.3");
  const auto s = summarizeMembers(facts);
  ASSERT_EQ(s.members.size(), 5u);
  EXPECT_EQ(s.voters, 4);
  EXPECT_EQ(s.leader, "vm1.example.com");
  const auto& vm1 = s.members[3];
  EXPECT_EQ(vm1.name, "vm1.example.com");
  EXPECT_EQ(vm1.host, "vm1.example.com");
  EXPECT_EQ(vm1.myid, 10);
  EXPECT_FALSE(vm1.pool.has_value());
  EXPECT_EQ(vm1.role, api::MemberRole::Participant);
  EXPECT_EQ(vm1.mode, "leader");
  EXPECT_EQ(vm1.zxid, "0x10000000a");
  EXPECT_EQ(vm1.version, "3.8.3");
  EXPECT_EQ(vm1.synced, true);
  const auto& vm2 = s.members[4];
  EXPECT_EQ(vm2.name, "vm2.example.com");
  EXPECT_EQ(vm2.role, api::MemberRole::Observer);
  EXPECT_EQ(vm2.mode, "unreachable");
  EXPECT_FALSE(vm2.version.has_value());
  EXPECT_EQ(s.readyReplicas, 3) << "external members are not managed pods";
  EXPECT_EQ(s.currentVersion, "3.8.4") << "only managed members set the current version";
}

}  // namespace
}  // namespace zkop::reconciler
