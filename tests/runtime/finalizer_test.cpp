#include "operator/runtime/finalizer.h"

#include <gtest/gtest.h>

#include "tests/runtime/fake_api_server.h"

namespace zkop::runtime {
namespace {

using testing::FakeApiServer;

constexpr std::string_view kFinalizer = "zkop.io/cleanup";
const std::string kPath = "/apis/zkop.io/v1alpha1/namespaces/ns/zookeeperclusters/zk";

Json cluster(Json finalizers, bool deleting) {
  Json o = {{"metadata", {{"name", "zk"}, {"namespace", "ns"}, {"finalizers", finalizers}}}};
  if (deleting) o["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z";
  return o;
}

TEST(FinalizerStateTest, IsAPureFunctionOfTheObject) {
  EXPECT_EQ(finalizerState(cluster(Json::array(), false), kFinalizer), FinalizerState::kMissing);
  EXPECT_EQ(finalizerState(cluster({"zkop.io/cleanup"}, false), kFinalizer),
            FinalizerState::kActive);
  EXPECT_EQ(finalizerState(cluster({"other", "zkop.io/cleanup"}, true), kFinalizer),
            FinalizerState::kCleanup);
  EXPECT_EQ(finalizerState(cluster({"other"}, true), kFinalizer), FinalizerState::kReleased);
  EXPECT_EQ(finalizerState(Json{{"metadata", {{"name", "x"}}}}, kFinalizer),
            FinalizerState::kMissing);
}

TEST(FinalizerTest, AddAndRemoveAreConditionalPatches) {
  auto server = std::make_shared<FakeApiServer>();
  server->put(kPath, cluster({"other"}, false));
  Client client(server);
  auto current = client.get(resources::kZookeeperCluster, "ns", "zk");
  ASSERT_TRUE(current);
  auto added = addFinalizer(client, resources::kZookeeperCluster, *current, kFinalizer);
  ASSERT_TRUE(added) << added.error().describe();
  EXPECT_EQ((*server->object(kPath))["metadata"]["finalizers"], Json({"other", "zkop.io/cleanup"}));
  // Adding again changes nothing and sends nothing.
  const auto requests = server->requests().size();
  ASSERT_TRUE(addFinalizer(client, resources::kZookeeperCluster, *added, kFinalizer));
  EXPECT_EQ(server->requests().size(), requests);
  // A stale copy loses: the list would otherwise overwrite someone else's change.
  auto stale = removeFinalizer(client, resources::kZookeeperCluster, *current, "other");
  ASSERT_FALSE(stale);
  EXPECT_TRUE(stale.error().is(ErrorCategory::kConflict));
  auto removed = removeFinalizer(client, resources::kZookeeperCluster, *added, kFinalizer);
  ASSERT_TRUE(removed) << removed.error().describe();
  EXPECT_EQ((*server->object(kPath))["metadata"]["finalizers"], Json({"other"}));
}

}  // namespace
}  // namespace zkop::runtime
