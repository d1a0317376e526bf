#include "operator/runtime/leader_election.h"

#include <gtest/gtest.h>

#include <thread>

#include "operator/runtime/encoding.h"
#include "tests/runtime/fake_api_server.h"
#include "tests/runtime/fake_clock.h"

namespace zkop::runtime {
namespace {

using namespace std::chrono_literals;
using testing::FakeApiServer;
using testing::FakeClock;

constexpr const char* kLeasePath = "/apis/coordination.k8s.io/v1/namespaces/zk-system/leases/zkop";

struct LeaderElectionTest : ::testing::Test {
  std::shared_ptr<FakeApiServer> server = std::make_shared<FakeApiServer>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<Client> client = std::make_shared<Client>(server, [] {
    ClientConfig c;
    c.max_retries = 0;
    return c;
  }());

  LeaderElectionConfig configFor(const std::string& identity) {
    LeaderElectionConfig c;
    c.lease_namespace = "zk-system";
    c.lease_name = "zkop";
    c.identity = identity;
    return c;
  }
  LeaderElector candidate(const std::string& identity) {
    return LeaderElector(client, clock, configFor(identity), [] { return 0.0; });
  }
  Json spec() { return (*server->object(kLeasePath))["spec"]; }
};

TEST_F(LeaderElectionTest, FirstCandidateCreatesTheLease) {
  auto a = candidate("a");
  ASSERT_TRUE(a.tryAcquireOrRenew());
  EXPECT_TRUE(a.isLeader());
  auto s = spec();
  EXPECT_EQ(s["holderIdentity"], "a");
  EXPECT_EQ(s["leaseDurationSeconds"], 15);
  EXPECT_EQ(s["leaseTransitions"], 0);
  EXPECT_EQ(s["acquireTime"], s["renewTime"]);
  EXPECT_EQ(s["renewTime"], formatRfc3339(clock->wallNow(), true));
}

TEST_F(LeaderElectionTest, OtherCandidateWaitsUntilTheLeaseExpiresThenTakesOver) {
  auto a = candidate("a");
  auto b = candidate("b");
  ASSERT_TRUE(a.tryAcquireOrRenew());
  EXPECT_FALSE(b.tryAcquireOrRenew());
  EXPECT_EQ(b.leader(), "a");
  EXPECT_FALSE(b.isLeader());
  clock->advance(14s);
  EXPECT_FALSE(b.tryAcquireOrRenew());  // b first saw this record 14 s ago
  clock->advance(1s);
  ASSERT_TRUE(b.tryAcquireOrRenew());
  auto s = spec();
  EXPECT_EQ(s["holderIdentity"], "b");
  EXPECT_EQ(s["leaseTransitions"], 1);
  EXPECT_EQ(s["acquireTime"], formatRfc3339(clock->wallNow(), true));
  // a comes back: it sees b's fresh record and does not steal it.
  EXPECT_FALSE(a.tryAcquireOrRenew());
  EXPECT_FALSE(a.isLeader());
  EXPECT_EQ(a.leader(), "b");
}

TEST_F(LeaderElectionTest, RenewalKeepsAcquireTimeAndKeepsOthersOut) {
  auto a = candidate("a");
  auto b = candidate("b");
  ASSERT_TRUE(a.tryAcquireOrRenew());
  const auto acquired = spec()["acquireTime"];
  for (int i = 0; i < 20; ++i) {
    clock->advance(2s);
    ASSERT_TRUE(a.tryAcquireOrRenew());
    EXPECT_FALSE(b.tryAcquireOrRenew());
  }
  auto s = spec();
  EXPECT_EQ(s["acquireTime"], acquired);
  EXPECT_EQ(s["renewTime"], formatRfc3339(clock->wallNow(), true));
  EXPECT_EQ(s["leaseTransitions"], 0);
}

TEST_F(LeaderElectionTest, ReleaseLetsTheNextCandidateInAtOnce) {
  auto a = candidate("a");
  auto b = candidate("b");
  ASSERT_TRUE(a.tryAcquireOrRenew());
  EXPECT_FALSE(b.tryAcquireOrRenew());
  ASSERT_TRUE(a.release());
  EXPECT_EQ(spec()["holderIdentity"], "");
  EXPECT_EQ(spec()["leaseDurationSeconds"], 1);
  EXPECT_FALSE(a.isLeader());
  ASSERT_TRUE(b.tryAcquireOrRenew());
  EXPECT_EQ(spec()["leaseTransitions"], 1);
}

TEST_F(LeaderElectionTest, ConflictingWriteLoses) {
  auto a = candidate("a");
  ASSERT_TRUE(a.tryAcquireOrRenew());
  server->failNext("PUT", 1, 409);
  clock->advance(2s);
  EXPECT_FALSE(a.tryAcquireOrRenew());
  EXPECT_TRUE(a.tryAcquireOrRenew());
}

TEST_F(LeaderElectionTest, RunLeadsUntilStoppedThenReleases) {
  std::mutex m;
  std::condition_variable cv;
  bool started = false;
  bool stopped = false;
  auto config = configFor("a");
  config.on_started_leading = [&] {
    std::lock_guard lock(m);
    started = true;
    cv.notify_all();
  };
  std::string holder_while_stopping;
  config.on_stopped_leading = [&] {
    holder_while_stopping = spec()["holderIdentity"];
    std::lock_guard lock(m);
    stopped = true;
    cv.notify_all();
  };
  LeaderElector a(client, clock, config, [] { return 0.0; });
  std::jthread runner([&](std::stop_token st) { a.run(st); });
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return started; });
  }
  EXPECT_EQ(spec()["holderIdentity"], "a");
  runner.request_stop();
  runner.join();
  EXPECT_TRUE(stopped);
  // Our work stopped while the lease was still ours; only then was it released.
  EXPECT_EQ(holder_while_stopping, "a");
  EXPECT_EQ(spec()["holderIdentity"], "");
}

TEST_F(LeaderElectionTest, RunStepsDownWhenRenewalFailsForTheRenewDeadline) {
  std::mutex m;
  std::condition_variable cv;
  bool started = false;
  bool stopped = false;
  auto config = configFor("a");
  config.on_started_leading = [&] {
    std::lock_guard lock(m);
    started = true;
    cv.notify_all();
  };
  config.on_stopped_leading = [&] {
    std::lock_guard lock(m);
    stopped = true;
    cv.notify_all();
  };
  LeaderElector a(client, clock, config, [] { return 0.0; });
  std::jthread runner([&](std::stop_token st) { a.run(st); });
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return started; });
  }
  server->failNext("GET", 1000, 500);  // the API server becomes unreachable for us
  // Drive fake time forward until the elector gives up; it must not take longer than the
  // renew deadline plus one retry period of fake time.
  const auto began = clock->now();
  std::unique_lock lock(m);
  while (!stopped) {
    lock.unlock();
    clock->advance(500ms);
    lock.lock();
    cv.wait_for(lock, 5ms, [&] { return stopped; });
    ASSERT_LT(clock->now() - began, Clock::Duration(30s)) << "never stepped down";
  }
  EXPECT_LE(clock->now() - began, Clock::Duration(13s));
  EXPECT_GE(clock->now() - began, Clock::Duration(8s));
}

TEST(LeaderElectionRecordTest, RoundTripsMicroTime) {
  Json lease = {{"spec",
                 {{"holderIdentity", "x"},
                  {"leaseDurationSeconds", 15},
                  {"acquireTime", "2026-01-01T00:00:00.000001Z"},
                  {"renewTime", "2026-01-01T00:00:10.500000Z"},
                  {"leaseTransitions", 3}}}};
  auto r = LeaderElectionRecord::fromLease(lease);
  EXPECT_EQ(r.holder_identity, "x");
  EXPECT_EQ(r.lease_transitions, 3);
  EXPECT_EQ(r.toSpec(), lease["spec"]);
}

}  // namespace
}  // namespace zkop::runtime
