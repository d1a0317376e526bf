#include "operator/runtime/manager.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "tests/runtime/fake_api_server.h"
#include "tests/runtime/fake_clock.h"

namespace zkop::runtime {
namespace {

using testing::FakeApiServer;
using testing::FakeClock;

std::string httpGet(int port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return "connect failed";
  }
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
  (void)!::write(fd, req.data(), req.size());
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

TEST(ManagerTest, LeadsReconcilesServesMetricsAndReleasesOnStop) {
  auto server = std::make_shared<FakeApiServer>();
  auto clock = std::make_shared<FakeClock>();
  auto client = std::make_shared<Client>(server);
  ManagerConfig config;
  config.metrics_bind_address = "127.0.0.1:0";
  config.health_probe_bind_address = "127.0.0.1:0";
  config.leader_election_config.lease_namespace = "zk-system";
  config.leader_election_config.lease_name = "zkop";
  config.leader_election_config.identity = "pod-a";
  Manager manager(client, config, clock);

  std::mutex m;
  std::condition_variable cv;
  std::vector<std::string> reconciled;
  auto& controller = manager.addController(ControllerConfig().withName("zookeepercluster"),
                                           [&](const std::string& key) {
                                             std::lock_guard lock(m);
                                             reconciled.push_back(key);
                                             cv.notify_all();
                                             return ReconcileResult(Action::done());
                                           });
  controller.enqueue("ns/zk");  // waits in the queue until this process leads

  std::jthread runner([&](std::stop_token st) {
    auto r = manager.run(st);
    EXPECT_TRUE(r) << r.error().describe();
  });
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return !reconciled.empty(); });
  }
  EXPECT_TRUE(manager.isLeader());
  const std::string lease_path = "/apis/coordination.k8s.io/v1/namespaces/zk-system/leases/zkop";
  EXPECT_EQ((*server->object(lease_path))["spec"]["holderIdentity"], "pod-a");

  auto health = httpGet(manager.probePort(), "/healthz");
  EXPECT_EQ(health.substr(0, 12), "HTTP/1.1 200");
  EXPECT_EQ(httpGet(manager.probePort(), "/readyz").substr(0, 12), "HTTP/1.1 200");
  auto metrics = httpGet(manager.metricsPort(), "/metrics");
  EXPECT_NE(
      metrics.find(
          R"(controller_runtime_reconcile_total{controller="zookeepercluster",result="success"} 1)"),
      std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find(R"(leader_election_master_status{name="zkop"} 1)"), std::string::npos);

  runner.request_stop();
  runner.join();
  EXPECT_EQ((*server->object(lease_path))["spec"]["holderIdentity"], "");
  EXPECT_EQ(reconciled, std::vector<std::string>{"ns/zk"});
}

TEST(ManagerTest, PortInUseIsAnError) {
  auto server = std::make_shared<FakeApiServer>();
  HttpServer blocker;
  ASSERT_TRUE(blocker.start("127.0.0.1:0"));
  ManagerConfig config;
  config.metrics_bind_address = "127.0.0.1:" + std::to_string(blocker.port());
  config.health_probe_bind_address = "0";
  config.leader_election = false;
  Manager manager(std::make_shared<Client>(server), config);
  std::stop_source never;
  auto r = manager.run(never.get_token());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("cannot listen"), std::string::npos);
}

}  // namespace
}  // namespace zkop::runtime
