#include "controllers/reconciler/server_list.h"

#include <gtest/gtest.h>

#include "controllers/render/member_set.h"
#include "tests/reconciler/cluster_fixture.h"

namespace zkop::reconciler {
namespace {

using planner::MemberSlot;
using planner::Role;
using testing::makeCluster;

planner::ServerEntry managed(int myid, const std::string& pool, int ordinal,
                             Role role = Role::Participant) {
  return {.myid = myid, .slot = MemberSlot::managed(pool, ordinal), .role = role};
}

planner::ServerEntry external(int myid, const std::string& host, Role role = Role::Participant) {
  return {.myid = myid, .slot = MemberSlot::external(host), .role = role};
}

const Json kExternals = {{{"myid", 10},
                          {"host", "vm1.example.com"},
                          {"clientPort", 2182},
                          {"quorumPort", 2889},
                          {"electionPort", 3889}},
                         {{"myid", 11}, {"host", "vm2.example.com"}, {"role", "Observer"}}};

TEST(ServerLine, ManagedSlotNamesThePodsStableDnsNameAndTheSpecPorts) {
  const auto cluster = makeCluster(
      {{"replicas", 3}, {"ports", {{"client", 2281}, {"quorum", 2988}, {"election", 3988}}}});
  const auto line = serverLine(cluster, managed(7, "default", 2));
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->myid, 7) << "the myid of the entry, not one derived from the ordinal";
  EXPECT_EQ(line->host, "zk-2.zk-headless.ns.svc.cluster.local");
  EXPECT_EQ(line->clientPort, 2281);
  EXPECT_EQ(line->quorumPort, 2988);
  EXPECT_EQ(line->electionPort, 3988);
  EXPECT_EQ(line->role, api::MemberRole::Participant);
  EXPECT_EQ(line->line(),
            "server.7=zk-2.zk-headless.ns.svc.cluster.local:2988:3988:participant;"
            "zk-2.zk-headless.ns.svc.cluster.local:2281");
}

TEST(ServerLine, ManagedDefaultsAndPooledNames) {
  const auto cluster = makeCluster(
      {{"pools", {{{"name", "east"}, {"replicas", 3}}, {{"name", "west"}, {"replicas", 2}}}},
       {"clusterDomain", "example.org"}},
      Json::object(), "prod");
  const auto line = serverLine(cluster, managed(4, "west", 1, Role::Observer));
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->host, "prod-west-1.prod-headless.ns.svc.example.org");
  EXPECT_EQ(line->clientPort, 2181);
  EXPECT_EQ(line->quorumPort, 2888);
  EXPECT_EQ(line->electionPort, 3888);
  EXPECT_EQ(line->role, api::MemberRole::Observer);
}

TEST(ServerLine, ExternalMemberTakesHostAndPortsFromTheSpec) {
  const auto cluster = makeCluster(
      {{"replicas", 3}, {"ports", {{"client", 2281}}}, {"externalMembers", kExternals}});
  const auto vm1 = serverLine(cluster, external(10, "vm1.example.com"));
  ASSERT_TRUE(vm1.has_value());
  EXPECT_EQ(vm1->host, "vm1.example.com");
  EXPECT_EQ(vm1->clientPort, 2182);
  EXPECT_EQ(vm1->quorumPort, 2889);
  EXPECT_EQ(vm1->electionPort, 3889);
  EXPECT_EQ(vm1->role, api::MemberRole::Participant);

  const auto vm2 = serverLine(cluster, external(11, "vm2.example.com", Role::Observer));
  ASSERT_TRUE(vm2.has_value());
  EXPECT_EQ(vm2->clientPort, 2181) << "an external member's ports are its own, not spec.ports";
  EXPECT_EQ(vm2->quorumPort, 2888);
  EXPECT_EQ(vm2->electionPort, 3888);
  EXPECT_EQ(vm2->role, api::MemberRole::Observer);
}

TEST(ServerLine, ExternalRoleIsThePlannersNotTheSpecs) {
  const auto cluster = makeCluster({{"replicas", 3}, {"externalMembers", kExternals}});
  // vm2 is an Observer in the spec; the planner is promoting it.
  const auto vm2 = serverLine(cluster, external(11, "vm2.example.com", Role::Participant));
  ASSERT_TRUE(vm2.has_value());
  EXPECT_EQ(vm2->role, api::MemberRole::Participant);
}

TEST(ServerLine, UnknownExternalMyidIsLeftOut) {
  const auto cluster = makeCluster({{"replicas", 3}, {"externalMembers", kExternals}});
  EXPECT_FALSE(serverLine(cluster, external(12, "vm1.example.com")).has_value())
      << "matched by myid, not by host";
  EXPECT_FALSE(serverLine(makeCluster({{"replicas", 3}}), external(10, "vm1.example.com")))
      << "no externalMembers at all";
}

TEST(RenderServerList, AscendingMyidUnknownExternalsLeftOutVersionKept) {
  const auto cluster = makeCluster({{"replicas", 3}, {"externalMembers", kExternals}});
  planner::ServerList list;
  list.version = 0x500000001;
  list.servers = {managed(3, "default", 2), external(10, "vm1.example.com"),
                  managed(1, "default", 0), external(99, "gone.example.com"),
                  managed(2, "default", 1, Role::Observer)};
  const auto config = renderServerList(cluster, list);
  EXPECT_EQ(config.version, 0x500000001u);
  std::vector<int> myids;
  for (const auto& s : config.servers) myids.push_back(s.myid);
  EXPECT_EQ(myids, (std::vector<int>{1, 2, 3, 10}));
  EXPECT_EQ(config.servers[1].role, api::MemberRole::Observer);
  EXPECT_EQ(config.servers[2].host, "zk-2.zk-headless.ns.svc.cluster.local");
  EXPECT_EQ(config.participants(), 3);
}

TEST(RenderServerList, EmptyList) {
  const auto config = renderServerList(makeCluster({{"replicas", 3}}), planner::ServerList{});
  EXPECT_TRUE(config.servers.empty());
  EXPECT_EQ(config.version, 0u);
}

TEST(RenderServerList, RoundTripsTheInitialConfig) {
  // The planner's view of the first config, rendered back, is the config the renderer wrote.
  const auto cluster = makeCluster({{"pools",
                                     {{{"name", "east"}, {"replicas", 2}, {"leaderPriority", 5}},
                                      {{"name", "west"}, {"replicas", 1}, {"observers", 1}}}},
                                    {"myidBase", 20},
                                    {"externalMembers", kExternals}});
  const auto members = render::initialMemberSet(cluster);
  const auto initial = render::initialConfig(cluster, members);
  planner::ServerList list;
  for (const auto& s : initial.servers) {
    const auto* m = members.findMyid(s.myid);
    const auto role = s.role == api::MemberRole::Observer ? Role::Observer : Role::Participant;
    list.servers.push_back(m != nullptr ? managed(s.myid, m->pool, m->ordinal, role)
                                        : external(s.myid, s.host, role));
  }
  EXPECT_EQ(renderServerList(cluster, list), initial);
}

}  // namespace
}  // namespace zkop::reconciler
