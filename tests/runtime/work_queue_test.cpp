#include "operator/runtime/work_queue.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/runtime/fake_clock.h"

namespace zkop::runtime {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;

class RecordingMetrics final : public WorkQueueMetrics {
 public:
  void added() override { ++adds; }
  void depth(size_t d) override { last_depth = d; }
  void queued(Clock::Duration waited) override { last_wait = waited; }
  void worked(Clock::Duration took) override { last_work = took; }
  void retried() override { ++retries; }
  int adds = 0;
  int retries = 0;
  size_t last_depth = 0;
  Clock::Duration last_wait{};
  Clock::Duration last_work{};
};

struct WorkQueueTest : ::testing::Test {
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<RecordingMetrics> metrics = std::make_shared<RecordingMetrics>();
  WorkQueue queue{clock, std::make_unique<ItemExponentialRateLimiter>(5ms, 1000s), metrics};
};

TEST_F(WorkQueueTest, RepeatedAddsCollapse) {
  queue.add("ns/a");
  queue.add("ns/a");
  queue.add("ns/b");
  EXPECT_EQ(queue.len(), 2u);
  EXPECT_EQ(metrics->adds, 2);
  EXPECT_EQ(queue.get(), "ns/a");
  EXPECT_EQ(queue.get(), "ns/b");
  EXPECT_EQ(queue.tryGet(), std::nullopt);
}

TEST_F(WorkQueueTest, KeyBeingProcessedIsNotHandedOutAgainUntilDone) {
  queue.add("ns/a");
  ASSERT_EQ(queue.get(), "ns/a");
  queue.add("ns/a");  // dirty while processing
  queue.add("ns/a");  // still one
  EXPECT_EQ(queue.len(), 0u);
  EXPECT_EQ(queue.tryGet(), std::nullopt);
  queue.done("ns/a");
  EXPECT_EQ(queue.len(), 1u);
  EXPECT_EQ(queue.get(), "ns/a");
  queue.done("ns/a");
  EXPECT_EQ(queue.tryGet(), std::nullopt);
}

TEST_F(WorkQueueTest, DoneWithoutNewAddDoesNotRequeue) {
  queue.add("k");
  ASSERT_EQ(queue.get(), "k");
  queue.done("k");
  EXPECT_EQ(queue.len(), 0u);
}

TEST_F(WorkQueueTest, AddAfterWaitsForTheClock) {
  queue.addAfter("k", 10s);
  EXPECT_EQ(queue.tryGet(), std::nullopt);
  EXPECT_EQ(queue.waitingCount(), 1u);
  clock->advance(9s);
  EXPECT_EQ(queue.tryGet(), std::nullopt);
  clock->advance(1s);
  EXPECT_EQ(queue.tryGet(), "k");
}

TEST_F(WorkQueueTest, EarlierDelayWinsForAWaitingKey) {
  queue.addAfter("k", 10s);
  queue.addAfter("k", 2s);
  queue.addAfter("k", 5s);
  EXPECT_EQ(queue.waitingCount(), 1u);
  clock->advance(2s);
  EXPECT_EQ(queue.tryGet(), "k");
  queue.done("k");
  clock->advance(10s);
  EXPECT_EQ(queue.tryGet(), std::nullopt);
}

TEST_F(WorkQueueTest, ImmediateAddOfADelayedKeyStillRunsOnceThenAgainLater) {
  queue.addAfter("k", 5s);
  queue.add("k");
  EXPECT_EQ(queue.tryGet(), "k");
  queue.done("k");
  clock->advance(5s);
  EXPECT_EQ(queue.tryGet(), "k");
}

TEST_F(WorkQueueTest, RateLimitedRequeueBacksOffExponentiallyPerKey) {
  queue.addRateLimited("k");  // 5 ms
  queue.addRateLimited("other");
  clock->advance(4ms);
  EXPECT_EQ(queue.tryGet(), std::nullopt);
  clock->advance(1ms);
  auto first = queue.tryGet();
  auto second = queue.tryGet();
  ASSERT_TRUE(first && second);
  queue.done(*first);
  queue.done(*second);
  queue.addRateLimited("k");  // 10 ms
  clock->advance(9ms);
  EXPECT_EQ(queue.tryGet(), std::nullopt);
  clock->advance(1ms);
  EXPECT_EQ(queue.tryGet(), "k");
  queue.done("k");
  EXPECT_EQ(queue.numRequeues("k"), 2);
  EXPECT_EQ(metrics->retries, 3);
  queue.forget("k");
  EXPECT_EQ(queue.numRequeues("k"), 0);
  queue.addRateLimited("k");  // back to 5 ms
  clock->advance(5ms);
  EXPECT_EQ(queue.tryGet(), "k");
}

TEST(RateLimiterTest, ExponentialIsCapped) {
  ItemExponentialRateLimiter limiter(5ms, 1000s);
  Clock::Duration last{};
  for (int i = 0; i < 40; ++i) last = limiter.when("k");
  EXPECT_EQ(last, Clock::Duration(1000s));
}

TEST(RateLimiterTest, BucketAllowsBurstThenSpacesAtQps) {
  auto clock = std::make_shared<FakeClock>();
  BucketRateLimiter bucket(clock, 10, 3);
  EXPECT_EQ(bucket.when("a"), Clock::Duration::zero());
  EXPECT_EQ(bucket.when("b"), Clock::Duration::zero());
  EXPECT_EQ(bucket.when("c"), Clock::Duration::zero());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(bucket.when("d")), 100ms);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(bucket.when("e")), 200ms);
  clock->advance(1s);  // refills (to the burst)
  EXPECT_EQ(bucket.when("f"), Clock::Duration::zero());
}

TEST(RateLimiterTest, DefaultTakesTheLongerOfItemAndBucket) {
  auto clock = std::make_shared<FakeClock>();
  auto limiter = defaultControllerRateLimiter(clock);
  EXPECT_EQ(limiter->when("k"), Clock::Duration(5ms));
  // Drain the bucket with other keys: the bucket's delay now dominates a fresh key's 5 ms.
  for (int i = 0; i < 120; ++i) limiter->when("x" + std::to_string(i));
  EXPECT_GT(limiter->when("fresh"), Clock::Duration(1s));
}

TEST_F(WorkQueueTest, MetricsMeasureQueueAndWorkTime) {
  queue.add("k");
  clock->advance(3s);
  ASSERT_EQ(queue.get(), "k");
  EXPECT_EQ(metrics->last_wait, Clock::Duration(3s));
  clock->advance(2s);
  queue.done("k");
  EXPECT_EQ(metrics->last_work, Clock::Duration(2s));
}

TEST_F(WorkQueueTest, ShutDownIgnoresAddsAndReturnsRemainingThenNothing) {
  queue.add("a");
  queue.addAfter("later", 1s);
  queue.shutDown();
  queue.add("b");
  EXPECT_EQ(queue.get(), "a");
  EXPECT_EQ(queue.get(), std::nullopt);
  clock->advance(2s);
  EXPECT_EQ(queue.get(), std::nullopt);
}

TEST_F(WorkQueueTest, BlockedGetWakesOnShutDown) {
  std::optional<std::string> got = "unset";
  std::thread getter([&] { got = queue.get(); });
  queue.shutDown();
  getter.join();
  EXPECT_EQ(got, std::nullopt);
}

TEST_F(WorkQueueTest, BlockedGetWakesWhenTheClockReachesADelayedKey) {
  queue.addAfter("k", 30s);
  std::optional<std::string> got;
  std::thread getter([&] { got = queue.get(); });
  clock->advance(30s);
  getter.join();
  EXPECT_EQ(got, "k");
}

TEST_F(WorkQueueTest, ShutDownWithDrainWaitsForInFlightWork) {
  queue.add("k");
  ASSERT_EQ(queue.get(), "k");
  std::atomic<bool> drained{false};
  std::thread drainer([&] {
    queue.shutDownWithDrain();
    drained = true;
  });
  // Drain cannot finish while "k" is in flight; done() is what releases it.
  EXPECT_FALSE(drained.load());
  EXPECT_EQ(queue.processingCount(), 1u);
  queue.done("k");
  drainer.join();
  EXPECT_TRUE(drained.load());
  EXPECT_TRUE(queue.shuttingDown());
}

TEST_F(WorkQueueTest, NeverHandsOneKeyToTwoWorkersAtOnce) {
  // Many threads hammer one key; the queue must never have it in flight twice.
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
  std::atomic<int> processed{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      while (auto key = queue.get()) {
        int now = ++in_flight;
        int prev = max_in_flight.load();
        while (now > prev && !max_in_flight.compare_exchange_weak(prev, now)) {
        }
        std::this_thread::yield();
        --in_flight;
        ++processed;
        queue.done(*key);
      }
    });
  }
  for (int i = 0; i < 2000; ++i) queue.add("same");
  queue.shutDownWithDrain();
  queue.shutDown();
  for (auto& t : workers) t.join();
  EXPECT_EQ(max_in_flight.load(), 1);
  EXPECT_GE(processed.load(), 1);
}

}  // namespace
}  // namespace zkop::runtime
