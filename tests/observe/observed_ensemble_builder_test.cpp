#include "controllers/observe/observed_ensemble_builder.h"

#include <gtest/gtest.h>

#include "controllers/api/defaults.h"
#include "controllers/api/json_codec.h"
#include "controllers/render/member_set.h"

namespace zkop::observe {
namespace {

ClusterFacts threeMembers() {
  Json object = {
      {"apiVersion", "zkop.io/v1alpha1"},
      {"kind", "ZookeeperCluster"},
      {"metadata", {{"name", "zk"}, {"namespace", "default"}, {"uid", "u"}}},
      {"spec", {{"replicas", 3}, {"version", "3.8.4"}}},
      {"status", {{"myids", {{"zk-0", "1"}, {"zk-1", "2"}, {"zk-2", "3"}}}, {"highestMyid", 3}}}};
  ClusterFacts facts;
  facts.cluster = api::decodeCluster(object).cluster;
  api::applyDefaults(facts.cluster);
  const auto members = render::MemberSet::fromStatus(facts.cluster);
  facts.committed = render::initialConfig(facts.cluster, members);
  facts.committed->version = 0x100000000;
  for (const auto& m : members.members()) {
    facts.pods[m.pod] = {.terminating = false,
                         .ready = true,
                         .ip = "127.0.0.1",
                         .version = "3.8.4",
                         .listVersion = std::nullopt};
    facts.claims.insert("data-" + m.pod);
    MemberProbe probe;
    probe.answered = true;
    probe.status.mode = m.myid == 3 ? ServerMode::Leader : ServerMode::Follower;
    probe.status.version = "3.8.0";
    probe.conf.serverId = m.myid;
    probe.conf.peerType = 0;
    facts.probes[m.myid] = probe;
  }
  facts.barrierConfigVersion = 0x100000000;
  return facts;
}

TEST(ObservedEnsembleBuilder, HealthyEnsemble) {
  const auto observed = buildObservedEnsemble(threeMembers());
  ASSERT_EQ(observed.members.size(), 3u);
  EXPECT_EQ(observed.leaderMyid, 3);
  EXPECT_EQ(observed.config.version, 0x100000000);
  EXPECT_EQ(observed.config.participantCount(), 3);
  EXPECT_EQ(observed.highestMyidIssued, 3);
  for (const auto& m : observed.members) {
    EXPECT_TRUE(m.podPresent && m.up && m.synced) << m.slot.label();
    EXPECT_EQ(m.version, "3.8.4") << "the pod's version label, not what srvr says";
    EXPECT_EQ(m.dataOwnerMyid, m.myid);
    EXPECT_EQ(m.slot.pool, "default");
  }
  EXPECT_EQ(observed.members[1].slot.ordinal, 1);
}

TEST(ObservedEnsembleBuilder, ProbeFailuresAreData) {
  auto facts = threeMembers();
  facts.probes.erase(2);                                 // zk-1 did not answer
  facts.probes[1].status.mode = ServerMode::NotServing;  // zk-0 looks for a leader
  facts.pods.erase("zk-2");                              // zk-2's pod is gone
  const auto observed = buildObservedEnsemble(facts);
  EXPECT_TRUE(observed.members[0].up);
  EXPECT_FALSE(observed.members[0].synced);
  EXPECT_FALSE(observed.members[1].up);
  EXPECT_TRUE(observed.members[1].podPresent);
  EXPECT_FALSE(observed.members[2].podPresent);
  EXPECT_FALSE(observed.members[2].up);
  EXPECT_FALSE(observed.leaderMyid.has_value()) << "the leader's pod is gone";
  EXPECT_EQ(observed.members[2].dataOwnerMyid, 3) << "its volume is still there";
}

TEST(ObservedEnsembleBuilder, JoinerRunsAsObserverUntilPromoted) {
  auto facts = threeMembers();
  facts.cluster.status->myids->emplace("zk-3", "4");
  facts.pods["zk-3"] = {.terminating = false,
                        .ready = true,
                        .ip = "127.0.0.1",
                        .version = "3.8.4",
                        .listVersion = std::nullopt};
  MemberProbe joiner;
  joiner.answered = true;
  joiner.status.mode = ServerMode::Follower;  // a non-voting follower reports "follower"
  joiner.conf.serverId = 4;
  joiner.conf.peerType = 1;
  facts.probes[4] = joiner;
  const auto observed = buildObservedEnsemble(facts);
  ASSERT_EQ(observed.members.size(), 4u);
  EXPECT_EQ(observed.members[3].runningRole, planner::Role::Observer);
  EXPECT_EQ(observed.config.find(4), nullptr);
  EXPECT_EQ(observed.members[3].dataOwnerMyid, 4);
}

TEST(ObservedEnsembleBuilder, DataOfAnotherMyidIsReported) {
  auto facts = threeMembers();
  facts.probes[2].conf.serverId = 7;  // zk-1 still runs with the data of an older myid
  const auto observed = buildObservedEnsemble(facts);
  EXPECT_EQ(observed.members[1].dataOwnerMyid, 7);
}

TEST(ObservedEnsembleBuilder, AParkedPodCountsAsAbsent) {
  auto facts = threeMembers();
  facts.pods["zk-1"].parked = true;
  const auto observed = buildObservedEnsemble(facts);
  EXPECT_FALSE(observed.members[1].podPresent) << "its member does not run";
  EXPECT_FALSE(observed.members[1].up) << "even if a stale probe answer is there";
  EXPECT_FALSE(observed.members[1].synced);
  EXPECT_EQ(observed.members[1].dataOwnerMyid, 2) << "its volume is still there";
  EXPECT_TRUE(observed.members[0].podPresent);
  EXPECT_TRUE(observed.members[2].podPresent);
}

TEST(ObservedEnsembleBuilder, AParkedLeaderIsNoLeader) {
  auto facts = threeMembers();
  facts.pods["zk-2"].parked = true;
  const auto observed = buildObservedEnsemble(facts);
  EXPECT_FALSE(observed.members[2].up);
  EXPECT_FALSE(observed.leaderMyid.has_value());
}

TEST(ObservedEnsembleBuilder, ContainerDownAloneDoesNotMakeThePodAbsent) {
  auto facts = threeMembers();
  facts.pods["zk-1"].containerDown = true;
  facts.probes.erase(2);
  const auto observed = buildObservedEnsemble(facts);
  EXPECT_TRUE(observed.members[1].podPresent);
  EXPECT_FALSE(observed.members[1].up);
}

TEST(ObservedEnsembleBuilder, AStartRefusedForLostDataMarksTheMemberDataLost) {
  auto facts = threeMembers();
  facts.pods["zk-1"].containerDown = true;
  facts.pods["zk-1"].dataLost = true;
  facts.probes.erase(2);
  facts.servedMyids = std::set<int>{1, 2, 3};
  const auto observed = buildObservedEnsemble(facts);
  EXPECT_TRUE(observed.members[1].dataLost);
  EXPECT_FALSE(observed.members[1].hasData()) << "the volume does not hold myid 2's data";
  EXPECT_TRUE(observed.members[1].podPresent);
  EXPECT_FALSE(observed.members[0].dataLost);
}

TEST(ObservedEnsembleBuilder, ARecordedLossStaysWhenThePodNoLongerShowsIt) {
  auto facts = threeMembers();
  facts.pods["zk-1"].parked = true;  // parked: its start now fails for want of a myid
  facts.probes.erase(2);
  facts.recordedLostMyids = {2};
  const auto observed = buildObservedEnsemble(facts);
  EXPECT_TRUE(observed.members[1].dataLost);
  EXPECT_FALSE(observed.members[1].hasData());
  EXPECT_EQ(lostDataMyids(facts), (std::set<int>{2}));
}

TEST(ObservedEnsembleBuilder, ARefusalIsNotAboutAMyidThatNeverServed) {
  // zk-1 was re-numbered to myid 4 after its old myid lost its data; its pod still shows
  // the refusal made under the old myid.
  auto facts = threeMembers();
  facts.cluster.status->myids = {{"zk-0", "1"}, {"zk-1", "4"}, {"zk-2", "3"}};
  facts.pods["zk-1"].dataLost = true;
  facts.probes.erase(2);
  facts.servedMyids = std::set<int>{1, 2, 3};
  EXPECT_TRUE(lostDataMyids(facts).empty());
}

TEST(ObservedEnsembleBuilder, AMemberThatAnswersHasNotLostItsData) {
  auto facts = threeMembers();
  facts.pods["zk-1"].dataLost = true;  // an old exit; it runs now
  const auto observed = buildObservedEnsemble(facts);
  EXPECT_FALSE(observed.members[1].dataLost);
  EXPECT_EQ(observed.members[1].dataOwnerMyid, 2);
}

TEST(ObservedEnsembleBuilder, WithoutServedMyidsEveryVolumeHoldsData) {
  auto facts = threeMembers();
  facts.pods.clear();  // nothing runs
  facts.probes.clear();
  const auto observed = buildObservedEnsemble(facts);
  for (const auto& m : observed.members) {
    EXPECT_EQ(m.dataOwnerMyid, m.myid) << m.slot.label() << ": no record, assume data";
  }
}

TEST(ObservedEnsembleBuilder, AStoppedMemberHoldsDataOnlyIfItsMyidServed) {
  auto facts = threeMembers();
  facts.pods.clear();  // nothing runs; every volume is still there
  facts.probes.clear();
  facts.servedMyids = std::set<int>{1, 3};
  const auto observed = buildObservedEnsemble(facts);
  EXPECT_EQ(observed.members[0].dataOwnerMyid, 1);
  EXPECT_FALSE(observed.members[1].dataOwnerMyid.has_value())
      << "myid 2 never served: its volume holds no acknowledged write";
  EXPECT_FALSE(observed.members[1].hasData());
  EXPECT_EQ(observed.members[2].dataOwnerMyid, 3);
}

TEST(ObservedEnsembleBuilder, AFreshEnsembleWithAnEmptyServedSetHoldsNoData) {
  auto facts = threeMembers();
  facts.pods.clear();
  facts.probes.clear();
  facts.servedMyids = std::set<int>{};
  const auto observed = buildObservedEnsemble(facts);
  for (const auto& m : observed.members) EXPECT_FALSE(m.hasData()) << m.slot.label();
}

TEST(ObservedEnsembleBuilder, ServedMyidsDoNotOverrideWhatARunningMemberSays) {
  auto facts = threeMembers();
  facts.servedMyids = std::set<int>{};  // the record lags: none seen serving yet
  facts.probes[2].conf.serverId = 7;
  const auto observed = buildObservedEnsemble(facts);
  EXPECT_EQ(observed.members[0].dataOwnerMyid, 1) << "it answers conf with its own myid";
  EXPECT_EQ(observed.members[1].dataOwnerMyid, 7);
}

TEST(ObservedEnsembleBuilder, ServedMyidsNeedAVolume) {
  auto facts = threeMembers();
  facts.pods.erase("zk-1");
  facts.probes.erase(2);
  facts.claims.erase("data-zk-1");
  facts.servedMyids = std::set<int>{1, 2, 3};
  const auto observed = buildObservedEnsemble(facts);
  EXPECT_FALSE(observed.members[1].hasData()) << "served once, but its volume is gone";
}

TEST(ObservedEnsembleBuilder, ServedMyidsAreOnlyAboutManagedMembers) {
  auto facts = threeMembers();
  facts.cluster.spec.externalMembers =
      std::vector<api::ExternalMember>{{.myid = 10, .host = "vm1.example.com"}};
  facts.servedMyids = std::set<int>{1, 2, 3};
  const auto observed = buildObservedEnsemble(facts);
  ASSERT_EQ(observed.members.size(), 4u);
  EXPECT_EQ(observed.members[3].dataOwnerMyid, 10) << "an external server's data is its own";
}

TEST(ObservedEnsembleBuilder, ServedMyidsAreTheRecordedOnesAndThoseServingAsThemselves) {
  auto facts = threeMembers();
  facts.servedMyids = std::set<int>{7};
  facts.probes[1].status.mode = ServerMode::NotServing;  // answers, does not serve
  facts.probes[2].conf.serverId = 9;                     // the pod still runs an older identity
  EXPECT_EQ(servedMyids(facts), (std::set<int>{3, 7}));
}

}  // namespace
}  // namespace zkop::observe
