#include "operator/runtime/controller.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "operator/runtime/metrics.h"
#include "tests/runtime/fake_clock.h"

namespace zkop::runtime {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;

Json owned(const std::string& name, const std::string& owner_kind, const std::string& api_version,
           bool controller) {
  return Json{{"metadata",
               {{"name", name},
                {"namespace", "ns"},
                {"ownerReferences",
                 {{{"apiVersion", api_version},
                   {"kind", owner_kind},
                   {"name", "zk"},
                   {"uid", "u1"},
                   {"controller", controller}}}}}}};
}

TEST(ControllerOwnerKey, MapsControllerReferencesOfTheOwnerKind) {
  EXPECT_EQ(controllerOwnerKey(owned("zk-pool", "ZookeeperCluster", "zkop.io/v1alpha1", true),
                               "ZookeeperCluster", "zkop.io"),
            "ns/zk");
  EXPECT_EQ(controllerOwnerKey(owned("zk-pool", "ZookeeperCluster", "zkop.io/v1alpha1", false),
                               "ZookeeperCluster", "zkop.io"),
            std::nullopt);
  EXPECT_EQ(controllerOwnerKey(owned("pod", "StatefulSet", "apps/v1", true), "ZookeeperCluster",
                               "zkop.io"),
            std::nullopt);
  EXPECT_EQ(controllerOwnerKey(owned("x", "ZookeeperCluster", "other.io/v1", true),
                               "ZookeeperCluster", "zkop.io"),
            std::nullopt);
  EXPECT_EQ(controllerOwnerKey(Json{{"metadata", {{"name", "x"}}}}, "ZookeeperCluster", "zkop.io"),
            std::nullopt);
}

struct ControllerTest : ::testing::Test {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<Metrics> metrics = std::make_shared<Metrics>();
  std::function<ReconcileResult(const std::string&)> next = [](const std::string&) {
    return ReconcileResult(Action::done());
  };
  std::vector<std::string> reconciled;
  std::unique_ptr<Controller> controller;

  void SetUp() override {
    Controller::Dependencies deps;
    deps.clock = clock;
    deps.rate_limiter = std::make_unique<ItemExponentialRateLimiter>(5ms, 1000s);
    deps.metrics = metrics;
    deps.queue_metrics = metrics->workQueue("zk");
    controller = std::make_unique<Controller>(
        ControllerConfig().withName("zk"),
        [this](const std::string& key) {
          reconciled.push_back(key);
          return next(key);
        },
        std::move(deps));
  }
};

TEST_F(ControllerTest, DoneForgetsTheKey) {
  controller->enqueue("ns/a");
  ASSERT_TRUE(controller->processNextItem());
  EXPECT_EQ(reconciled, std::vector<std::string>{"ns/a"});
  EXPECT_EQ(controller->queue().len(), 0u);
  EXPECT_EQ(controller->queue().waitingCount(), 0u);
}

TEST_F(ControllerTest, RequeueAfterComesBackWhenTheClockSaysSo) {
  next = [](const std::string&) { return ReconcileResult(Action::requeueAfter(30s)); };
  controller->enqueue("ns/a");
  ASSERT_TRUE(controller->processNextItem());
  EXPECT_EQ(controller->queue().tryGet(), std::nullopt);
  clock->advance(30s);
  EXPECT_EQ(controller->queue().len(), 0u);  // promoted lazily by get()
  auto key = controller->queue().tryGet();
  EXPECT_EQ(key, "ns/a");
  controller->queue().done("ns/a");  // stop() drains: nothing may stay handed out
}

TEST_F(ControllerTest, ErrorsGoThroughTheErrorPolicyWithBackoff) {
  int failures = 0;
  next = [&](const std::string&) -> ReconcileResult {
    if (failures++ < 3) return std::unexpected(ReconcileError{"patch statefulset", "boom", {}});
    return Action::done();
  };
  controller->enqueue("ns/a");
  ASSERT_TRUE(controller->processNextItem());  // fails: retry after 5 ms
  EXPECT_EQ(controller->queue().numRequeues("ns/a"), 1);
  clock->advance(5ms);
  ASSERT_TRUE(controller->processNextItem());  // fails: 10 ms
  clock->advance(9ms);
  EXPECT_EQ(controller->queue().tryGet(), std::nullopt);
  clock->advance(1ms);
  ASSERT_TRUE(controller->processNextItem());  // fails: 20 ms
  clock->advance(20ms);
  ASSERT_TRUE(controller->processNextItem());  // succeeds: forgotten
  EXPECT_EQ(controller->queue().numRequeues("ns/a"), 0);
  const std::string text = metrics->serialize();
  EXPECT_NE(text.find(R"(controller_runtime_reconcile_total{controller="zk",result="error"} 3)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(controller_runtime_reconcile_total{controller="zk",result="success"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(controller_runtime_reconcile_errors_total{controller="zk"} 3)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(workqueue_retries_total{controller="zk",name="zk"} 3)"),
            std::string::npos);
}

TEST_F(ControllerTest, RetryAfterFromTheServerIsHonored) {
  next = [](const std::string&) -> ReconcileResult {
    Error e = errorFromResponse(429, R"({"kind":"Status","reason":"TooManyRequests"})", "7");
    return std::unexpected(ReconcileError::from("update status", e));
  };
  controller->enqueue("ns/a");
  ASSERT_TRUE(controller->processNextItem());
  clock->advance(6s);
  EXPECT_EQ(controller->queue().tryGet(), std::nullopt);
  clock->advance(1s);
  EXPECT_EQ(controller->queue().tryGet(), "ns/a");
  controller->queue().done("ns/a");
}

TEST_F(ControllerTest, ThrowingReconcilerIsAnErrorNotACrash) {
  next = [](const std::string&) -> ReconcileResult { throw std::runtime_error("bug"); };
  controller->enqueue("ns/a");
  ASSERT_TRUE(controller->processNextItem());
  EXPECT_EQ(controller->queue().numRequeues("ns/a"), 1);
}

TEST_F(ControllerTest, OwnedObjectsEnqueueTheirOwner) {
  auto handler = controller->forOwned("ZookeeperCluster", "zkop.io");
  handler.on_add(std::make_shared<const Json>(
      owned("zk-pool-a", "ZookeeperCluster", "zkop.io/v1alpha1", true)));
  handler.on_add(std::make_shared<const Json>(
      owned("zk-config", "ZookeeperCluster", "zkop.io/v1alpha1", true)));
  handler.on_delete(std::make_shared<const Json>(owned("pod", "StatefulSet", "apps/v1", true)));
  EXPECT_EQ(controller->queue().len(), 1u);
  EXPECT_EQ(controller->queue().tryGet(), "ns/zk");
  controller->queue().done("ns/zk");
}

TEST_F(ControllerTest, WorkersNeverReconcileOneKeyConcurrentlyAndStopDrains) {
  std::mutex m;
  std::set<std::string> active;
  std::atomic<bool> overlap{false};
  std::atomic<int> count{0};
  next = [&](const std::string& key) -> ReconcileResult {
    {
      std::lock_guard lock(m);
      if (!active.insert(key).second) overlap = true;
    }
    std::this_thread::yield();
    {
      std::lock_guard lock(m);
      active.erase(key);
    }
    ++count;
    return Action::done();
  };
  // `reconciled` is not thread-safe; this test does not read it.
  Controller::Dependencies deps;
  deps.clock = clock;
  auto workers = std::make_unique<Controller>(
      ControllerConfig().withWorkers(4), [&](const std::string& key) { return next(key); },
      std::move(deps));
  workers->start();
  for (int i = 0; i < 500; ++i) workers->enqueue("ns/k" + std::to_string(i % 5));
  workers->stop();
  EXPECT_FALSE(overlap.load());
  EXPECT_GE(count.load(), 5);
}

}  // namespace
}  // namespace zkop::runtime
