// The engine running what the operator renders: three pods from the StatefulSet's pod
// template (start.sh, probe.sh, env, securityContext, the ConfigMap as a volume, a PVC dir
// each) must form a real ZooKeeper ensemble, pass the rendered readiness probe, and a pod
// deleted and started again on its PVC must rejoin with its data, at a new pod IP.

#include <zookeeper/zookeeper.h>

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "controllers/api/defaults.h"
#include "controllers/api/json_codec.h"
#include "controllers/render/member_set.h"
#include "controllers/render/render.h"
#include "e2e/kubelet/projected_files.h"
#include "operator/zookeeper/four_letter_words.h"
#include "controllers/observe/server_stats.h"
#include "operator/zookeeper/session.h"
#include "tests/kubelet/kubelet_test_support.h"

namespace zkop::sandbox::kubelet {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::describe;
using testing::slurp;
using testing::waitFor;

struct Rendered {
  Json configMap;
  Json statefulSet;
};

Rendered renderCluster() {
  const Json object = {
      {"apiVersion", "zkop.io/v1alpha1"},
      {"kind", "ZookeeperCluster"},
      {"metadata", {{"name", "zk"}, {"namespace", "default"}, {"uid", "uid-zk-kubelet-test"}}},
      // Small heaps: three JVMs share a 2-core machine with other work.
      {"spec", {{"replicas", 3}, {"resources", {{"limits", {{"memory", "256Mi"}}}}}}}};
  auto cluster = api::decodeCluster(object).cluster;
  api::applyDefaults(cluster);
  const auto members = render::initialMemberSet(cluster);
  const auto committed = render::initialConfig(cluster, members);
  Rendered out;
  for (const auto& o : render::renderAll({cluster, members, committed})) {
    if (o["kind"] == "ConfigMap") out.configMap = o;
    if (o["kind"] == "StatefulSet") out.statefulSet = o;
  }
  return out;
}

class ZooKeeperPods : public ::testing::Test {
 protected:
  void SetUp() override {
    rendered_ = renderCluster();
    ASSERT_TRUE(rendered_.configMap.is_object() && rendered_.statefulSet.is_object());
    std::map<std::string, std::string> files;
    for (const auto& [key, value] : rendered_.configMap["data"].items()) {
      files[key] = value.get<std::string>();
    }
    // The pod template's configMap volume: defaultMode 0755 (start.sh is executable).
    const auto& volume = rendered_.statefulSet["spec"]["template"]["spec"]["volumes"][0];
    ASSERT_EQ(volume["name"], "config");
    configDir_ = sandbox_.dir() / "configmaps" / "zk-config";
    ASSERT_TRUE(
        writeProjectedFiles(configDir_, files, volume["configMap"]["defaultMode"].get<unsigned>()));
  }

  void TearDown() override {
    if (HasFailure()) {
      for (int i = 0; i < 3; ++i) {
        if (runners_[i]) std::cerr << describe(*runners_[i], pods_[i]) << "\n";
      }
      std::cerr << "hosts file:\n" << slurp(sandbox_.hosts().path());
    }
  }

  // A pod as the StatefulSet controller makes it: template + name, hostname, subdomain.
  Json podFor(int ordinal, int generation) const {
    const auto& set = rendered_.statefulSet;
    const std::string name = "zk-" + std::to_string(ordinal);
    Json spec = set["spec"]["template"]["spec"];
    spec["hostname"] = name;
    spec["subdomain"] = set["spec"]["serviceName"];
    spec["nodeName"] = "sandbox";
    return {{"metadata",
             {{"name", name},
              {"namespace", "default"},
              {"uid", name + "-gen" + std::to_string(generation)},
              {"labels", set["spec"]["template"]["metadata"]["labels"]}}},
            {"spec", spec}};
  }

  fs::path pvc(int ordinal) const {
    const auto dir = sandbox_.dir() / "pvcs" / ("data-zk-" + std::to_string(ordinal));
    fs::create_directories(dir);
    return dir;
  }

  void startPod(int ordinal, int generation) {
    pods_[ordinal] = podFor(ordinal, generation);
    runners_[ordinal] = sandbox_.run(
        pods_[ordinal], {{"config", {configDir_, true}}, {"data", {pvc(ordinal), false}}}, {}, {});
    publishServices();
  }

  // The headless and client Services resolve to the pods' current IPs.
  void publishServices() {
    std::vector<std::string> ips;
    for (const auto& r : runners_) {
      if (r) ips.push_back(r->podIP());
    }
    ASSERT_TRUE(sandbox_.hosts().setService("default", "zk-headless", ips));
    ASSERT_TRUE(sandbox_.hosts().setService("default", "zk-client", ips));
  }

  observe::ServerStatus srvr(int ordinal) const {
    auto answer = zookeeper::askFourLetterWord(runners_[ordinal]->podIP(), 2181, "srvr", 3s);
    return answer ? observe::parseSrvr(*answer) : observe::ServerStatus{};
  }

  std::string modes() const {
    std::ostringstream out;
    for (int i = 0; i < 3; ++i) {
      if (!runners_[i]) continue;
      out << "zk-" << i << " " << runners_[i]->podIP() << " " << observe::modeName(srvr(i).mode)
          << " ready=" << runners_[i]->status().ready << "; ";
    }
    return out.str();
  }

  bool ensembleFormed() const {
    int leaders = 0, followers = 0;
    for (int i = 0; i < 3; ++i) {
      const auto mode = srvr(i).mode;
      leaders += mode == observe::ServerMode::Leader;
      followers += mode == observe::ServerMode::Follower;
    }
    return leaders == 1 && followers == 2;
  }

  bool allReady() const {
    for (const auto& r : runners_) {
      if (!r || !r->status().ready) return false;
    }
    return true;
  }

  std::unique_ptr<zookeeper::Session> connect(const std::string& connectString) const {
    zookeeper::SessionConfig config;
    config.connectString = connectString;
    auto session = zookeeper::Session::connect(config);
    return session ? std::move(*session) : nullptr;
  }

  testing::MiniSandbox sandbox_{"zookeeper"};
  Rendered rendered_;
  fs::path configDir_;
  Json pods_[3];
  std::unique_ptr<PodRunner> runners_[3];
};

TEST_F(ZooKeeperPods, RenderedStatefulSetFormsAnEnsembleAndAPodRejoinsWithItsData) {
  for (int i = 0; i < 3; ++i) startPod(i, 1);

  ASSERT_TRUE(waitFor([&] { return ensembleFormed(); }, 240s)) << modes();
  ASSERT_TRUE(waitFor([&] { return allReady(); }, 120s))
      << "the rendered probe.sh ready must pass on all three: " << modes();
  for (int i = 0; i < 3; ++i) {
    const auto status = runners_[i]->status();
    EXPECT_EQ(status.phase, "Running");
    EXPECT_EQ(status.containers.at(0).restartCount, 0) << describe(*runners_[i], pods_[i]);
    // The start script ran as the template's user and wrote its identity on the PVC.
    EXPECT_EQ(slurp(pvc(i) / "myid"), std::to_string(i + 1) + "\n");
  }

  // A write through the ensemble.
  std::string all;
  for (const auto& r : runners_) all += (all.empty() ? "" : ",") + r->podIP() + ":2181";
  {
    auto session = connect(all);
    ASSERT_TRUE(session) << modes();
    const std::string payload = "written-before-the-restart";
    ASSERT_EQ(zoo_create(session->handle(), "/kubelet-test", payload.data(),
                         static_cast<int>(payload.size()), &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0),
              ZOK);
  }

  // Delete a follower and start it again (new uid, so a new IP) on the same PVC.
  int victim = -1;
  for (int i = 0; i < 3 && victim < 0; ++i) {
    if (srvr(i).mode == observe::ServerMode::Follower) victim = i;
  }
  ASSERT_GE(victim, 0) << modes();
  const auto oldIP = runners_[victim]->podIP();
  const auto stopped = sandbox_.remove(runners_[victim], pods_[victim]);
  EXPECT_EQ(stopped.containers.at(0).terminated->signal, 0)
      << "ZooKeeper exits on SIGTERM within the grace period: " << stopped.toJson().dump();
  EXPECT_TRUE(fs::is_directory(pvc(victim) / "version-2")) << "the PVC keeps the data";
  publishServices();

  startPod(victim, 2);
  EXPECT_NE(runners_[victim]->podIP(), oldIP) << "a new pod gets a new address";
  ASSERT_TRUE(waitFor([&] { return ensembleFormed() && allReady(); }, 240s)) << modes();
  const auto log = slurp(*runners_[victim]->logFile("zookeeper"));
  EXPECT_EQ(log.find("emptying version-2"), std::string::npos) << log;
  EXPECT_NE(log.find("starting as a member"), std::string::npos) << log;

  // The rejoined member serves the znode written before it went away.
  auto session = connect(runners_[victim]->podIP() + ":2181");
  ASSERT_TRUE(session) << modes();
  char buffer[128];
  int length = sizeof buffer;
  ASSERT_EQ(zoo_get(session->handle(), "/kubelet-test", 0, buffer, &length, nullptr), ZOK);
  EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(length)), "written-before-the-restart");
}

}  // namespace
}  // namespace zkop::sandbox::kubelet
