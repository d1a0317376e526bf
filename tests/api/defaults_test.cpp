#include "controllers/api/defaults.h"

#include <gtest/gtest.h>

#include "controllers/api/json_codec.h"

namespace zkop::api {
namespace {

ZookeeperCluster cluster(const char* spec) {
  Json object = {{"apiVersion", "zkop.io/v1alpha1"},
                 {"kind", "ZookeeperCluster"},
                 {"metadata", {{"name", "zk"}}},
                 {"spec", Json::parse(spec)}};
  auto decoded = decodeCluster(object);
  EXPECT_TRUE(decoded.errors.empty());
  return decoded.cluster;
}

TEST(Defaults, EmptySpecGetsTheDocumentedDefaults) {
  auto c = cluster("{}");
  applyDefaults(c);
  const auto& s = c.spec;
  EXPECT_EQ(s.replicas, 3);
  EXPECT_EQ(s.observers, 0);
  EXPECT_EQ(s.reconfigMode, ReconfigMode::Dynamic);
  EXPECT_EQ(s.myidBase, 1);
  EXPECT_EQ(s.version, std::string(kDefaultZooKeeperVersion));
  EXPECT_EQ(s.image->repository, "zookeeper");
  EXPECT_EQ(s.image->tag, std::string(kDefaultZooKeeperVersion));
  EXPECT_EQ(s.config->tickTime, 2000);
  EXPECT_EQ(s.config->autopurge->purgeInterval, 1);
  EXPECT_EQ(s.ports->client, 2181);
  EXPECT_EQ(s.ports->metrics, 7000);
  EXPECT_EQ(s.persistence->reclaimPolicy, ReclaimPolicy::Retain);
  EXPECT_EQ(s.updatePolicy->strategy, UpdateStrategy::LeaderLast);
  EXPECT_EQ(s.security->superUserSecret, "zk-super");
  EXPECT_EQ(s.clusterDomain, "cluster.local");
}

TEST(Defaults, AreIdempotentAndKeepWhatIsSet) {
  auto c = cluster(R"({"replicas": 5, "config": {"tickTime": 3000}, "ports": {"client": 12181}})");
  applyDefaults(c);
  auto again = c;
  applyDefaults(again);
  EXPECT_EQ(again, c);
  EXPECT_EQ(c.spec.replicas, 5);
  EXPECT_EQ(c.spec.config->tickTime, 3000);
  EXPECT_EQ(c.spec.config->initLimit, 10);
  EXPECT_EQ(c.spec.ports->client, 12181);
  EXPECT_EQ(c.spec.ports->quorum, 2888);
}

TEST(Defaults, VersionComesFromTheImageTagAndTagFromVersion) {
  auto fromTag = cluster(R"({"image": {"tag": "3.9.2-jre-17"}})");
  applyDefaults(fromTag);
  EXPECT_EQ(fromTag.spec.version, "3.9.2");
  auto fromVersion = cluster(R"({"version": "3.7.2"})");
  applyDefaults(fromVersion);
  EXPECT_EQ(fromVersion.spec.image->tag, "3.7.2");
  auto unknown = cluster(R"({"image": {"tag": "latest"}})");
  applyDefaults(unknown);
  EXPECT_FALSE(unknown.spec.version.has_value()) << "validation reports it; no guessing";
}

TEST(Defaults, ReplicasWithPoolsIsTheirSumAndPoolsGetDefaults) {
  auto c = cluster(R"({"pools": [{"name": "a", "replicas": 3}, {"name": "b", "replicas": 2,
                       "observers": 1}]})");
  applyDefaults(c);
  EXPECT_EQ(c.spec.replicas, 5);
  EXPECT_EQ((*c.spec.pools)[0].observers, 0);
  EXPECT_EQ((*c.spec.pools)[0].leaderPriority, 0);
  const auto pools = effectivePools(c.spec);
  ASSERT_EQ(pools.size(), 2u);
  EXPECT_EQ(pools[1].name, "b");
}

TEST(Defaults, WithoutPoolsThereIsOneDefaultPool) {
  auto c = cluster(R"({"replicas": 3, "observers": 2})");
  applyDefaults(c);
  const auto pools = effectivePools(c.spec);
  ASSERT_EQ(pools.size(), 1u);
  EXPECT_EQ(pools[0].name, "default");
  EXPECT_EQ(pools[0].replicas, 3);
  EXPECT_EQ(pools[0].observers, 2);
}

}  // namespace
}  // namespace zkop::api
