#include "e2e/kubelet/hosts_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace zkop::sandbox::kubelet {
namespace {
namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path tempPath(const std::string& name) {
  const auto dir = fs::path(ZKOP_BINARY_DIR) / "test-tmp" / "kubelet-unit";
  fs::create_directories(dir);
  return dir / name;
}

TEST(HostsFile, ListsPodsWithTheirDnsNamesAndServices) {
  HostsFile hosts(tempPath("hosts-content"));
  ASSERT_TRUE(hosts.setPod("uid-1", {"127.9.9.2", "zk-1", "zk-headless", "default"}));
  ASSERT_TRUE(hosts.setPod("uid-0", {"127.9.9.1", "zk-0", "zk-headless", "default"}));
  ASSERT_TRUE(hosts.setPod("uid-x", {"127.9.9.3", "loner", "", "other"}));
  ASSERT_TRUE(hosts.setService("default", "zk-client", {"127.9.9.2", "127.9.9.1"}));
  EXPECT_EQ(hosts.render(),
            "# Kubernetes-managed hosts file (zkop sandbox kubelet).\n"
            "127.0.0.1\tlocalhost\n"
            "::1\tlocalhost ip6-localhost ip6-loopback\n"
            "127.9.9.3\tloner\n"
            "127.9.9.1\tzk-0.zk-headless.default.svc.cluster.local\tzk-0\n"
            "127.9.9.2\tzk-1.zk-headless.default.svc.cluster.local\tzk-1\n"
            "127.9.9.1\tzk-client.default.svc.cluster.local\n"
            "127.9.9.2\tzk-client.default.svc.cluster.local\n");
  EXPECT_EQ(slurp(hosts.path()), hosts.render());
}

TEST(HostsFile, RewritesInPlaceSoBindMountsSeeUpdates) {
  HostsFile hosts(tempPath("hosts-inode"));
  ASSERT_TRUE(hosts.create());
  const auto inode = [&] {
    struct stat st {};
    ::stat(hosts.path().c_str(), &st);
    return st.st_ino;
  };
  const auto before = inode();
  ASSERT_TRUE(hosts.setPod("a", {"127.9.9.1", "a-pod-with-a-long-name", "svc", "ns"}));
  ASSERT_TRUE(hosts.removePod("a"));  // shrinks: the tail must be truncated
  EXPECT_EQ(inode(), before);
  EXPECT_EQ(slurp(hosts.path()), hosts.render());
  EXPECT_EQ(slurp(hosts.path()).find("a-pod"), std::string::npos);
}

}  // namespace
}  // namespace zkop::sandbox::kubelet
