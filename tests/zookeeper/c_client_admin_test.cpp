// The C client session against real ZooKeeper servers: reading the committed config,
// growing an ensemble by a joiner that starts as an observer and is promoted, moving
// leadership away by removing the leader, write barriers, and the errors the actuator
// relies on (stale version, missing super user).
#include "operator/zookeeper/c_client_admin.h"

#include <gtest/gtest.h>

#include "tests/support/local_ensemble.h"

namespace zkop::zookeeper {
namespace {

using testing::LocalEnsemble;
using namespace std::chrono_literals;
using observe::ServerMode;

std::unique_ptr<CClientAdmin> connectOrFail(const LocalEnsemble& ensemble, int myid,
                                            const std::string& password) {
  SessionConfig config;
  config.connectString = ensemble.clientAddress(myid);
  config.superUser = SuperUser{"super", password};
  auto admin = CClientAdmin::connect(config);
  EXPECT_TRUE(admin.has_value()) << (admin ? "" : admin.error().message);
  return admin ? std::move(*admin) : nullptr;
}

bool quorumOf(const LocalEnsemble& ensemble, std::initializer_list<int> ids) {
  int leaders = 0;
  for (int id : ids) {
    const auto mode = ensemble.status(id).mode;
    if (mode == ServerMode::Leader)
      ++leaders;
    else if (mode != ServerMode::Follower && mode != ServerMode::Observer)
      return false;
  }
  return leaders == 1;
}

TEST(CClientAdmin, JoinerStartsAsObserverAndIsPromotedByReconfig) {
  LocalEnsemble ensemble("admin-join");
  const auto initial = ensemble.config(3);
  for (int id = 1; id <= 3; ++id) ensemble.start(id, initial);
  ASSERT_TRUE(LocalEnsemble::waitUntil(
      [&] {
        return quorumOf(ensemble, {1, 2, 3});
      },
      120s))
      << ensemble.describe(true);

  auto admin = connectOrFail(ensemble, 1, LocalEnsemble::kSuperPassword);
  ASSERT_NE(admin, nullptr);
  const auto committed = admin->config();
  ASSERT_TRUE(committed.has_value()) << committed.error().message;
  ASSERT_EQ(committed->servers.size(), 3u);
  EXPECT_NE(committed->version, 0u) << "ZooKeeper versions the first config when it commits";

  // The joiner: committed config plus itself as observer (BRIEF §2 rule 2).
  auto joinerConfig = *committed;
  joinerConfig.servers.push_back(ensemble.entry(4, api::MemberRole::Observer));
  ensemble.start(4, joinerConfig);
  ASSERT_TRUE(LocalEnsemble::waitUntil(
      [&] {
        return quorumOf(ensemble, {1, 2, 3, 4});
      },
      120s))
      << ensemble.describe(true);

  ReconfigRequest promote;
  promote.joining.push_back(ensemble.entry(4, api::MemberRole::Participant));
  promote.expectedVersion = committed->version;
  const auto promoted = admin->reconfig(promote);
  ASSERT_TRUE(promoted.has_value()) << promoted.error().message << "\n" << ensemble.describe(true);
  EXPECT_GT(promoted->version, committed->version);
  ASSERT_NE(promoted->find(4), nullptr);
  EXPECT_EQ(promoted->find(4)->role, api::MemberRole::Participant);
  EXPECT_EQ(promoted->participants(), 4);
  EXPECT_TRUE(admin->writeBarrier().has_value());

  // A reconfig against the old version is refused: the actuator never applies a step
  // planned on a stale view.
  ReconfigRequest stale;
  stale.leaving = {4};
  stale.expectedVersion = committed->version;
  const auto refused = admin->reconfig(stale);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ZkError::Kind::BadVersion) << refused.error().message;
}

TEST(CClientAdmin, RemovingTheLeaderHandsLeadershipOff) {
  LocalEnsemble ensemble("admin-handoff");
  const auto initial = ensemble.config(3);
  for (int id = 1; id <= 3; ++id) ensemble.start(id, initial);
  ASSERT_TRUE(LocalEnsemble::waitUntil(
      [&] {
        return quorumOf(ensemble, {1, 2, 3});
      },
      120s))
      << ensemble.describe(true);
  const int leader = ensemble.leader();
  ASSERT_NE(leader, 0);
  const int other = leader == 1 ? 2 : 1;
  auto admin = connectOrFail(ensemble, other, LocalEnsemble::kSuperPassword);
  ASSERT_NE(admin, nullptr);

  ReconfigRequest removeLeader;
  removeLeader.leaving = {leader};
  const auto after = admin->reconfig(removeLeader);
  ASSERT_TRUE(after.has_value()) << after.error().message << "\n" << ensemble.describe(true);
  EXPECT_EQ(after->find(leader), nullptr);
  std::vector<int> rest;
  for (int id = 1; id <= 3; ++id) {
    if (id != leader) rest.push_back(id);
  }
  ASSERT_TRUE(LocalEnsemble::waitUntil(
      [&] {
        const auto a = ensemble.status(rest[0]).mode, b = ensemble.status(rest[1]).mode;
        return (a == ServerMode::Leader) != (b == ServerMode::Leader) &&
               (a == ServerMode::Follower || b == ServerMode::Follower);
      },
      60s))
      << ensemble.describe(true);
  EXPECT_TRUE(admin->writeBarrier().has_value());
}

TEST(CClientAdmin, ReconfigWithoutTheSuperUserIsRefused) {
  LocalEnsemble ensemble("admin-noauth");
  const auto initial = ensemble.config(1);
  ensemble.start(1, initial);
  ASSERT_TRUE(LocalEnsemble::waitUntil([&] { return quorumOf(ensemble, {1}); }, 120s))
      << ensemble.describe(true);
  auto admin = connectOrFail(ensemble, 1, "wrong-password");
  ASSERT_NE(admin, nullptr);
  ReconfigRequest add;
  add.joining.push_back(ensemble.entry(2, api::MemberRole::Observer));
  const auto refused = admin->reconfig(add);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ZkError::Kind::NoAuth) << refused.error().message;
}

TEST(CClientAdmin, ConnectingToNothingFailsWithinTheTimeout) {
  LocalEnsemble ensemble("admin-nothing");
  SessionConfig config;
  config.connectString = ensemble.clientAddress(1);
  config.connectTimeout = 3s;
  const auto admin = CClientAdmin::connect(config);
  ASSERT_FALSE(admin.has_value());
  EXPECT_EQ(admin.error().kind, ZkError::Kind::Connection);
}

}  // namespace
}  // namespace zkop::zookeeper
