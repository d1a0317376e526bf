// Unit tests of the engine's small pieces: back-off, logs per run, projected files,
// status JSON, the pod root plan, faults.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "e2e/kubelet/container_logs.h"
#include "e2e/kubelet/faults.h"
#include "e2e/kubelet/pod_root.h"
#include "e2e/kubelet/pod_status.h"
#include "e2e/kubelet/projected_files.h"
#include "e2e/kubelet/restart_backoff.h"

namespace zkop::sandbox::kubelet {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

fs::path freshDir(const std::string& name) {
  const auto dir = fs::path(ZKOP_BINARY_DIR) / "test-tmp" / "kubelet-unit" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(RestartBackoff, DoublesUpToTheCapAndResetsAfterALongRun) {
  RestartBackoff b({100ms, 450ms, 10s});
  EXPECT_EQ(b.next(0ms), 100ms);
  EXPECT_EQ(b.next(0ms), 200ms);
  EXPECT_EQ(b.next(0ms), 400ms);
  EXPECT_EQ(b.next(0ms), 450ms);
  EXPECT_EQ(b.next(9s), 450ms);
  EXPECT_EQ(b.next(10s), 100ms) << "a run of resetAfter starts over";
}

TEST(ContainerLogs, KeepsTheCurrentAndThePreviousRun) {
  ContainerLogs logs(freshDir("logs"));
  EXPECT_FALSE(logs.latest(false));
  for (int run = 0; run < 4; ++run) std::ofstream(logs.beginRun(run)) << "run " << run << "\n";
  EXPECT_EQ(slurp(*logs.latest(false)), "run 3\n");
  EXPECT_EQ(slurp(*logs.latest(true)), "run 2\n");
  EXPECT_FALSE(fs::exists(logs.run(0))) << "older runs are removed";
  EXPECT_FALSE(fs::exists(logs.run(1)));
}

TEST(ProjectedFiles, SwapsVersionsAtomicallyBehindStableNames) {
  const auto dir = freshDir("projected");
  ASSERT_TRUE(writeProjectedFiles(dir, {{"zoo.cfg", "a=1\n"}, {"start.sh", "#!/bin/sh\n"}}, 0755));
  EXPECT_EQ(slurp(dir / "zoo.cfg"), "a=1\n");
  EXPECT_TRUE(fs::is_symlink(dir / "zoo.cfg"));
  EXPECT_EQ(fs::status(dir / "start.sh").permissions() & fs::perms::owner_exec,
            fs::perms::owner_exec);
  ASSERT_TRUE(writeProjectedFiles(dir, {{"zoo.cfg", "a=2\n"}}, 0644));
  EXPECT_EQ(slurp(dir / "zoo.cfg"), "a=2\n");
  EXPECT_FALSE(fs::exists(fs::symlink_status(dir / "start.sh"))) << "removed keys disappear";
  int versions = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto name = e.path().filename().string();
    if (name.starts_with("..") && name != "..data") ++versions;
  }
  EXPECT_EQ(versions, 1) << "the old version is cleaned up";
  EXPECT_FALSE(writeProjectedFiles(dir, {{"../escape", "x"}}));
}

TEST(PodRoot, PlansVolumesParentsFirstWithReadOnlyAndSubPath) {
  const auto dir = freshDir("plan");
  fs::create_directories(dir / "config");
  fs::create_directories(dir / "data");
  std::ofstream(dir / "hosts") << "";
  const auto container = nlohmann::json::parse(R"({"volumeMounts": [
      {"name": "data", "mountPath": "/srv/zk/data", "subPath": "member"},
      {"name": "config", "mountPath": "/srv/zk"},
      {"name": "data", "mountPath": "/scratch", "readOnly": true}]})");
  VolumeMap volumes{{"config", {dir / "config", true}}, {"data", {dir / "data", false}}};
  auto plan = planPodRoot({dir / "root", dir / "hosts", container, volumes, "/work"});
  ASSERT_TRUE(plan) << plan.error().message();
  std::vector<std::string> binds;
  std::vector<std::string> readOnly;
  for (const auto& op : plan->ops) {
    if (op.kind == MountOp::Kind::Bind) binds.push_back(op.source + " -> " + op.target);
    if (op.kind == MountOp::Kind::ReadOnly) readOnly.push_back(op.target);
  }
  const auto root = (dir / "root").string();
  const auto at = [&](const std::string& from, const std::string& to) {
    return std::find(binds.begin(), binds.end(), from + " -> " + root + to) - binds.begin();
  };
  const auto configAt = at((dir / "config").string(), "/srv/zk");
  const auto memberAt = at((dir / "data" / "member").string(), "/srv/zk/data");
  ASSERT_LT(configAt, static_cast<long>(binds.size()));
  ASSERT_LT(memberAt, static_cast<long>(binds.size()));
  EXPECT_LT(configAt, memberAt) << "parents first";
  EXPECT_TRUE(fs::is_directory(dir / "data" / "member")) << "subPath dir created";
  EXPECT_NE(std::find(readOnly.begin(), readOnly.end(), root + "/srv/zk"), readOnly.end());
  EXPECT_NE(std::find(readOnly.begin(), readOnly.end(), root + "/scratch"), readOnly.end());
  EXPECT_EQ(std::find(readOnly.begin(), readOnly.end(), root + "/srv/zk/data"), readOnly.end());
  EXPECT_NE(std::find(readOnly.begin(), readOnly.end(), root + "/etc/hosts"), readOnly.end());

  const auto escaping = nlohmann::json::parse(
      R"({"volumeMounts": [{"name": "data", "mountPath": "/x", "subPath": "../../etc"}]})");
  EXPECT_FALSE(planPodRoot({dir / "root", dir / "hosts", escaping, volumes, "/"}));
  const auto unknown =
      nlohmann::json::parse(R"({"volumeMounts": [{"name": "nope", "mountPath": "/x"}]})");
  EXPECT_FALSE(planPodRoot({dir / "root", dir / "hosts", unknown, volumes, "/"}));
}

TEST(PodStatus, SerialisesAsAKubernetesPodStatus) {
  PodStatus s;
  s.phase = "Running";
  s.podIP = "127.3.4.5";
  s.conditions.push_back({"Ready", true, "", std::chrono::system_clock::from_time_t(0)});
  ContainerStatus c;
  c.name = "zookeeper";
  c.state = ContainerStatus::State::Running;
  c.runningSince = std::chrono::system_clock::from_time_t(86400);
  c.ready = true;
  c.started = true;
  c.restartCount = 2;
  c.lastState = TerminatedState{137, 9, "Error", "Liveness probe failed", {}, {}};
  s.containers.push_back(c);
  const auto j = s.toJson();
  EXPECT_EQ(j["phase"], "Running");
  EXPECT_EQ(j["podIP"], "127.3.4.5");
  EXPECT_EQ(j["podIPs"][0]["ip"], "127.3.4.5");
  EXPECT_EQ(j["conditions"][0]["status"], "True");
  EXPECT_EQ(j["conditions"][0]["lastTransitionTime"], "1970-01-01T00:00:00Z");
  const auto& cs = j["containerStatuses"][0];
  EXPECT_EQ(cs["restartCount"], 2);
  EXPECT_EQ(cs["ready"], true);
  EXPECT_EQ(cs["state"]["running"]["startedAt"], "1970-01-02T00:00:00Z");
  EXPECT_EQ(cs["lastState"]["terminated"]["exitCode"], 137);
  EXPECT_EQ(cs["lastState"]["terminated"]["reason"], "Error");
}

TEST(Faults, WipeKeepsTheDirectoryAndRemovesItsContents) {
  const auto dir = freshDir("wipe");
  fs::create_directories(dir / "version-2");
  std::ofstream(dir / "version-2" / "log.1") << "x";
  std::ofstream(dir / "myid") << "1";
  ASSERT_TRUE(wipeDirectoryContents(dir));
  EXPECT_TRUE(fs::is_directory(dir));
  EXPECT_TRUE(fs::is_empty(dir));
}

}  // namespace
}  // namespace zkop::sandbox::kubelet
