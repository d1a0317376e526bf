// The start script's decisions, run as the real bash script the ConfigMap carries, against
// temporary data dirs. ZooKeeper itself is replaced by a fake `java` that records its
// arguments: what is tested here is what the script decides before it execs the server.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "controllers/render/config_map.h"
#include "controllers/render/scripts.h"
#include "render_fixture.h"

namespace zkop::render {
namespace {

namespace fs = std::filesystem;
using testing::clusterFromSpec;
using testing::readFile;

void writeFile(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << content;
}

class StartScript : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::path(ZKOP_BINARY_DIR) / "test-tmp" / "start_script" / info->name();
    fs::remove_all(root_);
    fs::create_directories(root_ / "data");
    // ZooKeeper's own zkEnv.sh provides the classpath; ours points at the fake java.
    writeFile(root_ / "zkhome/bin/zkEnv.sh",
              "CLASSPATH=/opt/zk/lib/zookeeper.jar\nJAVA=" + (root_ / "fakejava").string() + "\n");
    writeFile(root_ / "fakejava",
              "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$(dirname \"$0\")/java-args\"\n");
    fs::permissions(root_ / "fakejava", fs::perms::owner_all);
  }

  // Writes the ConfigMap the operator would render for `cluster`, `members`, `committed`.
  void configure(const api::ZookeeperCluster& cluster, const MemberSet& members,
                 const DynamicConfig& committed, const std::set<int>& served = {}) {
    const auto cm = renderConfigMap(
        {.cluster = cluster, .members = members, .committed = committed, .servedMyids = &served});
    for (const auto& [key, value] : cm["data"].items()) {
      writeFile(root_ / "config" / key, value.get<std::string>());
    }
  }

  // Runs start.sh as pod `pod`; returns its exit code. Output goes to log().
  int start(const std::string& pod) {
    const std::string command =
        "env -i PATH=/usr/bin:/bin ZKOP_CONFIG_DIR=" + (root_ / "config").string() +
        " ZKOP_DATA_DIR=" + (root_ / "data").string() + " POD_NAME=" + pod +
        " POD_IP=127.0.0.1 ZOOKEEPER_HOME=" + (root_ / "zkhome").string() + " bash " +
        (root_ / "config/start.sh").string() + " > " + (root_ / "log").string() + " 2>&1";
    fs::remove(root_ / "java-args");
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string log() const { return readFile((root_ / "log").string()); }
  fs::path data() const { return root_ / "data"; }
  // The dynamic config file the server was started with (from the static zoo.cfg).
  std::string startedDynamicConfig() const {
    const auto cfg = readFile((data() / "zkop-conf/zoo.cfg").string());
    const auto at = cfg.find("dynamicConfigFile=");
    if (at == std::string::npos) return "<no dynamicConfigFile>";
    const auto end = cfg.find('\n', at);
    return readFile(cfg.substr(at + 18, end - at - 18));
  }
  bool javaStarted() const { return fs::exists(root_ / "java-args"); }

  fs::path root_;
  api::ZookeeperCluster cluster_ = clusterFromSpec(R"({"replicas": 3})");
  MemberSet members_ = initialMemberSet(cluster_);
  DynamicConfig committed_ = initialConfig(cluster_, members_);
};

TEST_F(StartScript, MemberInCommittedConfigStartsWithIt) {
  configure(cluster_, members_, committed_);
  ASSERT_EQ(start("zk-1"), 0) << log();
  EXPECT_TRUE(javaStarted()) << log();
  EXPECT_EQ(readFile((data() / "myid").string()), "2\n");
  EXPECT_EQ(startedDynamicConfig(), committed_.serverLines());
  EXPECT_NE(log().find("myid 2 is in committed config 0 as participant"), std::string::npos)
      << log();
  const auto args = readFile((root_ / "java-args").string());
  EXPECT_NE(args.find("org.apache.zookeeper.server.quorum.QuorumPeerMain"), std::string::npos);
  const auto cfg = readFile((data() / "zkop-conf/zoo.cfg").string());
  EXPECT_NE(cfg.find("admin.serverAddress=127.0.0.1"), std::string::npos) << cfg;
  EXPECT_NE(cfg.find("reconfigEnabled=true"), std::string::npos) << cfg;
}

TEST_F(StartScript, NewMyidStartsAsObserverJoiner) {
  // zk-3 was admitted with myid 4, but no reconfig has added it yet.
  auto members = members_.members();
  members.push_back({"zk-3", "default", 3, 4});
  configure(cluster_, MemberSet(members), committed_);
  ASSERT_EQ(start("zk-3"), 0) << log();
  EXPECT_EQ(startedDynamicConfig(),
            committed_.serverLines() +
                "server.4=zk-3.zk-headless.default.svc.cluster.local:2888:3888:observer;"
                "zk-3.zk-headless.default.svc.cluster.local:2181\n");
  EXPECT_NE(log().find("starting as a joiner (observer)"), std::string::npos) << log();
}

TEST_F(StartScript, StaticModeRefusesAnUnlistedMember) {
  const auto cluster = clusterFromSpec(R"({"replicas": 3, "reconfigMode": "Static"})");
  auto members = initialMemberSet(cluster).members();
  members.push_back({"zk-3", "default", 3, 4});
  configure(cluster, MemberSet(members), initialConfig(cluster, initialMemberSet(cluster)));
  EXPECT_EQ(start("zk-3"), 1);
  EXPECT_FALSE(javaStarted());
  EXPECT_NE(log().find("myid 4 is not in the server list"), std::string::npos) << log();
}

TEST_F(StartScript, PodWithoutMyidDoesNotStart) {
  configure(cluster_, members_, committed_);
  EXPECT_EQ(start("zk-7"), 1);
  EXPECT_FALSE(javaStarted());
  EXPECT_NE(log().find("pod zk-7 has no myid"), std::string::npos) << log();
}

TEST_F(StartScript, DataOfAnotherMyidIsEmptied) {
  // A retained PVC from an earlier zk-1 that had myid 2; zk-1 now is myid 5.
  writeFile(data() / "myid", "2\n");
  writeFile(data() / "zkop-ensemble-id", "uid-1\n");
  writeFile(data() / "version-2/snapshot.100000000", "old");
  writeFile(data() / "zkop-conf/zoo.cfg.dynamic.200000000", "server.2=old:1:2:participant;old:3\n");
  std::vector<Member> members = {{"zk-0", "default", 0, 1}, {"zk-1", "default", 1, 5}};
  configure(cluster_, MemberSet(members), committed_);
  ASSERT_EQ(start("zk-1"), 0) << log();
  EXPECT_FALSE(fs::exists(data() / "version-2/snapshot.100000000"));
  EXPECT_EQ(readFile((data() / "myid").string()), "5\n");
  EXPECT_NE(log().find("emptying version-2"), std::string::npos) << log();
  EXPECT_NE(startedDynamicConfig().find("server.5=zk-1"), std::string::npos)
      << "the old identity's local config must not be used";
}

TEST_F(StartScript, DataOfAnotherEnsembleIsEmptied) {
  writeFile(data() / "myid", "2\n");
  writeFile(data() / "zkop-ensemble-id", "some-other-uid\n");
  writeFile(data() / "version-2/log.1", "foreign");
  configure(cluster_, members_, committed_);
  ASSERT_EQ(start("zk-1"), 0) << log();
  EXPECT_FALSE(fs::exists(data() / "version-2/log.1"));
  EXPECT_EQ(readFile((data() / "zkop-ensemble-id").string()), "uid-1\n");
}

TEST_F(StartScript, OwnDataIsKept) {
  writeFile(data() / "myid", "2\n");
  writeFile(data() / "zkop-ensemble-id", "uid-1\n");
  writeFile(data() / "version-2/log.1", "mine");
  configure(cluster_, members_, committed_);
  ASSERT_EQ(start("zk-1"), 0) << log();
  EXPECT_EQ(readFile((data() / "version-2/log.1").string()), "mine");
  EXPECT_EQ(log().find("emptying"), std::string::npos) << log();
}

TEST_F(StartScript, NewerLocalConfigWinsOverTheConfigMap) {
  // ZooKeeper wrote a newer config after a reconfig the ConfigMap does not show yet:
  // zk-3 (myid 4) was promoted to participant.
  auto members = members_.members();
  members.push_back({"zk-3", "default", 3, 4});
  writeFile(data() / "myid", "4\n");
  writeFile(data() / "zkop-ensemble-id", "uid-1\n");
  const std::string promoted =
      committed_.serverLines() +
      "server.4=zk-3.zk-headless.default.svc.cluster.local:2888:3888:participant;"
      "zk-3.zk-headless.default.svc.cluster.local:2181\n";
  writeFile(data() / "zkop-conf/zoo.cfg.dynamic.100000004", promoted);
  configure(cluster_, MemberSet(members), committed_);
  ASSERT_EQ(start("zk-3"), 0) << log();
  EXPECT_EQ(startedDynamicConfig(), promoted);
  EXPECT_NE(log().find("committed config 100000004 as participant"), std::string::npos) << log();
}

TEST_F(StartScript, OlderLocalConfigLosesToTheConfigMap) {
  writeFile(data() / "myid", "2\n");
  writeFile(data() / "zkop-ensemble-id", "uid-1\n");
  writeFile(data() / "zkop-conf/zoo.cfg.dynamic.100000001", "server.2=stale:1:2:participant;s:3\n");
  committed_.version = 0x100000005;
  configure(cluster_, members_, committed_);
  ASSERT_EQ(start("zk-1"), 0) << log();
  EXPECT_EQ(startedDynamicConfig(), committed_.serverLines());
  EXPECT_FALSE(fs::exists(data() / "zkop-conf/zoo.cfg.dynamic.100000001")) << "stale file removed";
}

TEST_F(StartScript, HeapAndSuperDigestReachTheJvm) {
  configure(cluster_, members_, committed_);
  const std::string command =
      "env -i PATH=/usr/bin:/bin ZKOP_HEAP_MB=768 ZKOP_SUPER_DIGEST=super:abc= ZKOP_CONFIG_DIR=" +
      (root_ / "config").string() + " ZKOP_DATA_DIR=" + data().string() +
      " POD_NAME=zk-0 ZOOKEEPER_HOME=" + (root_ / "zkhome").string() + " bash " +
      (root_ / "config/start.sh").string() + " > " + (root_ / "log").string() + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << log();
  const auto args = readFile((root_ / "java-args").string());
  EXPECT_NE(args.find("-Xmx768m"), std::string::npos) << args;
  EXPECT_NE(args.find("-Dzookeeper.DigestAuthenticationProvider.superDigest=super:abc="),
            std::string::npos)
      << args;
}

TEST_F(StartScript, AServedMyidOnAnEmptyDataDirRefusesToStart) {
  // zk-1 (myid 2) has served; its PVC was lost and the new one is empty.
  configure(cluster_, members_, committed_, {1, 2, 3});
  EXPECT_EQ(start("zk-1"), kDataLostExitCode) << log();
  EXPECT_FALSE(javaStarted());
  EXPECT_FALSE(fs::exists(data() / "myid")) << "the empty dir must stay recognisably empty";
  EXPECT_NE(log().find("data lost: myid 2 has served, and its data dir holds no data"),
            std::string::npos)
      << log();
}

TEST_F(StartScript, AServedMyidOnAnotherMembersDataRefusesToStart) {
  writeFile(data() / "myid", "3\n");
  writeFile(data() / "zkop-ensemble-id", "default/zk\n");
  writeFile(data() / "version-2/snapshot.100000000", "theirs");
  configure(cluster_, members_, committed_, {1, 2, 3});
  EXPECT_EQ(start("zk-1"), kDataLostExitCode) << log();
  EXPECT_FALSE(javaStarted());
  EXPECT_TRUE(fs::exists(data() / "version-2/snapshot.100000000")) << "nothing is touched";
  EXPECT_NE(log().find("holds the data of myid 3 of ensemble default/zk"), std::string::npos)
      << log();
}

TEST_F(StartScript, AServedMyidOnItsOwnDataStarts) {
  configure(cluster_, members_, committed_);
  ASSERT_EQ(start("zk-1"), 0) << log();  // first start: writes its myid file
  configure(cluster_, members_, committed_, {1, 2, 3});
  ASSERT_EQ(start("zk-1"), 0) << log();
  EXPECT_TRUE(javaStarted()) << log();
}

TEST_F(StartScript, AMyidThatNeverServedStartsOnAnEmptyDataDir) {
  configure(cluster_, members_, committed_, {1, 3});
  ASSERT_EQ(start("zk-1"), 0) << log();
  EXPECT_TRUE(javaStarted()) << log();
}

}  // namespace
}  // namespace zkop::render
