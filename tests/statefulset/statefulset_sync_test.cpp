#include "e2e/controllers/statefulset_sync.h"

#include <gtest/gtest.h>

namespace zkop::sandbox {
namespace {

Json statefulSet(int replicas, const char* policy = "Parallel", const char* strategy = "OnDelete",
                 int partition = 0) {
  Json sts = Json::parse(R"({
    "apiVersion": "apps/v1", "kind": "StatefulSet",
    "metadata": {"name": "zk", "namespace": "ns", "uid": "sts-uid", "generation": 4},
    "spec": {"serviceName": "zk-headless",
             "selector": {"matchLabels": {"app": "zk"}},
             "template": {"metadata": {"labels": {"app": "zk"}},
                          "spec": {"containers": [{"name": "c", "image": "zookeeper:3.8.4"}]}},
             "volumeClaimTemplates": [{"metadata": {"name": "data"},
                                       "spec": {"accessModes": ["ReadWriteOnce"]}}]}})");
  sts["spec"]["replicas"] = replicas;
  sts["spec"]["podManagementPolicy"] = policy;
  sts["spec"]["updateStrategy"] = {{"type", strategy}};
  if (partition > 0) sts["spec"]["updateStrategy"]["rollingUpdate"] = {{"partition", partition}};
  return sts;
}

Json pod(const Json& sts, int ordinal, bool ready, std::string revision = "") {
  if (revision.empty()) revision = templateRevision(sts);
  Json p = {{"metadata",
             {{"name", "zk-" + std::to_string(ordinal)},
              {"labels", {{"controller-revision-hash", revision}}}}},
            {"status", {{"phase", "Running"}}}};
  p["status"]["conditions"] =
      Json::array({{{"type", "Ready"}, {"status", ready ? "True" : "False"}}});
  return p;
}

std::set<std::string> claimsFor(int n) {
  std::set<std::string> out;
  for (int i = 0; i < n; ++i) out.insert("data-zk-" + std::to_string(i));
  return out;
}

std::vector<std::string> names(const std::vector<Json>& objects) {
  std::vector<std::string> out;
  for (const auto& o : objects) out.push_back(o["metadata"]["name"]);
  return out;
}

TEST(StatefulSetSync, ParallelCreatesEveryPodWithIdentityAndClaims) {
  const auto sts = statefulSet(3);
  const auto actions = syncStatefulSet(sts, {}, {});
  EXPECT_EQ(names(actions.createPods), (std::vector<std::string>{"zk-0", "zk-1", "zk-2"}));
  EXPECT_EQ(names(actions.createClaims),
            (std::vector<std::string>{"data-zk-0", "data-zk-1", "data-zk-2"}));
  const auto& p = actions.createPods[1];
  EXPECT_EQ(p["spec"]["hostname"], "zk-1");
  EXPECT_EQ(p["spec"]["subdomain"], "zk-headless");
  EXPECT_EQ(p["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"], "data-zk-1");
  EXPECT_EQ(p["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"], "zk-1");
  EXPECT_EQ(p["metadata"]["labels"]["controller-revision-hash"], templateRevision(sts));
  EXPECT_EQ(p["metadata"]["ownerReferences"][0]["uid"], "sts-uid");
  EXPECT_EQ(actions.createClaims[0]["metadata"]["labels"]["app"], "zk");
  EXPECT_FALSE(actions.createClaims[0]["metadata"].contains("ownerReferences"))
      << "claims outlive the set by default";
}

TEST(StatefulSetSync, OrderedReadyWaitsForEachPredecessor) {
  const auto sts = statefulSet(3, "OrderedReady");
  EXPECT_EQ(names(syncStatefulSet(sts, {}, claimsFor(3)).createPods),
            (std::vector<std::string>{"zk-0"}));
  EXPECT_TRUE(syncStatefulSet(sts, {pod(sts, 0, false)}, claimsFor(3)).createPods.empty());
  EXPECT_EQ(names(syncStatefulSet(sts, {pod(sts, 0, true)}, claimsFor(3)).createPods),
            (std::vector<std::string>{"zk-1"}));
}

TEST(StatefulSetSync, ScaleDownRemovesHighestOrdinalsAndKeepsClaims) {
  const auto sts = statefulSet(1, "OrderedReady");
  const std::vector<Json> pods = {pod(sts, 0, true), pod(sts, 1, true), pod(sts, 2, true)};
  const auto actions = syncStatefulSet(sts, pods, claimsFor(3));
  EXPECT_EQ(actions.deletePods, (std::vector<std::string>{"zk-2"}))
      << "one at a time, highest first";
  EXPECT_TRUE(actions.deleteClaims.empty());

  auto parallel = statefulSet(1);
  parallel["spec"]["persistentVolumeClaimRetentionPolicy"] = {{"whenScaled", "Delete"}};
  const auto all = syncStatefulSet(parallel, pods, claimsFor(3));
  EXPECT_EQ(all.deletePods, (std::vector<std::string>{"zk-2", "zk-1"}));
  EXPECT_EQ(all.deleteClaims, (std::vector<std::string>{"data-zk-2", "data-zk-1"}));
}

TEST(StatefulSetSync, OnDeleteRecreatesOnlyDeletedPodsAtTheNewRevision) {
  auto sts = statefulSet(3);
  const auto oldRevision = templateRevision(sts);
  std::vector<Json> pods = {pod(sts, 0, true), pod(sts, 1, true), pod(sts, 2, true)};
  sts["spec"]["template"]["spec"]["containers"][0]["image"] = "zookeeper:3.9.2";
  const auto newRevision = templateRevision(sts);
  ASSERT_NE(oldRevision, newRevision);
  auto actions = syncStatefulSet(sts, pods, claimsFor(3));
  EXPECT_TRUE(actions.deletePods.empty()) << "OnDelete never deletes by itself";
  EXPECT_EQ(actions.status["updatedReplicas"], 0);
  EXPECT_EQ(actions.status["updateRevision"], newRevision);

  pods.erase(pods.begin() + 1);  // the operator deleted zk-1
  actions = syncStatefulSet(sts, pods, claimsFor(3));
  ASSERT_EQ(names(actions.createPods), (std::vector<std::string>{"zk-1"}));
  EXPECT_EQ(actions.createPods[0]["spec"]["containers"][0]["image"], "zookeeper:3.9.2");
}

TEST(StatefulSetSync, RollingUpdateGoesHighestFirstAboveThePartition) {
  auto sts = statefulSet(3, "OrderedReady", "RollingUpdate", 1);
  const auto old = templateRevision(sts);
  sts["spec"]["template"]["spec"]["containers"][0]["image"] = "zookeeper:3.9.2";
  std::vector<Json> pods = {pod(sts, 0, true, old), pod(sts, 1, true, old), pod(sts, 2, true, old)};
  EXPECT_EQ(syncStatefulSet(sts, pods, claimsFor(3)).deletePods,
            (std::vector<std::string>{"zk-2"}));
  pods[2] = pod(sts, 2, false);  // recreated at the new revision, not ready yet
  EXPECT_TRUE(syncStatefulSet(sts, pods, claimsFor(3)).deletePods.empty()) << "waits for ready";
  pods[2] = pod(sts, 2, true);
  EXPECT_EQ(syncStatefulSet(sts, pods, claimsFor(3)).deletePods,
            (std::vector<std::string>{"zk-1"}));
  pods[1] = pod(sts, 1, true);
  const auto done = syncStatefulSet(sts, pods, claimsFor(3));
  EXPECT_TRUE(done.deletePods.empty()) << "zk-0 is below the partition";
  EXPECT_EQ(done.status["updatedReplicas"], 2);
  EXPECT_EQ(done.status["readyReplicas"], 3);
}

TEST(StatefulSetSync, StatusReportsRevisionsOnceEveryPodIsUpdated) {
  const auto sts = statefulSet(2);
  const auto actions = syncStatefulSet(sts, {pod(sts, 0, true), pod(sts, 1, false)}, claimsFor(2));
  EXPECT_EQ(actions.status["replicas"], 2);
  EXPECT_EQ(actions.status["readyReplicas"], 1);
  EXPECT_EQ(actions.status["currentRevision"], templateRevision(sts));
  EXPECT_EQ(actions.status["observedGeneration"], 4);
}

}  // namespace
}  // namespace zkop::sandbox
