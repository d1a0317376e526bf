#include "e2e/sandbox/api/strategic_merge.h"

#include <gtest/gtest.h>

namespace zkop::sandbox {
namespace {

using nlohmann::json;

const json kPod = json::parse(R"({
  "metadata": {"name": "p", "finalizers": ["a"]},
  "spec": {"containers": [
    {"name": "zk", "image": "zk:1", "env": [{"name": "A", "value": "1"}],
     "ports": [{"containerPort": 2181}], "volumeMounts": [{"name": "data", "mountPath": "/data"}]},
    {"name": "sidecar", "image": "s:1"}],
   "volumes": [{"name": "data", "emptyDir": {}}],
   "tolerations": [{"key": "x"}]}})");

TEST(StrategicMerge, MergesContainersAndEnvByName) {
  const json patch = json::parse(R"({"spec": {"containers": [
      {"name": "zk", "image": "zk:2", "env": [{"name": "B", "value": "2"}]}]}})");
  const json out = strategic_merge(kPod, patch).value();
  const json& containers = out["spec"]["containers"];
  ASSERT_EQ(containers.size(), 2u);
  EXPECT_EQ(containers[0]["image"], "zk:2");
  EXPECT_EQ(containers[0]["env"].size(), 2u);
  EXPECT_EQ(containers[0]["ports"][0]["containerPort"], 2181);
  EXPECT_EQ(containers[1]["name"], "sidecar");
}

TEST(StrategicMerge, DeleteDirectiveAndNullRemove) {
  const json patch =
      json::parse(R"({"spec": {"containers": [{"name": "sidecar", "$patch": "delete"}],
      "volumes": null}})");
  const json out = strategic_merge(kPod, patch).value();
  EXPECT_EQ(out["spec"]["containers"].size(), 1u);
  EXPECT_FALSE(out["spec"].contains("volumes"));
}

TEST(StrategicMerge, ListsWithoutMergeKeyAreReplaced) {
  const json patch = json::parse(R"({"spec": {"tolerations": [{"key": "y"}]}})");
  const json out = strategic_merge(kPod, patch).value();
  EXPECT_EQ(out["spec"]["tolerations"], json::parse(R"([{"key": "y"}])"));
}

TEST(StrategicMerge, PortsVolumeMountsAndFinalizers) {
  const json patch = json::parse(R"({"metadata": {"finalizers": ["b"]},
      "spec": {"containers": [{"name": "zk", "ports": [{"containerPort": 8080}],
        "volumeMounts": [{"mountPath": "/data", "readOnly": true}]}]}})");
  const json out = strategic_merge(kPod, patch).value();
  EXPECT_EQ(out["metadata"]["finalizers"], json::parse(R"(["a","b"])"));
  EXPECT_EQ(out["spec"]["containers"][0]["ports"].size(), 2u);
  EXPECT_EQ(out["spec"]["containers"][0]["volumeMounts"][0]["readOnly"], true);
  EXPECT_EQ(out["spec"]["containers"][0]["volumeMounts"][0]["name"], "data");
}

TEST(StrategicMerge, SetElementOrderAndDeleteFromPrimitiveList) {
  const json patch = json::parse(R"({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]},
      "spec": {"$setElementOrder/containers": [{"name": "sidecar"}, {"name": "zk"}],
               "containers": [{"name": "zk", "image": "zk:3"}]}})");
  const json out = strategic_merge(kPod, patch).value();
  EXPECT_EQ(out["metadata"]["finalizers"], json::array());
  EXPECT_EQ(out["spec"]["containers"][0]["name"], "sidecar");
  EXPECT_EQ(out["spec"]["containers"][1]["image"], "zk:3");
}

TEST(StrategicMerge, ReplaceDirectiveOnAMap) {
  const json patch = json::parse(R"({"spec": {"$patch": "replace", "containers": []}})");
  const json out = strategic_merge(kPod, patch).value();
  EXPECT_EQ(out["spec"], json::parse(R"({"containers": []})"));
}

TEST(StrategicMerge, ElementWithoutMergeKeyIsAnError) {
  const json patch = json::parse(R"({"spec": {"containers": [{"image": "x"}]}})");
  EXPECT_FALSE(strategic_merge(kPod, patch).has_value());
}

}  // namespace
}  // namespace zkop::sandbox
