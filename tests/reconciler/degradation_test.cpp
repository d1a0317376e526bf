#include "controllers/reconciler/degradation.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace zkop::reconciler {
namespace {

api::MemberStatus member(std::string name, int myid, bool synced,
                         std::optional<api::MemberRole> role = api::MemberRole::Participant) {
  api::MemberStatus m;
  m.name = std::move(name);
  m.myid = myid;
  m.role = role;
  m.synced = synced;
  m.mode = synced ? "follower" : "unreachable";
  return m;
}

// zk-0..2 (myids 1..3); `down` lists the myids that do not serve.
MemberSummary threeMembers(std::initializer_list<int> down = {}) {
  MemberSummary s;
  for (int myid = 1; myid <= 3; ++myid) {
    const bool serving = std::ranges::find(down, myid) == down.end();
    s.members.push_back(member("zk-" + std::to_string(myid - 1), myid, serving));
  }
  return s;
}

TEST(Degradation, AllListedMembersServingIsNotDegraded) {
  const auto summary = threeMembers();
  const auto d = assessDegradation({.summary = summary, .leaderElected = true});
  EXPECT_FALSE(d.degraded);
  EXPECT_EQ(d.reason, "AllMembersServing");
  EXPECT_EQ(d.message, "3 of 3 listed members serving");
}

TEST(Degradation, AMemberDownWithoutZkopAskingIsDegradedAndNamed) {
  const auto summary = threeMembers({2});
  const auto d = assessDegradation({.summary = summary, .leaderElected = true});
  EXPECT_TRUE(d.degraded);
  EXPECT_EQ(d.reason, "MembersNotServing");
  EXPECT_EQ(d.message, "not serving: zk-1 (myid 2) unreachable; 2 of 3 listed members serving");
}

TEST(Degradation, TheMemberTheOperationRestartsIsNotADegradation) {
  const auto summary = threeMembers({2});
  const auto d =
      assessDegradation({.summary = summary, .deliberateMyid = 2, .leaderElected = true});
  EXPECT_FALSE(d.degraded) << d.message;
  EXPECT_EQ(d.message, "2 of 3 listed members serving");
}

TEST(Degradation, ASecondMemberDownDuringAnOperationIsDegraded) {
  const auto summary = threeMembers({1, 2});
  const auto d =
      assessDegradation({.summary = summary, .deliberateMyid = 2, .leaderElected = true});
  EXPECT_TRUE(d.degraded);
  EXPECT_EQ(d.message, "not serving: zk-0 (myid 1) unreachable; 1 of 3 listed members serving");
}

TEST(Degradation, DuringAStepAMemberThatAnswersButStillSyncsIsNotDegraded) {
  auto summary = threeMembers({1, 2});
  summary.members[0].mode = "not-serving";
  const auto during =
      assessDegradation({.summary = summary, .deliberateMyid = 2, .leaderElected = true});
  EXPECT_FALSE(during.degraded) << during.message;
  // With no step under way the same member is a degradation.
  const auto settled = assessDegradation({.summary = summary, .leaderElected = true});
  EXPECT_TRUE(settled.degraded);
  EXPECT_EQ(settled.message,
            "not serving: zk-0 (myid 1) not-serving, zk-1 (myid 2) unreachable; 1 of 3 listed "
            "members serving");
}

TEST(Degradation, MembersOutsideTheConfigDoNotCount) {
  // A joiner (no role yet) that does not serve yet is neither listed nor degraded.
  auto summary = threeMembers();
  summary.members.push_back(member("zk-3", 4, false, std::nullopt));
  const auto d = assessDegradation({.summary = summary, .leaderElected = true});
  EXPECT_FALSE(d.degraded);
  EXPECT_EQ(d.message, "3 of 3 listed members serving");
}

TEST(Degradation, NoLeaderIsNoQuorumEvenWhenTheOperationExplainsTheDownMember) {
  const auto summary = threeMembers({1, 2, 3});
  const auto d =
      assessDegradation({.summary = summary, .deliberateMyid = 2, .leaderElected = false});
  EXPECT_TRUE(d.degraded);
  EXPECT_EQ(d.reason, "NoQuorum");
  EXPECT_NE(d.message.find("zk-0 (myid 1)"), std::string::npos) << d.message;
  EXPECT_EQ(d.message.find("zk-1 (myid 2)"), std::string::npos) << d.message;
}

TEST(Degradation, TheElectionAfterZkopRestartedTheLeaderIsNotADegradation) {
  auto summary = threeMembers({1, 2, 3});
  summary.members[0].mode = "not-serving";  // LOOKING: answers, does not serve
  summary.members[1].mode = "not-serving";
  const auto d =
      assessDegradation({.summary = summary, .deliberateMyid = 3, .leaderElected = false});
  EXPECT_FALSE(d.degraded) << d.message;
  EXPECT_EQ(d.reason, "Electing");
  // One of the electing members stops answering: that is a lost quorum.
  summary.members[1].mode = "unreachable";
  const auto lost =
      assessDegradation({.summary = summary, .deliberateMyid = 3, .leaderElected = false});
  EXPECT_TRUE(lost.degraded);
  EXPECT_EQ(lost.reason, "NoQuorum");
  EXPECT_EQ(lost.message,
            "no member leads: clients cannot write; 0 of 3 listed members serving; not serving: "
            "zk-1 (myid 2) unreachable");
}

TEST(Degradation, AnEnsembleBeingCreatedIsNotDegraded) {
  const auto summary = threeMembers({1, 2, 3});
  const auto d = assessDegradation({.summary = summary, .leaderElected = false, .creating = true});
  EXPECT_FALSE(d.degraded);
  EXPECT_EQ(d.reason, "Creating");
}

TEST(Degradation, AMemberWithLostDataIsDegradedEvenWhileZkopReplacesIt) {
  const auto summary = threeMembers({2});
  const auto d = assessDegradation({.summary = summary,
                                    .deliberateMyid = 2,
                                    .leaderElected = true,
                                    .lostData = {"zk-1 (myid 2)"}});
  EXPECT_TRUE(d.degraded);
  EXPECT_EQ(d.reason, "DataLost");
  EXPECT_EQ(d.message,
            "zk-1 (myid 2) has lost its data: zkop replaces it with a member under a new myid; "
            "2 of 3 listed members serving");
}

TEST(Degradation, NoQuorumOutranksLostData) {
  const auto summary = threeMembers({1, 2});
  const auto d = assessDegradation(
      {.summary = summary, .leaderElected = false, .lostData = {"zk-1 (myid 2)"}});
  EXPECT_EQ(d.reason, "NoQuorum");
}

}  // namespace
}  // namespace zkop::reconciler
