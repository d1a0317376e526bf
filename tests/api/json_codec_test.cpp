#include "controllers/api/json_codec.h"

#include <gtest/gtest.h>

namespace zkop::api {
namespace {

Json minimalCluster() {
  return Json::parse(R"({
    "apiVersion": "zkop.io/v1alpha1", "kind": "ZookeeperCluster",
    "metadata": {"name": "zk", "namespace": "prod", "uid": "u-1", "resourceVersion": "42",
                 "labels": {"team": "a"}, "managedFields": [{"manager": "kubectl"}]},
    "spec": {"replicas": 5, "reconfigMode": "Static", "version": "3.8.4"}
  })");
}

TEST(JsonCodec, DecodesTypedFields) {
  const auto decoded = decodeCluster(minimalCluster());
  ASSERT_TRUE(decoded.errors.empty()) << decoded.errors.front().toString();
  const auto& c = decoded.cluster;
  EXPECT_EQ(c.name(), "zk");
  EXPECT_EQ(c.namespace_(), "prod");
  EXPECT_EQ(c.spec.replicas, 5);
  EXPECT_EQ(c.spec.reconfigMode, ReconfigMode::Static);
  EXPECT_EQ(c.spec.version, "3.8.4");
  EXPECT_FALSE(c.spec.observers.has_value()) << "absent fields stay absent";
}

TEST(JsonCodec, RoundTripKeepsMetadataAndAbsentFields) {
  const auto input = minimalCluster();
  EXPECT_EQ(encodeCluster(decodeCluster(input).cluster), input);
}

TEST(JsonCodec, RoundTripKeepsRawKubernetesFields) {
  auto input = minimalCluster();
  input["spec"]["pools"] = Json::parse(R"([{"name": "east", "replicas": 3,
      "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {}}},
      "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "zk"}],
      "nodeSelector": {"disk": "ssd"}}])");
  input["spec"]["resources"] = Json::parse(R"({"limits": {"memory": "2Gi", "vendor.io/gpu": 1}})");
  const auto decoded = decodeCluster(input);
  ASSERT_TRUE(decoded.errors.empty()) << decoded.errors.front().toString();
  EXPECT_EQ(encodeCluster(decoded.cluster), input);
}

TEST(JsonCodec, ReportsEveryProblemWithItsPath) {
  auto input = minimalCluster();
  input["spec"] = Json::parse(R"({"replicas": "three", "reconfigMode": "Sometimes",
      "pools": [{"replicas": 1}], "ports": {"client": true}, "surprise": 1})");
  const auto decoded = decodeCluster(input);
  std::vector<std::string> got;
  for (const auto& e : decoded.errors) got.push_back(e.toString());
  const std::vector<std::string> want = {
      "spec.replicas: must be an integer, not string",
      "spec.reconfigMode: unsupported value \"Sometimes\": supported values: \"Dynamic\", "
      "\"Static\"",
      "spec.pools[0].name: required value",
      "spec.ports.client: must be an integer, not boolean",
      "spec.surprise: unknown field",
  };
  EXPECT_EQ(got, want);
}

TEST(JsonCodec, RejectsWrongKindAndApiVersion) {
  auto input = minimalCluster();
  input["kind"] = "ZooKeeperCluster";
  input["apiVersion"] = "zkop.io/v1";
  const auto decoded = decodeCluster(input);
  ASSERT_EQ(decoded.errors.size(), 2u);
  EXPECT_EQ(decoded.errors[0].path, "apiVersion");
  EXPECT_EQ(decoded.errors[1].path, "kind");
}

TEST(JsonCodec, StatusRoundTrips) {
  auto input = minimalCluster();
  input["status"] = Json::parse(R"({"observedGeneration": 3, "phase": "Upgrading",
      "members": [{"name": "zk-0", "myid": 1, "role": "Participant", "zxid": "0x100000002",
                   "ready": true, "synced": true}],
      "myids": {"zk-0": "1"},
      "operation": {"kind": "Upgrade", "steps": [{"description": "restart zk-0", "state": "Done"}],
                    "currentStep": 1, "detail": {"pod": "zk-1"}},
      "conditions": [{"type": "Ready", "status": "False", "reason": "Upgrading",
                      "lastTransitionTime": "2026-11-22T01:00:00Z", "observedGeneration": 3}]})");
  const auto decoded = decodeCluster(input);
  ASSERT_TRUE(decoded.errors.empty()) << decoded.errors.front().toString();
  ASSERT_TRUE(decoded.cluster.status.has_value());
  EXPECT_EQ(decoded.cluster.status->phase, Phase::Upgrading);
  EXPECT_EQ(encodeCluster(decoded.cluster), input);
}

}  // namespace
}  // namespace zkop::api
