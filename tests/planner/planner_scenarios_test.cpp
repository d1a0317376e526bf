// Scenario tests: the seeds' procedures and BRIEF §6's must-pass cases, each run through the
// planner and the simulator, asserting the order of steps and not just the end state.
#include <gtest/gtest.h>

#include <algorithm>

#include "controllers/planner/invariant_checker.h"
#include "controllers/planner/planner.h"
#include "tests/planner/ensemble_simulator.h"
#include "tests/planner/plan_runner.h"
#include "tests/planner/test_shapes.h"

namespace zkop::planner::testing {
namespace {

template <typename T>
std::vector<T> stepsOf(const std::vector<Step>& steps) {
  std::vector<T> out;
  for (const auto& s : steps) {
    if (const auto* t = std::get_if<T>(&s)) out.push_back(*t);
  }
  return out;
}

template <typename T>
int firstIndexOf(const std::vector<Step>& steps) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (std::holds_alternative<T>(steps[i])) return static_cast<int>(i);
  }
  return -1;
}

std::string transcript(const RunResult& r) {
  std::string text;
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    text += std::to_string(i) + ". " + describe(r.steps[i]) + "\n";
  }
  return text + "failure: " + r.failure + "\nstopped: " + r.stoppedWith;
}

TEST(PlannerUpgrade, ThreeMembersRestartLeaderLastInBothModes) {
  for (auto mode : {ReconfigMode::Dynamic, ReconfigMode::Static}) {
    const auto from = ensembleOf({{"a", 3}}, mode, "3.7.0");
    const auto to = ensembleOf({{"a", 3}}, mode, "3.8.0");
    auto sim = EnsembleSimulator::settled(from, "3.7.0", /*leaderMyid=*/2);
    const RunResult r = runPlan(to, sim);
    ASSERT_TRUE(r.done) << transcript(r);
    ASSERT_EQ(r.failure, "") << transcript(r);
    const auto restarts = stepsOf<RestartMember>(r.steps);
    ASSERT_EQ(restarts.size(), 3u) << transcript(r);
    EXPECT_EQ(restarts[0].myid, 1);  // ascending myid among followers
    EXPECT_EQ(restarts[1].myid, 3);
    EXPECT_EQ(restarts[2].myid, 2);  // the leader last
    EXPECT_TRUE(restarts[2].isLeader);
    EXPECT_EQ(r.stats.leaderRestarts, 1);
  }
}

TEST(PlannerUpgrade, HandoffMovesLeadershipWithoutRestartingTheLeader) {
  const auto from = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic, "3.7.0", UpdateStrategy::Handoff);
  const auto to = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic, "3.8.0", UpdateStrategy::Handoff);
  auto sim = EnsembleSimulator::settled(from, "3.7.0");
  const int leader = *sim.observed().leaderMyid;
  const RunResult r = runPlan(to, sim);
  ASSERT_TRUE(r.done) << transcript(r);
  ASSERT_EQ(r.failure, "") << transcript(r);
  EXPECT_EQ(r.stats.leaderRestarts, 0);
  EXPECT_EQ(r.stats.handoffs, 1);
  const auto handoffs = stepsOf<HandOffLeadership>(r.steps);
  ASSERT_EQ(handoffs.size(), 1u);
  EXPECT_EQ(handoffs[0].leaderMyid, leader);
  // The old leader comes back as an observer joiner and is added back as a participant.
  const auto restarts = stepsOf<RestartMember>(r.steps);
  ASSERT_EQ(restarts.size(), 3u);
  EXPECT_EQ(restarts.back().myid, leader);
  EXPECT_TRUE(restarts.back().asJoiner);
  const auto reconfigs = stepsOf<Reconfig>(r.steps);
  ASSERT_EQ(reconfigs.size(), 1u);
  EXPECT_EQ(reconfigs[0].server.myid, leader);
  EXPECT_EQ(reconfigs[0].server.role, Role::Participant);
}

TEST(PlannerUpgrade, StatefulSetBaselineCostsTwoLeaderChangesWhenLeaderIsHighestOrdinal) {
  const auto from =
      ensembleOf({{"a", 3}}, ReconfigMode::Dynamic, "3.7.0", UpdateStrategy::StatefulSet);
  const auto to =
      ensembleOf({{"a", 3}}, ReconfigMode::Dynamic, "3.8.0", UpdateStrategy::StatefulSet);
  auto sim = EnsembleSimulator::settled(from, "3.7.0");  // leader: myid 3, ordinal 2
  const RunResult r = runPlan(to, sim);
  ASSERT_TRUE(r.done) << transcript(r);
  const auto restarts = stepsOf<RestartMember>(r.steps);
  ASSERT_EQ(restarts.size(), 3u);
  EXPECT_EQ(restarts[0].slot.ordinal, 2);
  EXPECT_EQ(restarts[1].slot.ordinal, 1);
  EXPECT_EQ(restarts[2].slot.ordinal, 0);
  EXPECT_EQ(r.stats.leaderRestarts, 2);  // BRIEF §2 rule 4: why the baseline is worse
}

TEST(PlannerScale, StatefulSetStrategyStillRollsStaticListsLeaderLast) {
  const auto from =
      ensembleOf({{"a", 3}}, ReconfigMode::Static, "3.7.0", UpdateStrategy::StatefulSet);
  const auto to =
      ensembleOf({{"a", 5}}, ReconfigMode::Static, "3.8.0", UpdateStrategy::StatefulSet);
  auto sim = EnsembleSimulator::settled(from, "3.7.0");
  const RunResult r = runPlan(to, sim);
  ASSERT_TRUE(r.done) << transcript(r);
  ASSERT_EQ(r.failure, "") << transcript(r);
}

TEST(PlannerScale, StaticFiveToElevenPassesThroughSevenWithIntersectingQuorums) {
  const auto from = ensembleOf({{"a", 5}}, ReconfigMode::Static);
  const auto to = ensembleOf({{"a", 11}}, ReconfigMode::Static);
  auto sim = EnsembleSimulator::settled(from, "3.8.0");
  const RunResult r = runPlan(to, sim);
  ASSERT_TRUE(r.done) << transcript(r);
  ASSERT_EQ(r.failure, "") << transcript(r);
  const auto sets = votingSets(r.steps, {1, 2, 3, 4, 5});
  std::vector<std::size_t> sizes;
  for (const auto& s : sets) sizes.push_back(s.size());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{5, 6, 7, 8, 9, 10, 11}));
  for (std::size_t i = 1; i < sets.size(); ++i) {
    EXPECT_TRUE(quorumsIntersect(sets[i - 1], sets[i])) << "between set " << i - 1 << " and " << i;
  }
  // Each list is followed by a roll in which the leader goes last: one election per list.
  EXPECT_LE(r.stats.leaderRestarts, 6);
}

// Real ZooKeeper 3.5+ (found under the operator with 3.8.0): a leader refuses a learner
// whose sid is not in its own list. A new member of list v2 cannot sync while the leader
// runs v1, so the roll must not wait for it: followers move to v2 first (each syncing again
// before the next), the leader last, and then the new member syncs.
TEST(PlannerScale, StaticScaleOutRollsBeforeTheNewMemberCanSync) {
  const auto from = ensembleOf({{"a", 5}}, ReconfigMode::Static);
  const auto to = ensembleOf({{"a", 6}}, ReconfigMode::Static);
  auto sim = EnsembleSimulator::settled(from, "3.8.0");  // leader: myid 5
  int unsyncedChecks = 0;
  RunOptions watch;
  watch.beforeStep = [&](EnsembleSimulator& s, int) {
    const ObservedEnsemble& o = s.observed();
    const ObservedMember* joiner = o.findByMyid(6);
    const ObservedMember* leader = o.leaderMyid ? o.findByMyid(*o.leaderMyid) : nullptr;
    if (joiner == nullptr || !joiner->up || leader == nullptr) return;
    // The model syncs it only once the leader runs the list that names it.
    if (leader->configVersion == 1) {
      EXPECT_FALSE(joiner->synced);
      ++unsyncedChecks;
    }
  };
  const RunResult r = runPlan(to, sim, watch);
  ASSERT_TRUE(r.done) << transcript(r);
  ASSERT_EQ(r.failure, "") << transcript(r);
  EXPECT_GT(unsyncedChecks, 0);
  for (const auto& w : stepsOf<Wait>(r.steps)) {
    EXPECT_EQ(w.evidence.find("myid 6"), std::string::npos) << transcript(r);
  }
  const auto starts = stepsOf<StartMember>(r.steps);
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(starts[0].myid, 6);
  EXPECT_EQ(starts[0].configVersion, 2);
  EXPECT_LT(firstIndexOf<StartMember>(r.steps), firstIndexOf<RestartMember>(r.steps));
  const auto restarts = stepsOf<RestartMember>(r.steps);
  std::vector<int> order;
  for (const auto& rs : restarts) order.push_back(rs.myid);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(restarts.back().isLeader);
  EXPECT_EQ(r.stats.leaderRestarts, 1);
}

// 1 -> 2 and 2 -> 3: the new member is one of the voters the election under the new list
// needs, so the leader's restart counts it although it could not sync before.
TEST(PlannerScale, StaticNewMemberVotesInTheElectionThatNeedsIt) {
  for (int voters : {1, 2}) {
    const auto from = ensembleOf({{"a", voters}}, ReconfigMode::Static);
    const auto to = ensembleOf({{"a", voters + 1}}, ReconfigMode::Static);
    auto sim = EnsembleSimulator::settled(from, "3.8.0");
    const int newMyid = voters + 1;
    bool checkedDown = false;
    RunOptions probe;
    probe.beforeStep = [&](EnsembleSimulator& s, int) {
      const Step next = nextStep(to, s.observed());
      const auto* restart = std::get_if<RestartMember>(&next);
      if (restart == nullptr || !restart->isLeader || checkedDown) return;
      // The leader's restart relies on the new member: without it there is no election.
      ObservedEnsemble without = s.observed();
      for (auto& m : without.members) {
        if (m.myid == newMyid) m.up = m.podPresent = false;
      }
      auto tight = to;
      tight.tolerateUnavoidableOutage = false;
      if (voters == 2) {  // 1 -> 2 needs the outage consent whatever happens
        EXPECT_TRUE(checkStep(tight, s.observed(), next).has_value()) << describe(next);
        EXPECT_FALSE(checkStep(tight, without, next).has_value()) << describe(next);
      }
      checkedDown = true;
    };
    const RunResult r = runPlan(to, sim, probe);
    ASSERT_TRUE(r.done) << voters << " -> " << voters + 1 << "\n" << transcript(r);
    ASSERT_EQ(r.failure, "") << transcript(r);
    EXPECT_TRUE(checkedDown) << transcript(r);
    EXPECT_EQ(r.stats.leaderRestarts, 1);
    EXPECT_EQ(sim.observed().leaderMyid, 1) << "the data holder wins, not the empty member";
  }
}

TEST(PlannerScale, DynamicScaleOutStartsJoinersAsObserversAndPromotesOneAtATime) {
  const auto from = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic);
  const auto to = ensembleOf({{"a", 5}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(from, "3.8.0");
  const RunResult r = runPlan(to, sim);
  ASSERT_TRUE(r.done) << transcript(r);
  ASSERT_EQ(r.failure, "") << transcript(r);
  const auto starts = stepsOf<StartMember>(r.steps);
  ASSERT_EQ(starts.size(), 2u);
  for (const auto& s : starts) {
    EXPECT_TRUE(s.asJoiner);
    EXPECT_EQ(s.role, Role::Observer);
    EXPECT_GT(s.myid, 3);
  }
  const auto adds = stepsOf<Reconfig>(r.steps);
  ASSERT_EQ(adds.size(), 2u);
  EXPECT_EQ(r.stats.leaderRestarts, 0);
  EXPECT_LT(firstIndexOf<StartMember>(r.steps), firstIndexOf<Reconfig>(r.steps));
}

TEST(PlannerScale, DynamicScaleInRemovesByReconfigThenBarrierThenStops) {
  const auto from = ensembleOf({{"a", 5}}, ReconfigMode::Dynamic);
  const auto to = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(from, "3.8.0", /*leaderMyid=*/5);
  const RunResult r = runPlan(to, sim);
  ASSERT_TRUE(r.done) << transcript(r);
  ASSERT_EQ(r.failure, "") << transcript(r);
  // Ordinals 3 and 4 go; 5 (ordinal 4) leads, so it is handed off, not restarted.
  EXPECT_EQ(r.stats.leaderRestarts, 0);
  EXPECT_EQ(r.stats.handoffs, 1);
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const auto* stop = std::get_if<StopMember>(&r.steps[i]);
    if (stop == nullptr) continue;
    EXPECT_TRUE(stop->decommission);
    bool removed = false, barrier = false;
    for (std::size_t j = 0; j < i; ++j) {
      if (const auto* rc = std::get_if<Reconfig>(&r.steps[j]))
        removed |= rc->server.myid == stop->myid;
      if (const auto* h = std::get_if<HandOffLeadership>(&r.steps[j]))
        removed |= h->leaderMyid == stop->myid;
      barrier |= std::holds_alternative<WriteBarrier>(r.steps[j]) && removed;
    }
    EXPECT_TRUE(removed && barrier) << "stop of " << stop->myid << " at " << i << "\n"
                                    << transcript(r);
  }
}

TEST(PlannerScale, ThreeToTwoIsRefusedOrSafe) {
  auto to = ensembleOf({{"a", 2}}, ReconfigMode::Static);
  to.allowEvenVoters = false;
  to.tolerateUnavoidableOutage = false;
  const auto from = ensembleOf({{"a", 3}}, ReconfigMode::Static);
  {
    auto sim = EnsembleSimulator::settled(from, "3.8.0");
    const Step step = nextStep(to, sim.observed());
    ASSERT_TRUE(std::holds_alternative<Blocked>(step));
    EXPECT_NE(std::get<Blocked>(step).reason.find("allowEvenVoters"), std::string::npos);
  }
  to.allowEvenVoters = true;
  {
    // The leaving member (myid 3) leads: the others move to the 2-voter list, then it
    // stops and they elect under the new list. No moment without a quorum.
    auto sim = EnsembleSimulator::settled(from, "3.8.0", /*leaderMyid=*/3);
    const RunResult r = runPlan(to, sim);
    EXPECT_TRUE(r.done) << transcript(r);
    EXPECT_EQ(r.failure, "") << transcript(r);
    EXPECT_EQ(sim.observed().config.participantCount(), 2);
  }
  {
    // A staying member leads: its restart would leave the 2-voter list without a quorum.
    auto sim = EnsembleSimulator::settled(from, "3.8.0", /*leaderMyid=*/2);
    const RunResult refused = runPlan(to, sim);
    EXPECT_EQ(refused.failure, "") << transcript(refused);
    EXPECT_FALSE(refused.done);
    EXPECT_NE(refused.stoppedWith.find("rule 3"), std::string::npos) << refused.stoppedWith;
    to.tolerateUnavoidableOutage = true;
    const RunResult r = runPlan(to, sim);
    EXPECT_TRUE(r.done) << transcript(r);
    EXPECT_EQ(r.failure, "") << transcript(r);
  }
}

TEST(PlannerMigration, PartialMigrationKeepsVotersAndIssuesLargerMyids) {
  for (auto mode : {ReconfigMode::Dynamic, ReconfigMode::Static}) {
    const auto from = ensembleOf({{"a", 3}, {"b", 0}}, mode);
    const auto to = ensembleOf({{"a", 1}, {"b", 2}}, mode);  // (A,B,C) -> (A,D,E)
    auto sim = EnsembleSimulator::settled(from, "3.8.0");
    const RunResult r = runPlan(to, sim);
    ASSERT_TRUE(r.done) << modeName(mode) << "\n" << transcript(r);
    ASSERT_EQ(r.failure, "") << transcript(r);
    for (const auto& a : stepsOf<AssignMyid>(r.steps)) EXPECT_GT(a.newMyid, 3);
    for (const auto& set : votingSets(r.steps, {1, 2, 3})) EXPECT_GE(set.size(), 3u);
    EXPECT_LE(r.stats.leaderRestarts, mode == ReconfigMode::Dynamic ? 0 : 4);
  }
}

TEST(PlannerMigration, WholeMigrationThroughObserversStartsAllTargetsFirst) {
  const auto from = ensembleOf({{"old", 3}, {"new", 0}}, ReconfigMode::Dynamic);
  const auto to = ensembleOf({{"old", 0}, {"new", 3}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(from, "3.8.0");
  const RunResult r = runPlan(to, sim);
  ASSERT_TRUE(r.done) << transcript(r);
  ASSERT_EQ(r.failure, "") << transcript(r);
  int lastStart = -1, firstReconfig = -1;
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    if (std::holds_alternative<StartMember>(r.steps[i])) lastStart = static_cast<int>(i);
    if (firstReconfig < 0 && std::holds_alternative<Reconfig>(r.steps[i]))
      firstReconfig = static_cast<int>(i);
  }
  EXPECT_LT(lastStart, firstReconfig) << transcript(r);
  EXPECT_EQ(r.stats.leaderRestarts, 0);
  EXPECT_EQ(r.stats.handoffs, 1);
  for (const auto& m : sim.observed().members) EXPECT_EQ(m.slot.pool, "new");
}

TEST(PlannerReplacement, ReplacedMemberGetsNewMyidAndEmptyData) {
  for (auto mode : {ReconfigMode::Dynamic, ReconfigMode::Static}) {
    const auto from = ensembleOf({{"a", 5}}, mode);
    auto to = from;
    to.retireMyids = {2};
    auto sim = EnsembleSimulator::settled(from, "3.8.0");
    const RunResult r = runPlan(to, sim);
    ASSERT_TRUE(r.done) << modeName(mode) << "\n" << transcript(r);
    ASSERT_EQ(r.failure, "") << transcript(r);
    const auto assigns = stepsOf<AssignMyid>(r.steps);
    ASSERT_EQ(assigns.size(), 1u);
    EXPECT_EQ(assigns[0].oldMyid, 2);
    EXPECT_EQ(assigns[0].newMyid, 6);
    const int clean = firstIndexOf<CleanDataDir>(r.steps);
    ASSERT_GE(clean, 0) << transcript(r);
    EXPECT_LT(firstIndexOf<AssignMyid>(r.steps), clean);
    EXPECT_EQ(sim.observed().findBySlot(MemberSlot::managed("a", 1))->myid, 6);
  }
}

TEST(PlannerReplacement, StaticInPlaceReplacementInThreeVotersNeedsConsentToAnOutage) {
  // Replacing in place goes through a 2-voter list (rule 1 forbids swapping in one list),
  // and a 2-voter list cannot keep a quorum while its leader restarts.
  const auto from = ensembleOf({{"a", 3}}, ReconfigMode::Static);
  auto to = from;
  to.retireMyids = {1};
  to.tolerateUnavoidableOutage = false;
  auto sim = EnsembleSimulator::settled(from, "3.8.0");
  const RunResult refused = runPlan(to, sim);
  EXPECT_EQ(refused.failure, "") << transcript(refused);
  EXPECT_FALSE(refused.done);
  EXPECT_NE(refused.stoppedWith.find("rule 3"), std::string::npos) << refused.stoppedWith;
  to.tolerateUnavoidableOutage = true;
  const RunResult accepted = runPlan(to, sim);
  EXPECT_TRUE(accepted.done) << transcript(accepted);
  EXPECT_EQ(accepted.failure, "") << transcript(accepted);
}

TEST(PlannerLeaderPlacement, PreferredPoolGetsHighestMyidsAtCreation) {
  for (auto mode : {ReconfigMode::Dynamic, ReconfigMode::Static}) {
    auto to = ensembleOf({{"main", 5, 0, 10}, {"standby", 5, 0, 5}, {"remote", 1, 0, 0}}, mode);
    to.myidBase = 0;
    EnsembleSimulator sim = EnsembleSimulator::empty(mode);
    const RunResult r = runPlan(to, sim);
    ASSERT_TRUE(r.done) << transcript(r);
    ASSERT_EQ(r.failure, "") << transcript(r);
    auto myidOf = [&](const char* pool, int ordinal) {
      return sim.observed().findBySlot(MemberSlot::managed(pool, ordinal))->myid;
    };
    EXPECT_EQ(myidOf("remote", 0), 0);  // seed 002: the far site can never win a tie
    EXPECT_LT(myidOf("standby", 4), myidOf("main", 0));
    EXPECT_EQ(myidOf("main", 4), 10);
    // The first election is held by the first quorum to start (ascending myid, seed 002);
    // later elections with equal zxid favour the preferred pool.
    sim.crash(*sim.observed().leaderMyid);
    sim.settle();
    EXPECT_EQ(*sim.observed().leaderMyid, 10);
  }
}

TEST(PlannerDegraded, TwoOfThreePodsDeletedComeBackWithTheirData) {
  const auto shape = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(shape, "3.8.0");
  sim.crash(3);
  sim.crash(2);
  sim.settle();
  ASSERT_FALSE(sim.observed().leaderMyid.has_value());
  const RunResult r = runPlan(shape, sim);
  ASSERT_TRUE(r.done) << transcript(r);
  ASSERT_EQ(r.failure, "") << transcript(r);
  EXPECT_EQ(stepsOf<StartMember>(r.steps).size(), 2u);
}

TEST(PlannerDegraded, QuorumOfEmptyVotersIsRefused) {
  const auto shape = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(shape, "3.8.0");
  sim.loseData(2);
  sim.loseData(3);
  sim.settle();
  const Step step = nextStep(shape, sim.observed());
  ASSERT_TRUE(std::holds_alternative<Blocked>(step)) << describe(step);
  EXPECT_NE(std::get<Blocked>(step).reason.find("quorum lost"), std::string::npos);
}

TEST(PlannerDegraded, LostDataMemberIsReplacedNotRestartedAsItself) {
  const auto shape = ensembleOf({{"a", 5}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(shape, "3.8.0");
  sim.loseData(2);
  const RunResult r = runPlan(shape, sim);
  ASSERT_TRUE(r.done) << transcript(r);
  ASSERT_EQ(r.failure, "") << transcript(r);
  EXPECT_EQ(sim.observed().findBySlot(MemberSlot::managed("a", 1))->myid, 6);
}

TEST(PlannerDegraded, MemberNotInPeerListIsRestartedWithAListThatNamesIt) {
  const auto shape = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(shape, "3.8.0");
  auto& m = sim.mutableObserved().members[0];
  m.up = m.synced = false;
  m.fault = MemberFault::NotInPeerList;
  const Step step = nextStep(shape, sim.observed());
  const auto* restart = std::get_if<RestartMember>(&step);
  ASSERT_NE(restart, nullptr) << describe(step);
  EXPECT_EQ(restart->myid, 1);
  EXPECT_FALSE(restart->asJoiner);
}

TEST(PlannerDegraded, InterruptedReconfigWaitsForTheElectionAndSaysWhy) {
  const auto shape = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(shape, "3.8.0");
  auto& observed = sim.mutableObserved();
  observed.leaderMyid.reset();
  observed.operation = OperationInProgress{OperationInProgress::Kind::Reconfig, 4, 1};
  const Step step = nextStep(shape, observed);
  ASSERT_TRUE(std::holds_alternative<Wait>(step)) << describe(step);
  EXPECT_NE(std::get<Wait>(step).evidence.find("reconfig"), std::string::npos);
}

TEST(PlannerScale, ScaleDownThenUpOnReusedVolumesCleansOldData) {
  const auto five = ensembleOf({{"a", 5}}, ReconfigMode::Dynamic);
  const auto three = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(five, "3.8.0");
  ASSERT_TRUE(runPlan(three, sim).done);
  const RunResult up = runPlan(five, sim);
  ASSERT_TRUE(up.done) << transcript(up);
  ASSERT_EQ(up.failure, "") << transcript(up);
  EXPECT_EQ(stepsOf<CleanDataDir>(up.steps).size(), 2u);  // the PVCs held myids 4 and 5
  for (const auto& a : stepsOf<AssignMyid>(up.steps)) EXPECT_GT(a.newMyid, 5);
}

TEST(PlannerExternal, AdoptsExternalMembersAndMovesOffThemWithoutStoppingThem) {
  auto from = ensembleOf({{"k8s", 0}}, ReconfigMode::Dynamic);
  from.externalMembers = {
      {1, "vm1", Role::Participant}, {2, "vm2", Role::Participant}, {3, "vm3", Role::Participant}};
  auto sim = EnsembleSimulator::settled(from, "3.8.0");
  auto to = ensembleOf({{"k8s", 3}}, ReconfigMode::Dynamic);
  const RunResult r = runPlan(to, sim);
  ASSERT_TRUE(r.done) << transcript(r);
  ASSERT_EQ(r.failure, "") << transcript(r);
  for (const auto& s : r.steps) {
    if (const auto* stop = std::get_if<StopMember>(&s)) {
      EXPECT_FALSE(stop->slot.isExternal());
    }
  }
  EXPECT_EQ(sim.observed().config.participantIds(), (std::vector<int>{4, 5, 6}));
  EXPECT_EQ(r.stats.leaderRestarts, 0);
}

TEST(PlannerExternal, StaticModeAsksOwnersToRestartAndStopTheirServers) {
  auto from = ensembleOf({{"k8s", 0}}, ReconfigMode::Static);
  from.externalMembers = {
      {1, "vm1", Role::Participant}, {2, "vm2", Role::Participant}, {3, "vm3", Role::Participant}};
  auto sim = EnsembleSimulator::settled(from, "3.8.0");
  const auto to = ensembleOf({{"k8s", 3}}, ReconfigMode::Static);
  int ownerRestarts = 0, ownerStops = 0;
  RunOptions owner;
  // The owner does what a Wait asks of it.
  owner.beforeStep = [&](EnsembleSimulator& s, int) {
    const Step next = nextStep(to, s.observed());
    const auto* wait = std::get_if<Wait>(&next);
    if (wait == nullptr || wait->evidence.find("external member") == std::string::npos) return;
    for (int id : {1, 2, 3}) {
      if (wait->evidence.find("(myid " + std::to_string(id) + ")") == std::string::npos) continue;
      if (wait->evidence.find("stopped") != std::string::npos) {
        ownerStops += s.ownerStops(id) ? 1 : 0;
      } else {
        ownerRestarts += s.ownerRestarts(id) ? 1 : 0;
      }
      s.settle();
    }
  };
  const RunResult r = runPlan(to, sim, owner);
  ASSERT_TRUE(r.done) << transcript(r);
  ASSERT_EQ(r.failure, "") << transcript(r);
  EXPECT_EQ(ownerStops, 3);
  EXPECT_GT(ownerRestarts, 0);
  EXPECT_EQ(sim.observed().config.participantIds(), (std::vector<int>{4, 5, 6}));
  for (const auto& s : r.steps) {
    if (const auto* restart = std::get_if<RestartMember>(&s)) {
      EXPECT_FALSE(restart->slot.isExternal());
    }
  }
}

// A new external server in Static mode: its owner starts it with the new list when asked;
// like a new pod it cannot sync before the leader runs that list, and the roll goes on.
TEST(PlannerExternal, StaticScaleOutOntoANewExternalServer) {
  const auto from = ensembleOf({{"k8s", 4}}, ReconfigMode::Static);
  auto to = ensembleOf({{"k8s", 4}}, ReconfigMode::Static);
  to.externalMembers = {{5, "vm5", Role::Participant}};
  auto sim = EnsembleSimulator::settled(from, "3.8.0");
  // The observer probes every external member of the spec: not answering yet.
  ObservedMember vm;
  vm.slot = MemberSlot::external("vm5");
  vm.myid = 5;
  vm.podPresent = true;
  sim.mutableObserved().members.push_back(vm);
  int ownerStarts = 0;
  RunOptions owner;
  owner.beforeStep = [&](EnsembleSimulator& s, int) {
    const Step next = nextStep(to, s.observed());
    const auto* wait = std::get_if<Wait>(&next);
    if (wait == nullptr || wait->evidence.find("(myid 5) to come back") == std::string::npos) {
      return;
    }
    ownerStarts += s.ownerRestarts(5) ? 1 : 0;
    s.settle();
    EXPECT_FALSE(s.observed().findByMyid(5)->synced);  // the leader still runs v1
  };
  const RunResult r = runPlan(to, sim, owner);
  ASSERT_TRUE(r.done) << transcript(r);
  ASSERT_EQ(r.failure, "") << transcript(r);
  EXPECT_EQ(ownerStarts, 1);
  EXPECT_EQ(sim.observed().config.participantIds(), (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(sim.observed().findByMyid(5)->synced);
  EXPECT_EQ(stepsOf<RestartMember>(r.steps).size(), 4u);
  EXPECT_EQ(r.stats.leaderRestarts, 1);
}

TEST(PlannerSpec, RefusesEvenVotersCollidingMyidsAndHandoffInStaticMode) {
  const ObservedEnsemble empty;
  auto even = ensembleOf({{"a", 4}}, ReconfigMode::Dynamic);
  even.allowEvenVoters = false;
  EXPECT_TRUE(std::holds_alternative<Blocked>(nextStep(even, empty)));
  even.allowEvenVoters = true;
  EXPECT_FALSE(std::holds_alternative<Blocked>(nextStep(even, empty)));
  auto handoff = ensembleOf({{"a", 3}}, ReconfigMode::Static, "3.8.0", UpdateStrategy::Handoff);
  EXPECT_TRUE(std::holds_alternative<Blocked>(nextStep(handoff, empty)));
  auto clash = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic);
  auto sim = EnsembleSimulator::settled(clash, "3.8.0");
  clash.externalMembers = {{2, "vm", Role::Participant}};
  const Step step = nextStep(clash, sim.observed());
  ASSERT_TRUE(std::holds_alternative<Blocked>(step));
  EXPECT_NE(std::get<Blocked>(step).reason.find("collides"), std::string::npos);
}

}  // namespace
}  // namespace zkop::planner::testing
