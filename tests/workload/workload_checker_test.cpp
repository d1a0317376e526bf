// The workload checker against a real ensemble: it must count what happened (acknowledged
// writes, leader changes) and catch a lost write when there is one.
#include "e2e/workload/workload_checker.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zookeeper/zookeeper.h>

#include <filesystem>
#include <fstream>

#include "operator/zookeeper/session.h"
#include "tests/support/local_ensemble.h"

namespace zkop::workload {
namespace {

using testing::LocalEnsemble;
using namespace std::chrono_literals;

class WorkloadChecker3 : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int id = 1; id <= 3; ++id) ensemble_.start(id, ensemble_.config(3));
    ASSERT_TRUE(LocalEnsemble::waitUntil([&] { return servingCount() == 3; }, 120s))
        << ensemble_.describe(true);
    config_.connectString = ensemble_.clientAddress(1) + "," + ensemble_.clientAddress(2) + "," +
                            ensemble_.clientAddress(3);
    for (int id = 1; id <= 3; ++id) config_.members.push_back(ensemble_.clientAddress(id));
    config_.writesPerSecond = 100;
  }
  int servingCount() const {
    int n = 0;
    for (int id = 1; id <= 3; ++id)
      n += ensemble_.status(id).mode != observe::ServerMode::NotServing;
    return n;
  }
  bool waitForAcks(const WorkloadChecker& checker, std::int64_t atLeast) {
    return LocalEnsemble::waitUntil([&] { return checker.acknowledged() >= atLeast; }, 120s);
  }

  LocalEnsemble ensemble_{std::string("workload-") +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name()};
  WorkloadConfig config_;
};

TEST_F(WorkloadChecker3, SteadyEnsembleLosesNothing) {
  config_.runId = "steady";
  WorkloadChecker checker(config_);
  ASSERT_EQ(checker.start(), "");
  ASSERT_TRUE(waitForAcks(checker, 100));
  const auto report = checker.finish();
  EXPECT_TRUE(report.ok()) << report.toText();
  EXPECT_GE(report.acknowledged, 100);
  EXPECT_EQ(report.lost, 0) << report.toText();
  EXPECT_EQ(report.leaderChanges, 0) << report.toText();
  EXPECT_EQ(report.missingByMember.size(), 3u);
}

TEST_F(WorkloadChecker3, LeaderRestartIsOneLeaderChangeAndNoLoss) {
  config_.runId = "leader-restart";
  WorkloadChecker checker(config_);
  ASSERT_EQ(checker.start(), "");
  ASSERT_TRUE(waitForAcks(checker, 50));
  const int leader = ensemble_.leader();
  ASSERT_NE(leader, 0) << ensemble_.describe();
  ensemble_.stop(leader);
  ensemble_.start(leader, ensemble_.config(3));
  ASSERT_TRUE(LocalEnsemble::waitUntil([&] { return servingCount() == 3; }, 120s))
      << ensemble_.describe(true);
  const auto before = checker.acknowledged();
  ASSERT_TRUE(waitForAcks(checker, before + 50));
  const auto report = checker.finish();
  EXPECT_EQ(report.lost, 0) << report.toText();
  EXPECT_TRUE(report.unverifiedMembers.empty()) << report.toText();
  EXPECT_GE(report.leaderChanges, 1) << report.toText();
  EXPECT_GT(report.longestPauseMs, 0) << report.toText();
  // The followers lost their leader while running: an election, seen as not serving.
  EXPECT_FALSE(report.servingInterruptions.empty()) << report.toText();
}

// With --members-file the client follows the file: a member that is gone from it (a pod that
// came back elsewhere, a member scaled in) is neither written through nor verified.
TEST_F(WorkloadChecker3, FollowsTheMembersFile) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("zkop-workload-members-" + std::to_string(::getpid()));
  const auto writeMembers = [&](std::vector<int> ids) {
    std::ofstream out(file);
    out << "# host:port name\n";
    for (int id : ids) out << ensemble_.clientAddress(id) << " member-" << id << "\n";
  };
  writeMembers({1});
  config_.runId = "members-file";
  config_.connectString = ensemble_.clientAddress(1);
  config_.members.clear();
  config_.membersFile = file.string();
  WorkloadChecker checker(config_);
  ASSERT_EQ(checker.start(), "");
  ASSERT_TRUE(waitForAcks(checker, 30));
  writeMembers({2, 3});
  const auto before = checker.acknowledged();
  ASSERT_TRUE(waitForAcks(checker, before + 30));
  // Writes keep going without member 1: the client moved to the members the file lists.
  ensemble_.stop(1);
  const auto afterStop = checker.acknowledged();
  ASSERT_TRUE(waitForAcks(checker, afterStop + 50)) << ensemble_.describe(true);
  const auto report = checker.finish();
  std::filesystem::remove(file);
  EXPECT_TRUE(report.ok()) << report.toText();
  EXPECT_EQ(report.serverListChanges, 1) << report.toText();
  ASSERT_EQ(report.missingByMember.size(), 2u) << report.toText();
  EXPECT_TRUE(report.missingByMember.contains("member-2=" + ensemble_.clientAddress(2)))
      << report.toText();
}

TEST_F(WorkloadChecker3, DetectsAnAcknowledgedWriteThatDisappeared) {
  config_.runId = "detect-loss";
  WorkloadChecker checker(config_);
  ASSERT_EQ(checker.start(), "");
  ASSERT_TRUE(waitForAcks(checker, 20));
  checker.stop();
  // Remove one acknowledged write behind the checker's back.
  auto session = zookeeper::Session::connect({ensemble_.clientAddress(2), 10s, 30s, std::nullopt});
  ASSERT_TRUE(session.has_value()) << session.error().message;
  ASSERT_EQ(zoo_delete((*session)->handle(), (checker.root() + "/w-000000000005").c_str(), -1),
            ZOK);
  const auto report = checker.finish();
  EXPECT_EQ(report.lost, 1) << report.toText();
  EXPECT_FALSE(report.ok());
  for (const auto& [member, missing] : report.missingByMember) EXPECT_EQ(missing, 1) << member;
}

}  // namespace
}  // namespace zkop::workload
