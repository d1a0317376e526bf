#include "operator/runtime/client.h"

#include <gtest/gtest.h>

#include "tests/runtime/fake_api_server.h"
#include "tests/runtime/fake_transport.h"

namespace zkop::runtime {
namespace {

using testing::FakeApiServer;
using testing::FakeTransport;

std::string statusJson(int code, const std::string& reason) {
  return Json{{"kind", "Status"}, {"code", code}, {"reason", reason}, {"message", reason + "!"}}
      .dump();
}

struct ClientTest : ::testing::Test {
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  std::vector<std::chrono::milliseconds> sleeps;
  std::vector<std::pair<std::string, int>> requests;
  Client client{transport, [this] {
                  ClientConfig c;
                  c.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
                  c.on_request = [this](const std::string& m, int code) {
                    requests.emplace_back(m, code);
                  };
                  return c;
                }()};
};

TEST(ResourceDescriptor, BuildsPaths) {
  EXPECT_EQ(resources::kPod.objectPath("ns", "p"), "/api/v1/namespaces/ns/pods/p");
  EXPECT_EQ(resources::kStatefulSet.collectionPath(""), "/apis/apps/v1/statefulsets");
  EXPECT_EQ(resources::kZookeeperCluster.objectPath("ns", "zk", "status"),
            "/apis/zkop.io/v1alpha1/namespaces/ns/zookeeperclusters/zk/status");
  EXPECT_EQ(resources::kLease.apiVersion(), "coordination.k8s.io/v1");
  EXPECT_EQ(resources::kNamespace.objectPath("ignored", "kube-system"),
            "/api/v1/namespaces/kube-system");
}

TEST_F(ClientTest, GetMapsNotFound) {
  transport->expectJson("GET", "/api/v1/namespaces/ns/configmaps/cm", 404,
                        statusJson(404, "NotFound"));
  auto r = client.get(resources::kConfigMap, "ns", "cm");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(ErrorCategory::kNotFound));
  EXPECT_EQ(r.error().message, "NotFound!");
}

TEST_F(ClientTest, ListFollowsContinueTokensAndKeepsFirstResourceVersion) {
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods?limit=2", 200,
                        R"({"metadata":{"resourceVersion":"10","continue":"c1"},
                            "items":[{"metadata":{"name":"a","namespace":"ns"}},
                                     {"metadata":{"name":"b","namespace":"ns"}}]})");
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods?limit=2&continue=c1", 200,
                        R"({"metadata":{"resourceVersion":"12"},
                            "items":[{"metadata":{"name":"c","namespace":"ns"}}]})");
  ListOptions options;
  options.limit = 2;
  auto list = client.list(resources::kPod, "ns", options);
  ASSERT_TRUE(list) << list.error().describe();
  ASSERT_EQ(list->items.size(), 3u);
  EXPECT_EQ(list->resource_version, "10");
  EXPECT_EQ(list->items[2]["kind"], "Pod");
  EXPECT_EQ(list->items[2]["apiVersion"], "v1");
}

TEST_F(ClientTest, GetRetriesServerErrorsWithBackoff) {
  for (int i = 0; i < 3; ++i) {
    transport->expectJson("GET", "/api/v1/namespaces/ns/pods/p", 500,
                          statusJson(500, "InternalError"));
  }
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods/p", 200, R"({"metadata":{"name":"p"}})");
  auto r = client.get(resources::kPod, "ns", "p");
  ASSERT_TRUE(r) << r.error().describe();
  using std::chrono::milliseconds;
  EXPECT_EQ(sleeps,
            (std::vector<milliseconds>{milliseconds(200), milliseconds(400), milliseconds(800)}));
  EXPECT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests.back(), (std::pair<std::string, int>{"GET", 200}));
}

TEST_F(ClientTest, GivesUpAfterMaxRetries) {
  for (int i = 0; i < 4; ++i) {
    transport->expectJson("GET", "/api/v1/namespaces/ns/pods/p", 503, "unavailable");
  }
  auto r = client.get(resources::kPod, "ns", "p");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(ErrorCategory::kServerError));
  EXPECT_EQ(sleeps.size(), 3u);
}

TEST_F(ClientTest, WritesAreNotRetriedOnPlain500ButAreOn429WithRetryAfter) {
  transport->expectJson("POST", "/api/v1/namespaces/ns/configmaps", 500, "boom");
  auto r = client.create(resources::kConfigMap, "ns", Json{{"metadata", {{"name", "cm"}}}});
  ASSERT_FALSE(r);
  EXPECT_TRUE(sleeps.empty());

  transport->expect("POST", "/api/v1/namespaces/ns/configmaps",
                    HttpResponse{429, {{"retry-after", "2"}}, statusJson(429, "TooManyRequests")});
  transport->expectJson("POST", "/api/v1/namespaces/ns/configmaps", 201,
                        R"({"metadata":{"name":"cm"}})");
  auto ok = client.create(resources::kConfigMap, "ns", Json{{"metadata", {{"name", "cm"}}}});
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ(sleeps, std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(2000)});
}

TEST_F(ClientTest, PatchAndStatusUseTheRightPathsAndContentTypes) {
  transport->expectJson("PATCH", "/apis/zkop.io/v1alpha1/namespaces/ns/zookeeperclusters/zk/status",
                        200, "{}");
  transport->expectJson("PATCH", "/apis/apps/v1/namespaces/ns/statefulsets/s", 200, "{}");
  transport->expectJson("DELETE", "/api/v1/namespaces/ns/pods/p", 200, "{}");
  ASSERT_TRUE(client.patchStatus(resources::kZookeeperCluster, "ns", "zk",
                                 Json{{"status", {{"phase", "Running"}}}}));
  ASSERT_TRUE(client.patch(resources::kStatefulSet, "ns", "s", Json{{"spec", {{"replicas", 3}}}}));
  DeleteOptions del;
  del.precondition_uid = "u1";
  ASSERT_TRUE(client.remove(resources::kPod, "ns", "p", del));
  auto reqs = transport->requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].headers["Content-Type"], "application/merge-patch+json");
  EXPECT_EQ(Json::parse(reqs[0].body)["status"]["phase"], "Running");
  EXPECT_NE(reqs[1].path.find("fieldManager=zkop"), std::string::npos);
  EXPECT_EQ(Json::parse(reqs[2].body)["preconditions"]["uid"], "u1");
}

TEST_F(ClientTest, WatchAsksForBookmarksAndOutlivesTheServerTimeout) {
  transport->expectStream("/api/v1/namespaces/ns/pods?watch=true&resourceVersion=42", {});
  WatchOptions options;
  options.resource_version = "42";
  options.timeout_seconds = std::chrono::seconds(300);
  auto stream = client.watch(resources::kPod, "ns", options);
  ASSERT_TRUE(stream) << stream.error().describe();
  auto req = transport->requests().at(0);
  EXPECT_NE(req.path.find("allowWatchBookmarks=true"), std::string::npos);
  EXPECT_NE(req.path.find("timeoutSeconds=300"), std::string::npos);
  EXPECT_GT(req.timeout, std::chrono::milliseconds(300'000));
}

TEST(ClientConflict, UpdateWithRetryRereadsOn409) {
  auto server = std::make_shared<FakeApiServer>();
  server->put("/api/v1/namespaces/ns/configmaps/cm",
              Json{{"metadata", {{"name", "cm"}, {"namespace", "ns"}}}, {"data", {{"n", "0"}}}});
  Client client(server);
  int calls = 0;
  auto result =
      client.updateWithRetry(resources::kConfigMap, "ns", "cm", [&](Json& cm) -> Result<bool> {
        ++calls;
        if (calls == 1) {
          // Someone else writes between our read and our write: our update gets 409.
          server->put("/api/v1/namespaces/ns/configmaps/cm",
                      Json{{"metadata", {{"name", "cm"}, {"namespace", "ns"}}},
                           {"data", {{"n", "1"}, {"other", "x"}}}});
        }
        int n = std::stoi(cm["data"]["n"].get<std::string>());
        cm["data"]["n"] = std::to_string(n + 10);
        return true;
      });
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(calls, 2);
  auto stored = server->object("/api/v1/namespaces/ns/configmaps/cm");
  EXPECT_EQ((*stored)["data"]["n"], "11");
  EXPECT_EQ((*stored)["data"]["other"], "x");
}

TEST(ClientConflict, UpdateWithRetryStopsAfterAttempts) {
  auto server = std::make_shared<FakeApiServer>();
  const std::string path = "/api/v1/namespaces/ns/configmaps/cm";
  server->put(path, Json{{"metadata", {{"name", "cm"}, {"namespace", "ns"}}}});
  Client client(server);
  int calls = 0;
  auto result = client.updateWithRetry(
      resources::kConfigMap, "ns", "cm",
      [&](Json&) -> Result<bool> {
        ++calls;
        server->put(path, Json{{"metadata", {{"name", "cm"}, {"namespace", "ns"}}}});
        return true;
      },
      3);
  ASSERT_FALSE(result);
  EXPECT_TRUE(result.error().is(ErrorCategory::kConflict));
  EXPECT_EQ(calls, 3);
}

TEST(ClientConflict, NothingToChangeMeansNoWrite) {
  auto server = std::make_shared<FakeApiServer>();
  server->put("/api/v1/namespaces/ns/configmaps/cm",
              Json{{"metadata", {{"name", "cm"}, {"namespace", "ns"}}}});
  Client client(server);
  auto result = client.updateWithRetry(resources::kConfigMap, "ns", "cm",
                                       [](Json&) -> Result<bool> { return false; });
  ASSERT_TRUE(result);
  for (const auto& r : server->requests()) EXPECT_EQ(r.method, "GET");
}

TEST(ObjectKey, SplitsAndJoins) {
  EXPECT_EQ(objectKey(Json{{"metadata", {{"name", "a"}, {"namespace", "ns"}}}}), "ns/a");
  EXPECT_EQ(objectKey(Json{{"metadata", {{"name", "node1"}}}}), "node1");
  EXPECT_EQ(splitKey("ns/a"), (std::pair<std::string, std::string>{"ns", "a"}));
  EXPECT_EQ(splitKey("a"), (std::pair<std::string, std::string>{"", "a"}));
}

}  // namespace
}  // namespace zkop::runtime
