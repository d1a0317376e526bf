#include "controllers/reconciler/desired_ensemble.h"

#include <gtest/gtest.h>

#include "controllers/api/defaults.h"
#include "controllers/api/json_codec.h"
#include "controllers/planner/plan_preview.h"
#include "controllers/reconciler/settled_ensemble.h"

namespace zkop::reconciler {
namespace {

api::ZookeeperCluster cluster(const char* spec, Json annotations = Json::object()) {
  Json object = {{"apiVersion", "zkop.io/v1alpha1"},
                 {"kind", "ZookeeperCluster"},
                 {"metadata", {{"name", "zk"}, {"annotations", annotations}}},
                 {"spec", Json::parse(spec)}};
  auto decoded = api::decodeCluster(object);
  EXPECT_TRUE(decoded.errors.empty());
  api::applyDefaults(decoded.cluster);
  return decoded.cluster;
}

TEST(DesiredEnsemble, MapsPoolsExternalsAndPolicies) {
  const auto desired = desiredEnsemble(cluster(R"({"myidBase": 10, "reconfigMode": "Dynamic",
      "updatePolicy": {"strategy": "Handoff"}, "version": "3.8.4",
      "pools": [{"name": "a", "replicas": 3, "leaderPriority": 9}, {"name": "b", "observers": 2}],
      "externalMembers": [{"myid": 1, "host": "vm1", "role": "Observer"}]})"));
  ASSERT_EQ(desired.pools.size(), 2u);
  EXPECT_EQ(desired.pools[0].voters, 3);
  EXPECT_EQ(desired.pools[0].leaderPriority, 9);
  EXPECT_EQ(desired.pools[1].observers, 2);
  ASSERT_EQ(desired.externalMembers.size(), 1u);
  EXPECT_EQ(desired.externalMembers[0].role, planner::Role::Observer);
  EXPECT_EQ(desired.updateStrategy, planner::UpdateStrategy::Handoff);
  EXPECT_EQ(desired.myidBase, 10);
  EXPECT_EQ(desired.targetVersion, "3.8.4");
  EXPECT_FALSE(desired.tolerateUnavoidableOutage);
}

TEST(DesiredEnsemble, DefaultPoolAndSmallEnsembles) {
  const auto desired = desiredEnsemble(cluster(R"({"replicas": 1})"));
  ASSERT_EQ(desired.pools.size(), 1u);
  EXPECT_EQ(desired.pools[0].name, "default");
  EXPECT_TRUE(desired.tolerateUnavoidableOutage) << "one voter cannot restart without an outage";
  EXPECT_EQ(podName(cluster("{}"), planner::MemberSlot::managed("default", 2)), "zk-2");
}

TEST(DesiredEnsemble, RetireAnnotationNamesMyidsToReplace) {
  const auto desired = desiredEnsemble(cluster("{}", {{"zkop.io/retire-myids", "2, 3,x"}}));
  EXPECT_EQ(desired.retireMyids, (std::vector<int>{2, 3}));
}

TEST(DesiredEnsemble, MyidsWithLostDataAreRetiredOnce) {
  const auto desired = retiringLostData(
      desiredEnsemble(cluster("{}", {{"zkop.io/retire-myids", "2"}})), std::set<int>{1, 2});
  EXPECT_EQ(desired.retireMyids, (std::vector<int>{2, 1}));
}

TEST(DesiredEnsemble, UpgradePlanFromASettledEnsembleRestartsTheLeaderLast) {
  const auto current = cluster(R"({"replicas": 3, "version": "3.8.4"})");
  const auto target = cluster(R"({"replicas": 3, "version": "3.8.5"})");
  const auto preview = planner::previewPlan(desiredEnsemble(target), settledEnsemble(current));
  ASSERT_TRUE(std::holds_alternative<planner::Done>(preview.end)) << planner::describe(preview.end);
  std::vector<int> restarted;
  for (const auto& step : preview.steps) {
    if (const auto* r = std::get_if<planner::RestartMember>(&step.step))
      restarted.push_back(r->myid);
  }
  EXPECT_EQ(restarted, (std::vector<int>{1, 2, 3})) << "followers first, leader (myid 3) last";
}

}  // namespace
}  // namespace zkop::reconciler

#include "controllers/reconciler/conditions.h"

namespace zkop::reconciler {
namespace {

TEST(Conditions, TransitionTimeMovesOnlyWhenTheStatusChanges) {
  std::vector<api::Condition> conditions;
  EXPECT_TRUE(setCondition(conditions, condition::kReady, false, "Creating", "0/3 ready", 1, "t1"));
  EXPECT_TRUE(setCondition(conditions, condition::kReady, false, "Creating", "1/3 ready", 1, "t2"));
  EXPECT_EQ(findCondition(conditions, condition::kReady)->lastTransitionTime, "t1");
  EXPECT_FALSE(setCondition(conditions, condition::kReady, false, "Creating", "1/3 ready", 1, "t3"))
      << "nothing changed: no write";
  EXPECT_TRUE(setCondition(conditions, condition::kReady, true, "Running", "3/3 ready", 2, "t4"));
  const auto* ready = findCondition(conditions, condition::kReady);
  EXPECT_EQ(ready->lastTransitionTime, "t4");
  EXPECT_EQ(ready->observedGeneration, 2);
  EXPECT_EQ(conditions.size(), 1u);
}

}  // namespace
}  // namespace zkop::reconciler
