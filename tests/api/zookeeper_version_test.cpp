#include "controllers/api/zookeeper_version.h"

#include <gtest/gtest.h>

namespace zkop::api {
namespace {

TEST(ZooKeeperVersion, ParsesReleasesAndTags) {
  EXPECT_EQ(ZooKeeperVersion::parse("3.8.4"), (ZooKeeperVersion{3, 8, 4}));
  EXPECT_EQ(ZooKeeperVersion::fromImageTag("3.9.2-jre-17"), (ZooKeeperVersion{3, 9, 2}));
  EXPECT_EQ(ZooKeeperVersion::fromImageTag("v3.7.1"), (ZooKeeperVersion{3, 7, 1}));
  EXPECT_FALSE(ZooKeeperVersion::parse("latest"));
  EXPECT_FALSE(ZooKeeperVersion::parse("3.8"));
  EXPECT_FALSE(ZooKeeperVersion::parse("3.3.6")) << "older than the oldest supported";
  EXPECT_FALSE(ZooKeeperVersion::parse("4.0.0"));
}

TEST(ZooKeeperVersion, OrdersNumerically) {
  EXPECT_LT((ZooKeeperVersion{3, 9, 0}), (ZooKeeperVersion{3, 10, 0}));
  EXPECT_TRUE((ZooKeeperVersion{3, 5, 0}).supportsReconfig());
  EXPECT_FALSE((ZooKeeperVersion{3, 4, 14}).supportsReconfig());
}

TEST(ZooKeeperVersion, UpgradePaths) {
  const ZooKeeperVersion v384{3, 8, 4};
  EXPECT_EQ(upgradePath(v384, v384), UpgradePath::Same);
  EXPECT_EQ(upgradePath(v384, {3, 8, 5}), UpgradePath::Patch);
  EXPECT_EQ(upgradePath(v384, {3, 9, 0}), UpgradePath::Minor);
  EXPECT_EQ(upgradePath(v384, {3, 10, 0}), UpgradePath::Unsupported);
  EXPECT_EQ(upgradePath(v384, {3, 8, 3}), UpgradePath::Downgrade);
}

}  // namespace
}  // namespace zkop::api
