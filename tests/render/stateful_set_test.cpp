#include "controllers/render/stateful_set.h"

#include <gtest/gtest.h>

#include "controllers/render/names.h"
#include "render_fixture.h"

namespace zkop::render {
namespace {

using testing::clusterFromSpec;

TEST(StatefulSet, SizedFromTheMemberSetNotTheSpec) {
  const auto cluster = clusterFromSpec(R"({"replicas": 5})");
  // The operator grows one member at a time: two admitted so far.
  const MemberSet members({{"zk-0", "default", 0, 1}, {"zk-1", "default", 1, 2}});
  const DynamicConfig committed;
  const auto sts =
      renderStatefulSet({cluster, members, committed}, api::effectivePools(cluster.spec)[0]);
  EXPECT_EQ(sts["spec"]["replicas"], 2);
  EXPECT_EQ(sts["spec"]["updateStrategy"]["type"], "OnDelete");
  EXPECT_EQ(sts["spec"]["podManagementPolicy"], "Parallel") << "see stateful_set.h: OrderedReady deadlocks recovery";
  EXPECT_EQ(sts["spec"]["serviceName"], "zk-headless");
}

TEST(StatefulSet, ReadinessReflectsQuorumMembership) {
  const auto cluster = clusterFromSpec("{}");
  const auto members = initialMemberSet(cluster);
  const auto committed = initialConfig(cluster, members);
  const auto sts =
      renderStatefulSet({cluster, members, committed}, api::effectivePools(cluster.spec)[0]);
  const auto& container = sts["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(container["readinessProbe"]["exec"]["command"],
            Json::array({"/bin/bash", "/zkop/config/probe.sh", "ready"}));
  EXPECT_EQ(container["livenessProbe"]["exec"]["command"][2], "live");
}

TEST(StatefulSet, HeapFollowsTheMemoryLimitAndReclaimPolicyTheVolumes) {
  const auto cluster = clusterFromSpec(
      R"({"resources": {"limits": {"memory": "2Gi"}}, "persistence": {"reclaimPolicy": "Delete"}})");
  const auto members = initialMemberSet(cluster);
  const auto committed = initialConfig(cluster, members);
  const auto sts =
      renderStatefulSet({cluster, members, committed}, api::effectivePools(cluster.spec)[0]);
  const auto& env = sts["spec"]["template"]["spec"]["containers"][0]["env"];
  const auto heap = std::find_if(env.begin(), env.end(),
                                 [](const Json& e) { return e["name"] == "ZKOP_HEAP_MB"; });
  ASSERT_NE(heap, env.end());
  EXPECT_EQ((*heap)["value"], "1536");
  EXPECT_EQ(sts["spec"]["persistentVolumeClaimRetentionPolicy"]["whenDeleted"], "Delete");
  EXPECT_EQ(sts["spec"]["persistentVolumeClaimRetentionPolicy"]["whenScaled"], "Retain");
}

TEST(StatefulSet, PoolPlacementAndStorage) {
  const auto cluster = clusterFromSpec(R"({"pools": [{"name": "east", "replicas": 3,
      "zone": "z1", "nodeSelector": {"disk": "ssd"}, "storage": {"size": "5Gi",
      "storageClassName": "fast"}}]})");
  const auto members = initialMemberSet(cluster);
  const auto committed = initialConfig(cluster, members);
  const auto sts = renderStatefulSet({cluster, members, committed}, (*cluster.spec.pools)[0]);
  EXPECT_EQ(sts["metadata"]["name"], "zk-east");
  EXPECT_EQ(sts["spec"]["template"]["spec"]["nodeSelector"],
            (Json{{"disk", "ssd"}, {"topology.kubernetes.io/zone", "z1"}}));
  const auto& claim = sts["spec"]["volumeClaimTemplates"][0]["spec"];
  EXPECT_EQ(claim["resources"]["requests"]["storage"], "5Gi");
  EXPECT_EQ(claim["storageClassName"], "fast");
  EXPECT_EQ(sts["spec"]["selector"]["matchLabels"]["zkop.io/pool"], "east");
  EXPECT_EQ(sts["metadata"]["ownerReferences"][0]["uid"], "uid-1");
}

}  // namespace
}  // namespace zkop::render
