#include "controllers/reconciler/pod_admission.h"

#include <gtest/gtest.h>

#include "controllers/reconciler/desired_ensemble.h"
#include "tests/reconciler/cluster_fixture.h"

namespace zkop::reconciler {
namespace {

using planner::MemberSlot;
using testing::makeCluster;

// A cluster with `replicas` voters in the default pool and the pod -> myid map `myids`, plus
// what one pass observed; podsPerPool and parkedPods read it through input().
struct Admission {
  api::ZookeeperCluster cluster;
  render::MemberSet members;
  planner::DesiredEnsemble desired;
  std::set<int> listed;
  std::map<std::string, int> currentPods;
  std::set<std::string> answering;

  Admission(const Json& spec, const Json& myids)
      : cluster(makeCluster(spec, {{"myids", myids}})),
        members(render::MemberSet::fromStatus(cluster)),
        desired(desiredEnsemble(cluster)) {}

  PodAdmissionInput input() const {
    return {.cluster = cluster,
            .members = members,
            .desired = desired,
            .listedMyids = listed,
            .currentPods = currentPods,
            .answeringPods = answering};
  }
  std::set<std::string> parked() const { return parkedPods(input()); }
  int pods(const planner::Step& step, const std::string& pool = "default") const {
    const auto out = podsPerPool(input(), step);
    auto it = out.find(pool);
    EXPECT_NE(it, out.end()) << "no entry for pool " << pool;
    return it == out.end() ? -1 : it->second;
  }
};

const Json kThree = {{"zk-0", "1"}, {"zk-1", "2"}, {"zk-2", "3"}};

planner::StartMember start(const std::string& pool, int ordinal, int myid) {
  return {.slot = MemberSlot::managed(pool, ordinal), .myid = myid};
}

planner::StopMember decommission(const std::string& pool, int ordinal, int myid) {
  return {.slot = MemberSlot::managed(pool, ordinal), .myid = myid, .decommission = true};
}

// ---- bootstrap ----------------------------------------------------------------------------

TEST(PodsPerPool, BootstrapKeepsNoPodsUntilTheFirstStart) {
  Admission a({{"replicas", 3}}, kThree);  // myids issued, no StatefulSet yet
  EXPECT_EQ(a.pods(planner::AssignMyid{.slot = MemberSlot::managed("default", 0), .newMyid = 1}),
            0);
  EXPECT_EQ(a.pods(planner::Wait{.evidence = "x"}), 0);
  EXPECT_EQ(a.pods(planner::Done{}), 0);
}

TEST(PodsPerPool, StartMemberRaisesThePoolToOrdinalPlusOne) {
  Admission a({{"replicas", 3}}, kThree);
  EXPECT_EQ(a.pods(start("default", 0, 1)), 1);
  a.currentPods["default"] = 1;
  EXPECT_EQ(a.pods(planner::Wait{}), 1) << "the started member keeps its pod";
  EXPECT_EQ(a.pods(start("default", 1, 2)), 2);
  a.currentPods["default"] = 2;
  EXPECT_EQ(a.pods(start("default", 2, 3)), 3);
}

TEST(PodsPerPool, StartMemberWithAMyidIssuedOnlyToItsSlotGrowsByOne) {
  // myids are issued one at a time: only zk-0 has one when it starts.
  Admission a({{"replicas", 3}}, {{"zk-0", "1"}});
  EXPECT_EQ(a.pods(start("default", 0, 1)), 1);
  a.currentPods["default"] = 1;
  EXPECT_EQ(a.pods(planner::AssignMyid{.slot = MemberSlot::managed("default", 1), .newMyid = 2}), 1)
      << "issuing a myid does not add a pod";
}

TEST(PodsPerPool, StartMemberNeverLowersThePool) {
  Admission a({{"replicas", 3}}, kThree);
  a.currentPods["default"] = 3;
  EXPECT_EQ(a.pods(start("default", 0, 1)), 3);
  EXPECT_EQ(a.pods(start("default", 1, 2)), 3);
}

TEST(PodsPerPool, StartMemberOnlyGrowsItsOwnPool) {
  Admission a(
      {{"pools", {{{"name", "east"}, {"replicas", 2}}, {{"name", "west"}, {"replicas", 1}}}}},
      {{"zk-east-0", "1"}, {"zk-east-1", "2"}, {"zk-west-0", "3"}});
  a.currentPods["east"] = 1;
  const auto out = podsPerPool(a.input(), start("west", 0, 3));
  EXPECT_EQ(out, (std::map<std::string, int>{{"east", 1}, {"west", 1}}));
  EXPECT_EQ(a.pods(start("east", 1, 2), "east"), 2);
  EXPECT_EQ(a.pods(start("east", 1, 2), "west"), 0);
}

// ---- scale-in -----------------------------------------------------------------------------

TEST(PodsPerPool, DecommissionOfTheTopSlotShrinksThePool) {
  Admission a({{"replicas", 2}}, kThree);  // 3 -> 2: zk-2 goes
  a.listed = {1, 2};                       // reconfig removed myid 3
  a.currentPods["default"] = 3;
  a.answering = {"zk-0", "zk-1", "zk-2"};
  EXPECT_EQ(a.pods(decommission("default", 2, 3)), 2) << "the planner's own step stops it";
  EXPECT_EQ(a.pods(planner::Wait{}), 3) << "until then a member that answers keeps its pod";
}

// Pods above the decommissioned slot with nothing to run (no myid: e.g. the StatefulSet was
// scaled by hand) do not keep the pool from shrinking in the same pass.
TEST(PodsPerPool, DecommissionOfTheTopMemberShrinksPastIdlePodsAboveIt) {
  Admission a({{"replicas", 2}}, kThree);
  a.listed = {1, 2};
  a.currentPods["default"] = 4;  // zk-3 has no myid
  a.answering = {"zk-0", "zk-1", "zk-2"};
  EXPECT_EQ(a.pods(decommission("default", 2, 3)), 2);
}

TEST(PodsPerPool, StopWithoutDecommissionKeepsThePod) {
  Admission a({{"replicas", 3}}, kThree);
  a.listed = {1, 2, 3};
  a.currentPods["default"] = 3;
  a.answering = {"zk-0", "zk-1", "zk-2"};
  EXPECT_EQ(a.pods(planner::StopMember{.slot = MemberSlot::managed("default", 2), .myid = 3}), 3)
      << "a member stopped to get a new myid keeps its slot";
}

TEST(PodsPerPool, DecommissionOfALowerSlotParksItWithoutShrinking) {
  // 3 -> 1 with the leader on zk-2: zk-1 is decommissioned first.
  Admission a({{"replicas", 1}}, kThree);
  a.listed = {1, 3};
  a.currentPods["default"] = 3;
  a.answering = {"zk-0", "zk-1", "zk-2"};
  EXPECT_EQ(a.parked(), (std::set<std::string>{"zk-1"}));
  EXPECT_EQ(a.pods(decommission("default", 1, 2)), 3) << "zk-2 still runs above it";
}

TEST(PodsPerPool, ShrinksPastTrailingParkedSlotsOnlyWhenTheyDoNotAnswer) {
  Admission a({{"replicas", 1}}, kThree);
  a.listed = {1};  // both removed from the config
  a.currentPods["default"] = 3;
  EXPECT_EQ(a.parked(), (std::set<std::string>{"zk-1", "zk-2"}));

  a.answering = {"zk-0", "zk-1", "zk-2"};
  EXPECT_EQ(a.pods(planner::Wait{}), 3);

  a.answering = {"zk-0", "zk-1"};  // zk-2 parked and silent, zk-1 still answers
  EXPECT_EQ(a.pods(planner::Wait{}), 2);

  a.answering = {"zk-0", "zk-2"};  // zk-1 silent, but zk-2 above it answers
  EXPECT_EQ(a.pods(planner::Wait{}), 3);

  a.answering = {"zk-0"};
  EXPECT_EQ(a.pods(planner::Wait{}), 1);

  a.answering = {"zk-0", "zk-1", "zk-2"};
  EXPECT_EQ(a.pods(decommission("default", 2, 3)), 2)
      << "the top slot goes with the step; zk-1 still answers";
  a.answering = {"zk-0", "zk-2"};
  EXPECT_EQ(a.pods(decommission("default", 2, 3)), 1)
      << "the top slot goes with the step, and zk-1 below it is parked and silent";
}

TEST(PodsPerPool, TrailingPodsWithoutAMyidAreDropped) {
  Admission a({{"replicas", 3}}, {{"zk-0", "1"}, {"zk-1", "2"}});
  a.currentPods["default"] = 3;  // zk-2 has no myid (yet, or any more)
  EXPECT_EQ(a.pods(planner::Wait{}), 2);
}

TEST(PodsPerPool, AMemberThatStillAnswersIsNeverDropped) {
  Admission a({{"replicas", 1}}, kThree);
  a.listed = {1};
  a.currentPods["default"] = 3;
  a.answering = {"zk-0", "zk-1", "zk-2"};
  for (const planner::Step& step :
       {planner::Step{planner::Wait{}}, planner::Step{planner::Done{}},
        planner::Step{start("default", 0, 1)}, planner::Step{decommission("default", 1, 2)}}) {
    EXPECT_EQ(a.pods(step), 3) << planner::describe(step);
  }
}

TEST(PodsPerPool, OnlyStartMemberRaisesThePool) {
  Admission a({{"replicas", 3}}, kThree);
  a.listed = {1, 2, 3};
  a.currentPods["default"] = 2;  // zk-2 answers but the StatefulSet was read at 2
  a.answering = {"zk-0", "zk-1", "zk-2"};
  EXPECT_EQ(a.pods(planner::Wait{}), 2) << "only StartMember raises the pool";
}

// ---- parked pods --------------------------------------------------------------------------

TEST(ParkedPods, NothingIsParkedInASettledEnsemble) {
  Admission a({{"replicas", 3}}, kThree);
  a.listed = {1, 2, 3};
  EXPECT_TRUE(a.parked().empty());
}

TEST(ParkedPods, BootstrapParksNothing) {
  Admission a({{"replicas", 3}}, kThree);  // nothing committed yet: no list in play
  EXPECT_TRUE(a.parked().empty());
}

TEST(ParkedPods, ASlotNoLongerWantedIsParkedOnlyOnceOutOfEveryList) {
  Admission a({{"replicas", 2}}, kThree);
  a.listed = {1, 2, 3};
  EXPECT_TRUE(a.parked().empty()) << "myid 3 is still listed: the planner has yet to remove it";
  a.listed = {1, 2};
  EXPECT_EQ(a.parked(), (std::set<std::string>{"zk-2"}));
}

TEST(ParkedPods, ARetiredMyidOutOfTheListsIsParked) {
  Admission a({{"replicas", 3}}, kThree);
  a.desired.retireMyids = {2};
  a.listed = {1, 2, 3};
  EXPECT_TRUE(a.parked().empty()) << "still listed";
  a.listed = {1, 3};
  EXPECT_EQ(a.parked(), (std::set<std::string>{"zk-1"}));
}

TEST(ParkedPods, RetireAnnotationParksTheMemberOnceRemoved) {
  auto cluster = makeCluster({{"replicas", 3}}, {{"myids", kThree}});
  cluster.metadata["annotations"] = {{std::string(kRetireMyidsAnnotation), "3"}};
  const auto members = render::MemberSet::fromStatus(cluster);
  const auto desired = desiredEnsemble(cluster);
  EXPECT_EQ(parkedPods({.cluster = cluster,
                        .members = members,
                        .desired = desired,
                        .listedMyids = {1, 2},
                        .currentPods = {},
                        .answeringPods = {}}),
            (std::set<std::string>{"zk-2"}));
}

TEST(ParkedPods, AJoinerInAWantedSlotIsNotParked) {
  Admission a({{"replicas", 4}}, {{"zk-0", "1"}, {"zk-1", "2"}, {"zk-2", "3"}, {"zk-3", "4"}});
  a.listed = {1, 2, 3};  // myid 4 is not listed yet: it joins
  EXPECT_TRUE(a.parked().empty());
}

TEST(ParkedPods, AReplacementWithANewMyidIsNotParked) {
  // myid 2 retired, zk-1 got myid 4 and joins.
  Admission a({{"replicas", 3}}, {{"zk-0", "1"}, {"zk-1", "4"}, {"zk-2", "3"}});
  a.desired.retireMyids = {2};
  a.listed = {1, 3};
  EXPECT_TRUE(a.parked().empty());
}

TEST(ParkedPods, ObserversCountAsWantedPods) {
  Admission a({{"replicas", 3}, {"observers", 1}},
              {{"zk-0", "1"}, {"zk-1", "2"}, {"zk-2", "3"}, {"zk-3", "4"}});
  a.listed = {1, 2, 3};
  EXPECT_TRUE(a.parked().empty()) << "zk-3 is the wanted observer, joining";
}

TEST(ParkedPods, APoolScaledToZeroParksAllItsMembersOnceUnlisted) {
  Admission a(
      {{"pools", {{{"name", "east"}, {"replicas", 3}}, {{"name", "west"}, {"replicas", 0}}}}},
      {{"zk-east-0", "4"},
       {"zk-east-1", "5"},
       {"zk-east-2", "6"},
       {"zk-west-0", "1"},
       {"zk-west-1", "2"}});
  a.listed = {2, 4, 5, 6};
  EXPECT_EQ(a.parked(), (std::set<std::string>{"zk-west-0"}));
  a.currentPods = {{"east", 3}, {"west", 2}};
  a.answering = {"zk-east-0", "zk-east-1", "zk-east-2", "zk-west-1"};
  EXPECT_EQ(a.pods(decommission("west", 1, 2), "west"), 0)
      << "the top slot goes with the step and zk-west-0 below it is parked and silent";
  EXPECT_EQ(a.pods(decommission("west", 1, 2), "east"), 3);
}

TEST(PodsPerPool, APoolTheSpecNoLongerNamesShrinksAsItsMembersAreDecommissioned) {
  // Migration [west] -> [east]: west's members are still there, two of them removed from
  // the config; east's members run.
  Admission a({{"pools", {{{"name", "east"}, {"replicas", 3}}}}}, {{"zk-east-0", "4"},
                                                                   {"zk-east-1", "5"},
                                                                   {"zk-east-2", "6"},
                                                                   {"zk-west-0", "1"},
                                                                   {"zk-west-1", "2"},
                                                                   {"zk-west-2", "3"}});
  a.listed = {1, 4, 5, 6};
  a.currentPods = {{"east", 3}, {"west", 3}};
  a.answering = {"zk-east-0", "zk-east-1", "zk-east-2", "zk-west-0", "zk-west-1", "zk-west-2"};
  EXPECT_EQ(a.parked(), (std::set<std::string>{"zk-west-1", "zk-west-2"}));
  EXPECT_EQ(a.pods(planner::Wait{}, "west"), 3) << "members that answer keep their pods";
  EXPECT_EQ(a.pods(decommission("west", 2, 3), "west"), 2);
  a.listed = {4, 5, 6};
  a.currentPods["west"] = 1;
  a.answering = {"zk-east-0", "zk-east-1", "zk-east-2"};
  EXPECT_EQ(a.pods(planner::Wait{}, "west"), 0) << "nothing left to run in the departing pool";
  EXPECT_EQ(a.pods(planner::Wait{}, "east"), 3);
}

TEST(ForgottenPods, ADecommissionedSlotWhosePodIsGoneLeavesTheMemberSet) {
  // 5 -> 3: myids 4 and 5 are out of the config; zk-4's pod is gone, zk-3's still exists.
  Admission a({{"replicas", 3}},
              {{"zk-0", "1"}, {"zk-1", "2"}, {"zk-2", "3"}, {"zk-3", "4"}, {"zk-4", "5"}});
  a.listed = {1, 2, 3};
  EXPECT_EQ(forgottenPods(a.input(), {"zk-0", "zk-1", "zk-2", "zk-3"}),
            (std::set<std::string>{"zk-4"}));
  // Still listed (removal not committed yet) or wanted again: kept.
  a.listed = {1, 2, 3, 5};
  EXPECT_TRUE(forgottenPods(a.input(), {"zk-0", "zk-1", "zk-2", "zk-3"}).empty());
  Admission wanted({{"replicas", 5}},
                   {{"zk-0", "1"}, {"zk-1", "2"}, {"zk-2", "3"}, {"zk-3", "4"}, {"zk-4", "5"}});
  wanted.listed = {1, 2, 3};
  EXPECT_TRUE(forgottenPods(wanted.input(), {"zk-0", "zk-1", "zk-2"}).empty())
      << "a wanted slot is a member to start, not one to forget";
}

}  // namespace
}  // namespace zkop::reconciler
