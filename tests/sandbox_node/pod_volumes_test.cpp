// PodVolumes: what a pod's containers find at their volumes' host paths, before and after the
// ConfigMap changes, and which pods' IPs a Service name resolves to.

#include "e2e/sandbox/node/pod_volumes.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "e2e/controllers/claim_binder.h"
#include "e2e/sandbox/node/service_addresses.h"

namespace zkop::sandbox::node {
namespace {
namespace fs = std::filesystem;
using kubelet::DataSource;

std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class PodVolumesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(ZKOP_BINARY_DIR) / "test-tmp" / "sandbox_node" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
  }

  kubelet::DataLookup lookup() {
    return [this](DataSource source,
                  const std::string& name) -> std::optional<std::map<std::string, std::string>> {
      const auto& objects = source == DataSource::ConfigMap ? configMaps_ : secrets_;
      auto it = objects.find(name);
      if (it == objects.end()) return std::nullopt;
      return it->second;
    };
  }

  static Json pod(Json volumes) {
    return {
        {"metadata",
         {{"name", "zk-0"}, {"namespace", "team"}, {"uid", "u-1"}, {"labels", {{"app", "zk"}}}}},
        {"spec", {{"containers", Json::array()}, {"volumes", std::move(volumes)}}}};
  }

  fs::path dir_;
  std::map<std::string, std::map<std::string, std::string>> configMaps_;
  std::map<std::string, std::map<std::string, std::string>> secrets_;
  kubelet::RuntimeFields fields_{"127.9.9.9", "127.0.0.1", "sandbox"};
};

TEST_F(PodVolumesTest, ConfigMapFilesFollowTheConfigMap) {
  configMaps_["cfg"] = {{"zoo.cfg", "tickTime=2000\n"}, {"start.sh", "#!/bin/sh\n"}};
  PodVolumes volumes(dir_ / "pod", dir_ / "claims");
  const Json p =
      pod(Json::parse(R"([{"name":"config","configMap":{"name":"cfg","defaultMode":493}}])"));
  auto prepared = volumes.sync(p, lookup(), fields_, {});
  ASSERT_TRUE(prepared) << prepared.error().message();
  const auto& config = prepared->at("config");
  EXPECT_TRUE(config.readOnly);
  EXPECT_EQ(slurp(config.hostPath / "zoo.cfg"), "tickTime=2000\n");
  EXPECT_EQ(fs::status(config.hostPath / "start.sh").permissions() & fs::perms::owner_exec,
            fs::perms::owner_exec);

  const auto before = fs::read_symlink(config.hostPath / "..data");
  ASSERT_TRUE(volumes.sync(p, lookup(), fields_, {}));
  EXPECT_EQ(fs::read_symlink(config.hostPath / "..data"), before) << "unchanged: not rewritten";

  configMaps_["cfg"]["zoo.cfg"] = "tickTime=3000\n";
  ASSERT_TRUE(volumes.sync(p, lookup(), fields_, {}));
  EXPECT_EQ(slurp(config.hostPath / "zoo.cfg"), "tickTime=3000\n");
}

TEST_F(PodVolumesTest, ItemsSecretsAndDownwardApi) {
  configMaps_["cfg"] = {{"a", "A"}, {"b", "B"}};
  secrets_["creds"] = {{"password", "s3cr3t"}};
  const Json p = pod(Json::parse(R"([
    {"name":"some","configMap":{"name":"cfg","items":[{"key":"b","path":"sub/b.txt"}]}},
    {"name":"secret","secret":{"secretName":"creds"}},
    {"name":"info","downwardAPI":{"items":[
      {"path":"name","fieldRef":{"fieldPath":"metadata.name"}},
      {"path":"ip","fieldRef":{"fieldPath":"status.podIP"}},
      {"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}}]}},
    {"name":"scratch","emptyDir":{}}])"));
  PodVolumes volumes(dir_ / "pod", dir_ / "claims");
  auto prepared = volumes.sync(p, lookup(), fields_, {});
  ASSERT_TRUE(prepared) << prepared.error().message();
  EXPECT_EQ(slurp(prepared->at("some").hostPath / "sub/b.txt"), "B");
  EXPECT_FALSE(fs::exists(prepared->at("some").hostPath / "a"));
  EXPECT_EQ(slurp(prepared->at("secret").hostPath / "password"), "s3cr3t");
  EXPECT_EQ(slurp(prepared->at("info").hostPath / "name"), "zk-0");
  EXPECT_EQ(slurp(prepared->at("info").hostPath / "ip"), "127.9.9.9");
  EXPECT_EQ(slurp(prepared->at("info").hostPath / "labels"), "app=\"zk\"\n");
  EXPECT_TRUE(fs::is_directory(prepared->at("scratch").hostPath));
  EXPECT_FALSE(prepared->at("scratch").readOnly);

  volumes.remove();
  EXPECT_FALSE(fs::exists(dir_ / "pod"));
}

TEST_F(PodVolumesTest, MissingSourcesKeepThePodWaitingUnlessOptional) {
  PodVolumes volumes(dir_ / "pod", dir_ / "claims");
  auto missing = volumes.sync(pod(Json::parse(R"([{"name":"c","configMap":{"name":"nope"}}])")),
                              lookup(), fields_, {});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("nope"), std::string::npos);
  EXPECT_TRUE(volumes.sync(
      pod(Json::parse(R"([{"name":"c","configMap":{"name":"nope","optional":true}}])")), lookup(),
      fields_, {}));
  EXPECT_FALSE(volumes.sync(pod(Json::parse(R"([{"name":"h","hostPath":{"path":"/etc"}}])")),
                            lookup(), fields_, {}))
      << "nothing outside the state dir";
}

TEST_F(PodVolumesTest, ClaimsAreDirectoriesKeyedByNamespaceAndNameThatOutliveThePod) {
  const Json p =
      pod(Json::parse(R"([{"name":"data","persistentVolumeClaim":{"claimName":"data-zk-0"}}])"));
  bool exists = false;
  auto claimExists = [&](const std::string& claim) { return exists && claim == "data-zk-0"; };
  {
    PodVolumes volumes(dir_ / "pod", dir_ / "claims");
    EXPECT_FALSE(volumes.sync(p, lookup(), fields_, claimExists)) << "waits for its claim";
    exists = true;
    auto prepared = volumes.sync(p, lookup(), fields_, claimExists);
    ASSERT_TRUE(prepared);
    EXPECT_EQ(prepared->at("data").hostPath, dir_ / "claims" / "team" / "data-zk-0");
    std::ofstream(prepared->at("data").hostPath / "myid") << "1\n";
    volumes.remove();
  }
  PodVolumes again(dir_ / "pod2", dir_ / "claims");
  auto prepared = again.sync(p, lookup(), fields_, claimExists);
  ASSERT_TRUE(prepared);
  EXPECT_EQ(slurp(prepared->at("data").hostPath / "myid"), "1\n");
}

TEST(ServiceAddresses, ReadyPodsOfTheSelectorOrAllWithPublishNotReadyAddresses) {
  const std::vector<PodAddress> pods = {{"team", {{"app", "zk"}}, "127.1.1.3", true, false},
                                        {"team", {{"app", "zk"}}, "127.1.1.1", false, false},
                                        {"team", {{"app", "zk"}}, "127.1.1.2", true, true},
                                        {"team", {{"app", "zk"}}, "", false, false},
                                        {"other", {{"app", "zk"}}, "127.1.1.9", true, false},
                                        {"team", {{"app", "web"}}, "127.1.1.8", true, false}};
  Json service = {{"metadata", {{"name", "zk"}, {"namespace", "team"}}},
                  {"spec", {{"selector", {{"app", "zk"}}}}}};
  EXPECT_EQ(serviceAddresses(service, pods), std::vector<std::string>{"127.1.1.3"});
  service["spec"]["publishNotReadyAddresses"] = true;
  EXPECT_EQ(serviceAddresses(service, pods),
            (std::vector<std::string>{"127.1.1.1", "127.1.1.2", "127.1.1.3"}));
  service["spec"].erase("selector");
  EXPECT_TRUE(serviceAddresses(service, pods).empty());
}

TEST(ClaimBinder, BoundStatusReportsTheRequestedSizeAndModes) {
  const Json claim = Json::parse(R"({"metadata":{"name":"data-zk-0"},"spec":{
      "accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"2Gi"}}}})");
  const Json status = boundClaimStatus(claim);
  EXPECT_EQ(status["phase"], "Bound");
  EXPECT_EQ(status["capacity"]["storage"], "2Gi");
  EXPECT_EQ(status["accessModes"], Json::array({"ReadWriteOnce"}));
}

}  // namespace
}  // namespace zkop::sandbox::node
