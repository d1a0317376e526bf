#include "controllers/api/validation.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "controllers/api/defaults.h"
#include "controllers/api/json_codec.h"

namespace zkop::api {
namespace {

Json document(const char* spec, const char* name = "zk") {
  return {{"apiVersion", "zkop.io/v1alpha1"},
          {"kind", "ZookeeperCluster"},
          {"metadata", {{"name", name}}},
          {"spec", Json::parse(spec)}};
}

std::vector<std::string> errorsOf(const char* spec, const char* name = "zk") {
  std::vector<std::string> out;
  for (const auto& e : validateDocument(document(spec, name))) out.push_back(e.toString());
  return out;
}

::testing::AssertionResult hasError(const std::vector<std::string>& errors,
                                    const std::string& expected) {
  if (std::find(errors.begin(), errors.end(), expected) != errors.end()) {
    return ::testing::AssertionSuccess();
  }
  auto result = ::testing::AssertionFailure() << "missing \"" << expected << "\"; got:";
  for (const auto& e : errors) result << "\n  " << e;
  return result;
}

TEST(Validation, DefaultClusterIsValid) { EXPECT_TRUE(errorsOf("{}").empty()); }

TEST(Validation, ReplicasMustBePositive) {
  EXPECT_TRUE(hasError(errorsOf(R"({"replicas": 0})"), "spec.replicas: must be >= 1"));
}

TEST(Validation, EvenVotersRefusedUnlessAllowed) {
  const auto errors = errorsOf(R"({"replicas": 4})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "spec.replicas: 4 voting members is an even number: it tolerates no more failures than "
            "3; use an odd number or set spec.allowEvenReplicas");
  EXPECT_TRUE(errorsOf(R"({"replicas": 4, "allowEvenReplicas": true})").empty());
}

TEST(Validation, EvenVotersCountExternalParticipants) {
  EXPECT_FALSE(errorsOf(R"({"replicas": 3, "externalMembers": [
      {"myid": 100, "host": "vm1"}]})")
                   .empty());
  EXPECT_TRUE(errorsOf(R"({"replicas": 3, "externalMembers": [
      {"myid": 100, "host": "vm1", "role": "Observer"}]})")
                  .empty());
}

TEST(Validation, PoolNamesMustBeUnique) {
  EXPECT_TRUE(hasError(errorsOf(R"({"pools": [{"name": "a", "replicas": 1},
      {"name": "b", "replicas": 1}, {"name": "a", "replicas": 1}]})"),
                       "spec.pools[2].name: duplicate value \"a\" (also spec.pools[0])"));
}

TEST(Validation, PoolNamesMustBeDnsLabels) {
  EXPECT_TRUE(hasError(errorsOf(R"({"pools": [{"name": "East_1", "replicas": 3}]})"),
                       "spec.pools[0].name: invalid value \"East_1\": must be a DNS label (lower "
                       "case letters, digits and '-')"));
}

TEST(Validation, ReplicasWithPoolsMustMatchTheirSum) {
  EXPECT_TRUE(hasError(errorsOf(R"({"replicas": 5, "pools": [{"name": "a", "replicas": 3}]})"),
                       "spec.replicas: must equal the sum of spec.pools[*].replicas (3) or be left "
                       "unset"));
}

TEST(Validation, MyidBaseBounds) {
  EXPECT_TRUE(hasError(errorsOf(R"({"myidBase": 0})"), "spec.myidBase: must be >= 1"));
  EXPECT_TRUE(hasError(errorsOf(R"({"myidBase": 254})"),
                       "spec.myidBase: must be <= 253 (255 - 3 members + 1)"));
  EXPECT_TRUE(errorsOf(R"({"myidBase": 253})").empty());
}

TEST(Validation, ExternalMembersDuplicateMyidsAndHosts) {
  const auto errors = errorsOf(R"({"externalMembers": [
      {"myid": 100, "host": "vm1", "role": "Observer"},
      {"myid": 100, "host": "vm2", "role": "Observer"},
      {"myid": 101, "host": "vm1", "role": "Observer"}]})");
  EXPECT_TRUE(hasError(errors,
                       "spec.externalMembers[1].myid: duplicate value 100 (also "
                       "spec.externalMembers[0])"));
  EXPECT_TRUE(hasError(errors,
                       "spec.externalMembers[2].host: duplicate value \"vm1\" (also "
                       "spec.externalMembers[0])"));
}

TEST(Validation, ExternalMyidMustNotCollideWithIssuedOnes) {
  EXPECT_TRUE(hasError(errorsOf(R"({"externalMembers": [{"myid": 2, "host": "vm1",
      "role": "Observer"}]})"),
                       "spec.externalMembers[0].myid: collides with the myids 1..3 issued to this "
                       "cluster's members"));
}

TEST(Validation, PortsOutOfRangeOrColliding) {
  const auto errors = errorsOf(R"({"ports": {"client": 70000, "quorum": 3888}})");
  EXPECT_TRUE(hasError(errors, "spec.ports.client: must be <= 65535"));
  EXPECT_TRUE(hasError(errors,
                       "spec.ports.election: port 3888 is already used by "
                       "spec.ports.quorum"));
}

TEST(Validation, UnknownReconfigMode) {
  EXPECT_TRUE(hasError(errorsOf(R"({"reconfigMode": "Auto"})"),
                       "spec.reconfigMode: unsupported value \"Auto\": supported values: "
                       "\"Dynamic\", \"Static\""));
}

TEST(Validation, VersionMustBeAZooKeeperVersion) {
  EXPECT_TRUE(hasError(errorsOf(R"({"version": "latest"})"),
                       "spec.version: invalid value \"latest\": must be a ZooKeeper version such "
                       "as 3.8.4"));
  EXPECT_TRUE(hasError(errorsOf(R"({"version": "2.9.0"})"),
                       "spec.version: \"2.9.0\" is not a ZooKeeper version (3.4.0 or later, e.g. "
                       "3.8.4)"));
  EXPECT_TRUE(hasError(errorsOf(R"({"image": {"tag": "latest"}})"),
                       "spec.version: required when spec.image.tag (\"latest\") does not name a "
                       "ZooKeeper version"));
}

TEST(Validation, DynamicModeNeedsReconfigSupport) {
  EXPECT_TRUE(hasError(errorsOf(R"({"version": "3.4.14"})"),
                       "spec.reconfigMode: Dynamic needs ZooKeeper 3.5 or later (spec.version is "
                       "3.4.14); use Static"));
  EXPECT_TRUE(errorsOf(R"({"version": "3.4.14", "reconfigMode": "Static"})").empty());
}

TEST(Validation, ManagedConfigKeysAreRefused) {
  EXPECT_TRUE(hasError(errorsOf(R"({"config": {"extra": {"dataDir": "/tmp",
      "snapCount": "100000"}}})"),
                       "spec.config.extra.dataDir: is managed by the operator and cannot be set "
                       "here"));
}

TEST(Validation, NameMustFitStatefulSetLimits) {
  EXPECT_TRUE(hasError(errorsOf("{}", "Zk"),
                       "metadata.name: must be a DNS-1035 label (lower "
                       "case letters, digits and '-', starting with a "
                       "letter)"));
}

TEST(Validation, UpdateRefusesImmutableChangesAndBadVersionPaths) {
  auto before = decodeCluster(document(R"({"version": "3.8.4"})")).cluster;
  auto after = decodeCluster(document(R"({"version": "3.6.4", "myidBase": 10,
      "reconfigMode": "Static"})"))
                   .cluster;
  applyDefaults(before);
  applyDefaults(after);
  std::vector<std::string> got;
  for (const auto& e : validateUpdate(before, after)) got.push_back(e.toString());
  EXPECT_EQ(got, (std::vector<std::string>{
                     "spec.myidBase: is immutable", "spec.reconfigMode: is immutable",
                     "spec.version: downgrade from 3.8.4 to 3.6.4 is not supported"}));
  auto skip = decodeCluster(document(R"({"version": "3.10.0"})")).cluster;
  applyDefaults(skip);
  ASSERT_EQ(validateUpdate(before, skip).size(), 1u);
  auto next = decodeCluster(document(R"({"version": "3.9.2"})")).cluster;
  applyDefaults(next);
  EXPECT_TRUE(validateUpdate(before, next).empty());
}

}  // namespace
}  // namespace zkop::api
