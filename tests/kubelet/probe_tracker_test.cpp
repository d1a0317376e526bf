#include "e2e/kubelet/probe_tracker.h"

#include <gtest/gtest.h>

namespace zkop::sandbox::kubelet {
namespace {

using namespace std::chrono_literals;
using Clock = ProbeTracker::Clock;

ProbeTiming timing(int initialDelay, int period, int success, int failure) {
  ProbeTiming t;
  t.initialDelay = std::chrono::seconds(initialDelay);
  t.period = std::chrono::seconds(period);
  t.successThreshold = success;
  t.failureThreshold = failure;
  return t;
}

TEST(ProbeTracker, FirstProbeAfterInitialDelayThenEveryPeriod) {
  const auto t0 = Clock::time_point{} + 1000s;
  ProbeTracker p(ProbeKind::Readiness, timing(5, 3, 1, 3), t0);
  EXPECT_FALSE(p.due(t0));
  EXPECT_FALSE(p.due(t0 + 4999ms));
  EXPECT_TRUE(p.due(t0 + 5s));
  p.launched(t0 + 5s);
  EXPECT_FALSE(p.due(t0 + 7s));
  EXPECT_TRUE(p.due(t0 + 8s));
}

TEST(ProbeTracker, InitialResultsFollowKubernetes) {
  const auto t0 = Clock::time_point{};
  EXPECT_EQ(ProbeTracker(ProbeKind::Readiness, {}, t0).result(), ProbeResult::Failure);
  EXPECT_EQ(ProbeTracker(ProbeKind::Liveness, {}, t0).result(), ProbeResult::Success);
  EXPECT_EQ(ProbeTracker(ProbeKind::Startup, {}, t0).result(), ProbeResult::Unknown);
}

TEST(ProbeTracker, ReadinessNeedsSuccessThresholdConsecutiveSuccesses) {
  ProbeTracker p(ProbeKind::Readiness, timing(0, 1, 2, 3), Clock::time_point{});
  EXPECT_FALSE(p.record(true));
  EXPECT_EQ(p.result(), ProbeResult::Failure) << "one success of two";
  EXPECT_FALSE(p.record(false));
  EXPECT_FALSE(p.record(true));
  EXPECT_EQ(p.result(), ProbeResult::Failure) << "the run was broken";
  EXPECT_TRUE(p.record(true));
  EXPECT_EQ(p.result(), ProbeResult::Success);
}

TEST(ProbeTracker, LivenessFailsOnlyAfterFailureThresholdInARow) {
  ProbeTracker p(ProbeKind::Liveness, timing(0, 1, 1, 3), Clock::time_point{});
  p.record(false);
  p.record(false);
  p.record(true);  // resets the run
  p.record(false);
  p.record(false);
  EXPECT_EQ(p.result(), ProbeResult::Success);
  EXPECT_TRUE(p.record(false));
  EXPECT_EQ(p.result(), ProbeResult::Failure);
  EXPECT_EQ(p.consecutive(), 3);
}

TEST(ProbeTracker, StartupSucceedsOnFirstSuccess) {
  ProbeTracker p(ProbeKind::Startup, timing(0, 1, 1, 30), Clock::time_point{});
  p.record(false);
  EXPECT_EQ(p.result(), ProbeResult::Unknown);
  EXPECT_TRUE(p.record(true));
  EXPECT_EQ(p.result(), ProbeResult::Success);
}

TEST(ProbeSpec, ParsesTimingDefaultsAndNamedPorts) {
  const auto container = nlohmann::json::parse(R"({
    "ports": [{"name": "client", "containerPort": 2181}],
    "readinessProbe": {"tcpSocket": {"port": "client"}, "periodSeconds": 5,
                       "successThreshold": 2},
    "livenessProbe": {"exec": {"command": ["/bin/true"]}, "successThreshold": 4},
    "startupProbe": {"grpc": {"port": 1}}})");
  auto readiness = parseProbe(container, ProbeKind::Readiness);
  ASSERT_TRUE(readiness && *readiness);
  EXPECT_EQ(std::get<TcpSocketAction>((*readiness)->handler).port, 2181);
  EXPECT_EQ((*readiness)->timing.period, std::chrono::seconds(5));
  EXPECT_EQ((*readiness)->timing.timeout, std::chrono::seconds(1));
  EXPECT_EQ((*readiness)->timing.failureThreshold, 3);
  EXPECT_EQ((*readiness)->timing.successThreshold, 2);
  auto liveness = parseProbe(container, ProbeKind::Liveness);
  ASSERT_TRUE(liveness && *liveness);
  EXPECT_EQ((*liveness)->timing.successThreshold, 1) << "forced to 1 for liveness";
  EXPECT_FALSE(parseProbe(container, ProbeKind::Startup)) << "grpc is not supported";
  EXPECT_FALSE(*parseProbe(nlohmann::json::object(), ProbeKind::Readiness));
}

}  // namespace
}  // namespace zkop::sandbox::kubelet
