#include "operator/runtime/event_recorder.h"

#include <gtest/gtest.h>

#include "tests/runtime/fake_api_server.h"
#include "tests/runtime/fake_clock.h"

namespace zkop::runtime {
namespace {

using namespace std::chrono_literals;
using testing::FakeApiServer;
using testing::FakeClock;

struct EventRecorderTest : ::testing::Test {
  std::shared_ptr<FakeApiServer> server = std::make_shared<FakeApiServer>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  EventRecorder recorder{std::make_shared<Client>(server), clock, "zkop", "zkop-7d9f-abc"};
  Json cluster = {
      {"apiVersion", "zkop.io/v1alpha1"},
      {"kind", "ZookeeperCluster"},
      {"metadata", {{"name", "zk"}, {"namespace", "ns"}, {"uid", "u1"}, {"resourceVersion", "5"}}}};

  std::vector<Json> events() {
    std::vector<Json> out;
    for (const auto& r : server->requests()) {
      if (r.method == "POST") out.push_back(Json::parse(r.body));
    }
    return out;
  }
};

TEST_F(EventRecorderTest, CreatesAnEventAboutTheObject) {
  ASSERT_TRUE(recorder.normal(cluster, "RestartingMember", "restarting zk-1 (follower)"));
  auto e = events();
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0]["type"], "Normal");
  EXPECT_EQ(e[0]["reason"], "RestartingMember");
  EXPECT_EQ(e[0]["message"], "restarting zk-1 (follower)");
  EXPECT_EQ(e[0]["count"], 1);
  EXPECT_EQ(e[0]["involvedObject"]["kind"], "ZookeeperCluster");
  EXPECT_EQ(e[0]["involvedObject"]["uid"], "u1");
  EXPECT_EQ(e[0]["metadata"]["namespace"], "ns");
  EXPECT_EQ(e[0]["source"]["component"], "zkop");
  EXPECT_EQ(e[0]["reportingInstance"], "zkop-7d9f-abc");
  EXPECT_EQ(server->requests()[0].path.substr(0, 30), "/api/v1/namespaces/ns/events?f");
}

TEST_F(EventRecorderTest, RepeatsAreAggregatedIntoCount) {
  ASSERT_TRUE(recorder.warning(cluster, "Refused", "3 → 2 replicas breaks quorum"));
  clock->advance(10s);
  ASSERT_TRUE(recorder.warning(cluster, "Refused", "3 → 2 replicas breaks quorum"));
  ASSERT_TRUE(recorder.warning(cluster, "Refused", "3 → 2 replicas breaks quorum"));
  ASSERT_EQ(events().size(), 1u);
  const std::string name = events()[0]["metadata"]["name"];
  auto stored = server->object("/api/v1/namespaces/ns/events/" + name);
  ASSERT_TRUE(stored);
  EXPECT_EQ((*stored)["count"], 3);
  EXPECT_NE((*stored)["lastTimestamp"], (*stored)["firstTimestamp"]);
  // A different message is a different event.
  ASSERT_TRUE(recorder.warning(cluster, "Refused", "5 → 11 in one step"));
  EXPECT_EQ(events().size(), 2u);
}

TEST_F(EventRecorderTest, ExpiredEventIsCreatedAgain) {
  ASSERT_TRUE(recorder.normal(cluster, "Scaled", "3 → 5"));
  const std::string name = events()[0]["metadata"]["name"];
  // Events have a TTL on the server; simulate its expiry.
  server->failNext("PATCH", 1, 404);
  ASSERT_TRUE(recorder.normal(cluster, "Scaled", "3 → 5"));
  EXPECT_EQ(events().size(), 2u);
}

TEST_F(EventRecorderTest, WriteFailureIsReportedNotThrown) {
  server->failNext("POST", 1, 403);
  auto r = recorder.normal(cluster, "Created", "x");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(ErrorCategory::kForbidden));
}

}  // namespace
}  // namespace zkop::runtime
