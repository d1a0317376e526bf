#include "operator/runtime/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "operator/runtime/metrics.h"

namespace zkop::runtime {
namespace {

// A minimal blocking HTTP GET over loopback: returns status line + headers + body.
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

TEST(HttpServerTest, ServesProbesAndMetrics) {
  Metrics metrics;
  metrics.workQueue("zookeepercluster");
  metrics.reconciled("zookeepercluster", "success", std::chrono::milliseconds(20));
  metrics.setLeader("zkop", true);
  bool ready = false;
  HealthChecks healthz;
  healthz.add("ping", [] { return std::optional<std::string>(); });
  HealthChecks readyz;
  readyz.add("informers-synced", [&]() -> std::optional<std::string> {
    if (ready) return std::nullopt;
    return "caches not synced";
  });
  HttpServer server;
  server.handle("/healthz", [&](const std::string& q) { return healthz.run(q); });
  server.handle("/readyz", [&](const std::string& q) { return readyz.run(q); });
  server.handle("/metrics", [&](const std::string&) {
    return HttpServer::Response{200, "text/plain; version=0.0.4", metrics.serialize()};
  });
  ASSERT_TRUE(server.start("127.0.0.1:0"));
  ASSERT_GT(server.port(), 0);

  auto health = httpGet(server.port(), "/healthz");
  EXPECT_EQ(health.substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_TRUE(health.ends_with("\r\n\r\nok"));

  auto not_ready = httpGet(server.port(), "/readyz");
  EXPECT_EQ(not_ready.substr(0, 12), "HTTP/1.1 500");
  EXPECT_NE(not_ready.find("[-]informers-synced failed: caches not synced"), std::string::npos);
  ready = true;
  EXPECT_EQ(httpGet(server.port(), "/readyz").substr(0, 12), "HTTP/1.1 200");
  EXPECT_NE(httpGet(server.port(), "/readyz?verbose").find("[+]informers-synced ok"),
            std::string::npos);

  auto text = httpGet(server.port(), "/metrics");
  EXPECT_NE(
      text.find(
          R"(controller_runtime_reconcile_total{controller="zookeepercluster",result="success"} 1)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("controller_runtime_reconcile_time_seconds_bucket"), std::string::npos);
  EXPECT_NE(
      text.find(R"(workqueue_depth{controller="zookeepercluster",name="zookeepercluster"} 0)"),
      std::string::npos);
  EXPECT_NE(text.find(R"(leader_election_master_status{name="zkop"} 1)"), std::string::npos);

  EXPECT_EQ(httpGet(server.port(), "/nope").substr(0, 12), "HTTP/1.1 404");
  server.stop();
}

TEST(HttpServerTest, BadBindAddressIsAnError) {
  HttpServer server;
  auto r = server.start("256.1.1.1:80");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().category, ErrorCategory::kConfig);
}

TEST(MetricsTest, RestClientRequestsAndZkopGauges) {
  Metrics metrics;
  auto observe = metrics.restClientObserver("127.0.0.1:6443");
  observe("GET", 200);
  observe("GET", 200);
  observe("PUT", 409);
  metrics.gaugeFamily("zkop_cluster_voters", "Voting members").Add({{"cluster", "ns/zk"}}).Set(3);
  // Registering the same family twice returns the first.
  metrics.gaugeFamily("zkop_cluster_voters", "Voting members").Add({{"cluster", "ns/zk2"}}).Set(5);
  auto text = metrics.serialize();
  EXPECT_NE(
      text.find(R"(rest_client_requests_total{code="200",host="127.0.0.1:6443",method="GET"} 2)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(zkop_cluster_voters{cluster="ns/zk"} 3)"), std::string::npos);
  EXPECT_NE(text.find(R"(zkop_cluster_voters{cluster="ns/zk2"} 5)"), std::string::npos);
}

}  // namespace
}  // namespace zkop::runtime

#include "operator/runtime/cluster_metrics.h"

namespace zkop::runtime {
namespace {

TEST(ClusterMetricsTest, GaugesPerClusterAndForget) {
  Metrics metrics;
  ClusterMetrics clusters(metrics);
  clusters.observe("ns", "zk", {3, 1, 4, 3, "Upgrading", "VersionUpgrade", true});
  clusters.stepCompleted("ns", "zk", "VersionUpgrade", "restart zk-0", std::chrono::seconds(4));
  auto text = metrics.serialize();
  EXPECT_NE(text.find(R"(zkop_cluster_voters{name="zk",namespace="ns"} 3)"), std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(zkop_cluster_leader_myid{name="zk",namespace="ns"} 3)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(zkop_cluster_degraded{name="zk",namespace="ns"} 1)"), std::string::npos);
  EXPECT_NE(text.find(R"(zkop_cluster_phase{name="zk",namespace="ns",phase="Upgrading"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(zkop_cluster_phase{name="zk",namespace="ns",phase="Running"} 0)"),
            std::string::npos);
  EXPECT_NE(
      text.find(
          R"(zkop_cluster_operation_in_progress{name="zk",namespace="ns",operation="VersionUpgrade"} 1)"),
      std::string::npos);
  EXPECT_NE(text.find("zkop_operation_step_duration_seconds_count"), std::string::npos);
  clusters.observe("ns", "zk", {3, 1, 4, std::nullopt, "Running", ""});
  text = metrics.serialize();
  EXPECT_NE(text.find(R"(zkop_cluster_leader_myid{name="zk",namespace="ns"} -1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(zkop_cluster_degraded{name="zk",namespace="ns"} 0)"), std::string::npos);
  EXPECT_NE(
      text.find(
          R"(zkop_cluster_operation_in_progress{name="zk",namespace="ns",operation="VersionUpgrade"} 0)"),
      std::string::npos);
  clusters.forget("ns", "zk");
  text = metrics.serialize();
  EXPECT_EQ(text.find(R"(zkop_cluster_voters{name="zk")"), std::string::npos) << text;
}

}  // namespace
}  // namespace zkop::runtime
