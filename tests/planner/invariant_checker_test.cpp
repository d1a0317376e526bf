// The invariant checker on its own: each rule of BRIEF §2 refuses the step that breaks it
// and accepts the nearest step that does not.
#include <gtest/gtest.h>

#include "controllers/planner/invariant_checker.h"
#include "tests/planner/ensemble_simulator.h"
#include "tests/planner/test_shapes.h"

namespace zkop::planner::testing {
namespace {

SafetyRule refusedRule(const DesiredEnsemble& d, const ObservedEnsemble& o, const Step& s) {
  auto verdict = checkStep(d, o, s);
  EXPECT_FALSE(verdict.has_value()) << describe(s) << " was accepted";
  return verdict ? SafetyRule::Resumable : verdict.error().rule;
}

ServerList listOf(std::int64_t version, int voters) {
  ServerList list{version, {}};
  for (int id = 1; id <= voters; ++id) {
    list.servers.push_back({id, MemberSlot::managed("a", id - 1), Role::Participant});
  }
  return list;
}

TEST(PlannerInvariantChecker, QuorumIntersectionAllowsOneServerPerStaticList) {
  const auto d = ensembleOf({{"a", 7}}, ReconfigMode::Static);
  auto sim = EnsembleSimulator::settled(ensembleOf({{"a", 5}}, ReconfigMode::Static), "3.8.0");
  auto& o = sim.mutableObserved();
  for (int id : {6, 7}) {
    ObservedMember m;
    m.slot = MemberSlot::managed("a", id - 1);
    m.myid = id;
    o.members.push_back(m);
  }
  EXPECT_EQ(refusedRule(d, o, WriteServerList{listOf(2, 7)}), SafetyRule::QuorumIntersection);
  EXPECT_TRUE(checkStep(d, o, WriteServerList{listOf(2, 6)}).has_value());
  EXPECT_FALSE(quorumsIntersect({1, 2, 3, 4, 5}, {1, 2, 3}));  // removing two of five
  EXPECT_TRUE(quorumsIntersect({1, 2, 3, 4, 5}, {1, 2, 3, 4}));
}

TEST(PlannerInvariantChecker, JoinersStartAsObserversOnly) {
  const auto d = ensembleOf({{"a", 4}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(ensembleOf({{"a", 3}}, ReconfigMode::Dynamic), "3.8.0");
  auto& o = sim.mutableObserved();
  ObservedMember joiner;
  joiner.slot = MemberSlot::managed("a", 3);
  joiner.myid = 4;
  o.members.push_back(joiner);
  const StartMember asVoter{joiner.slot, 4, Role::Participant, false, "3.8.0", 1};
  EXPECT_EQ(refusedRule(d, o, asVoter), SafetyRule::OneVotingJoiner);
  const StartMember asJoiner{joiner.slot, 4, Role::Observer, true, "3.8.0", 1};
  EXPECT_TRUE(checkStep(d, o, asJoiner).has_value());
  // Not synced yet: it may not be added.
  const Reconfig add{Reconfig::Change::Add, {4, joiner.slot, Role::Participant}, 1};
  EXPECT_EQ(refusedRule(d, o, add), SafetyRule::WaitForEvidence);
}

TEST(PlannerInvariantChecker, AvailabilityBudgetAllowsOneMemberDown) {
  const auto d = ensembleOf({{"a", 5}}, ReconfigMode::Dynamic, "3.9.0");
  auto sim = EnsembleSimulator::settled(ensembleOf({{"a", 5}}, ReconfigMode::Dynamic), "3.8.0");
  const RestartMember restart1{
      MemberSlot::managed("a", 0), 1, Role::Participant, false, "3.9.0", 1, false};
  EXPECT_TRUE(checkStep(d, sim.observed(), restart1).has_value());
  sim.crash(2);
  EXPECT_EQ(refusedRule(d, sim.observed(), restart1), SafetyRule::AvailabilityBudget);
}

// Static mode: a new member of list v2 that the leader (still on v1) refuses as a learner
// is not one "down" member of the budget; any other member that is not synced still is.
// The leader's restart counts it among the voters running v2, but only while it is up.
TEST(PlannerInvariantChecker, StaticNewMemberTheLeaderDoesNotKnowIsNotCountedDown) {
  const auto d = ensembleOf({{"a", 6}}, ReconfigMode::Static);
  auto sim = EnsembleSimulator::settled(ensembleOf({{"a", 5}}, ReconfigMode::Static), "3.8.0");
  ASSERT_TRUE(sim.apply(AssignMyid{MemberSlot::managed("a", 5), kNoMyid, 6}));
  ASSERT_TRUE(sim.apply(WriteServerList{listOf(2, 6)}));
  ASSERT_TRUE(
      sim.apply(StartMember{MemberSlot::managed("a", 5), 6, Role::Participant, false, "3.8.0", 2}));
  sim.settle();
  ASSERT_EQ(sim.observed().leaderMyid, 5);
  ASSERT_TRUE(sim.observed().findByMyid(6)->up);
  ASSERT_FALSE(sim.observed().findByMyid(6)->synced);
  auto restart = [](int myid, bool leader) {
    return RestartMember{
        MemberSlot::managed("a", myid - 1), myid, Role::Participant, false, "3.8.0", 2, leader};
  };
  EXPECT_TRUE(checkStep(d, sim.observed(), restart(1, false)).has_value());
  for (int id = 1; id <= 4; ++id) {
    ASSERT_TRUE(sim.apply(restart(id, false)));
    sim.settle();
    EXPECT_TRUE(sim.observed().findByMyid(id)->synced);  // named by both lists
  }
  // 4 followers + the new member run v2: the election after the leader goes has q(6) = 4.
  EXPECT_TRUE(checkStep(d, sim.observed(), restart(5, true)).has_value());
  // A new member that is down is down: it is started again before anything else moves.
  ObservedEnsemble joinerDown = sim.observed();
  for (auto& m : joinerDown.members) {
    if (m.myid == 6) m.up = m.podPresent = false;
  }
  EXPECT_EQ(refusedRule(d, joinerDown, restart(5, true)), SafetyRule::AvailabilityBudget);
  // Another member not synced: the budget is spent.
  ObservedEnsemble lagging = sim.observed();
  for (auto& m : lagging.members) {
    if (m.myid == 2) m.synced = false;
  }
  EXPECT_EQ(refusedRule(d, lagging, restart(1, false)), SafetyRule::AvailabilityBudget);
  ASSERT_TRUE(sim.apply(restart(5, true)));
  sim.settle();
  EXPECT_TRUE(sim.observed().findByMyid(6)->synced);  // the leader now runs v2
}

TEST(PlannerInvariantChecker, LeaderGoesLastAndHandoffNeverRestartsIt) {
  auto d = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic, "3.9.0");
  auto sim = EnsembleSimulator::settled(ensembleOf({{"a", 3}}, ReconfigMode::Dynamic), "3.8.0");
  const RestartMember leader{
      MemberSlot::managed("a", 2), 3, Role::Participant, false, "3.9.0", 1, true};
  EXPECT_EQ(refusedRule(d, sim.observed(), leader), SafetyRule::LeaderLast);
  for (auto& m : sim.mutableObserved().members) {
    if (m.myid != 3) m.version = "3.9.0";
  }
  EXPECT_TRUE(checkStep(d, sim.observed(), leader).has_value());
  d.updateStrategy = UpdateStrategy::Handoff;
  EXPECT_EQ(refusedRule(d, sim.observed(), leader), SafetyRule::LeaderLast);
  const Reconfig plainRemoval{
      Reconfig::Change::Remove, {3, MemberSlot::managed("a", 2), Role::Participant}, 1};
  EXPECT_EQ(refusedRule(d, sim.observed(), plainRemoval), SafetyRule::LeaderLast);
  EXPECT_TRUE(checkStep(d, sim.observed(), HandOffLeadership{MemberSlot::managed("a", 2), 3, 1})
                  .has_value());
}

TEST(PlannerInvariantChecker, MyidsAreNeverReusedAndForeignDataIsCleanedFirst) {
  const auto d = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(d, "3.8.0");
  auto& o = sim.mutableObserved();
  o.highestMyidIssued = 7;  // myids 4..7 were issued before and are gone
  EXPECT_EQ(refusedRule(d, o, AssignMyid{MemberSlot::managed("a", 3), kNoMyid, 4}),
            SafetyRule::MyidsNeverReused);
  EXPECT_TRUE(checkStep(d, o, AssignMyid{MemberSlot::managed("a", 3), kNoMyid, 8}).has_value());
  ObservedMember reused;
  reused.slot = MemberSlot::managed("a", 3);
  reused.myid = 8;
  reused.dataOwnerMyid = 4;  // a PVC left by an earlier scale-down
  o.members.push_back(reused);
  const StartMember start{reused.slot, 8, Role::Observer, true, "3.8.0", 1};
  EXPECT_EQ(refusedRule(d, o, start), SafetyRule::MyidsNeverReused);
  EXPECT_TRUE(checkStep(d, o, CleanDataDir{reused.slot, 8}).has_value());
}

TEST(PlannerInvariantChecker, RemovedServersStopOnlyAfterAWriteCommits) {
  const auto d = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(ensembleOf({{"a", 4}}, ReconfigMode::Dynamic), "3.8.0", 4);
  sim.apply(
      Reconfig{Reconfig::Change::Remove, {3, MemberSlot::managed("a", 2), Role::Participant}, 1});
  const StopMember stop{MemberSlot::managed("a", 2), 3, true, false};
  EXPECT_EQ(refusedRule(d, sim.observed(), stop), SafetyRule::WaitForEvidence);
  sim.apply(WriteBarrier{2});
  EXPECT_TRUE(checkStep(d, sim.observed(), stop).has_value());
}

TEST(PlannerInvariantChecker, ReconfigIsConditionalOnTheCommittedVersion) {
  const auto d = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(ensembleOf({{"a", 4}}, ReconfigMode::Dynamic), "3.8.0", 4);
  const Reconfig stale{
      Reconfig::Change::Remove, {3, MemberSlot::managed("a", 2), Role::Participant}, 0};
  EXPECT_EQ(refusedRule(d, sim.observed(), stale), SafetyRule::Resumable);
}

}  // namespace
}  // namespace zkop::planner::testing
