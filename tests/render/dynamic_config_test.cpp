#include "controllers/render/dynamic_config.h"

#include <gtest/gtest.h>

namespace zkop::render {
namespace {

TEST(DynamicConfig, ParsesWhatZooKeeperReturnsForZookeeperConfig) {
  const auto config = DynamicConfig::parse(
      "server.2=zk-1.zk-headless.ns.svc.cluster.local:2888:3888:participant;0.0.0.0:2181\n"
      "server.1=zk-0.zk-headless.ns.svc.cluster.local:2888:3888:participant;"
      "zk-0.zk-headless.ns.svc.cluster.local:2181\n"
      "server.4=zk-3.x:2888:3888:observer;2181\n"
      "version=100000003\n");
  ASSERT_TRUE(config.has_value()) << config.error();
  EXPECT_EQ(config->version, 0x100000003u);
  ASSERT_EQ(config->servers.size(), 3u);
  EXPECT_EQ(config->servers[0].myid, 1) << "sorted by myid";
  EXPECT_EQ(config->servers[1].clientHost, "0.0.0.0");
  EXPECT_EQ(config->servers[2].role, api::MemberRole::Observer);
  EXPECT_EQ(config->servers[2].clientPort, 2181);
  EXPECT_EQ(config->participants(), 2);
  EXPECT_EQ(config->versionHex(), "100000003");
}

TEST(DynamicConfig, LinesRoundTrip) {
  DynamicConfig config;
  ServerEntry entry;
  entry.myid = 7;
  entry.host = "h7";
  entry.role = api::MemberRole::Observer;
  config.servers.push_back(entry);
  config.version = 0x200000001;
  const auto text = config.serverLines() + "version=" + config.versionHex() + "\n";
  EXPECT_EQ(config.serverLines(), "server.7=h7:2888:3888:observer;h7:2181\n");
  const auto back = DynamicConfig::parse(text);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, config);
}

TEST(DynamicConfig, RejectsGarbage) {
  const auto config = DynamicConfig::parse("server.1=host\n");
  ASSERT_FALSE(config.has_value());
  EXPECT_NE(config.error().find("line 1"), std::string::npos);
}

}  // namespace
}  // namespace zkop::render
