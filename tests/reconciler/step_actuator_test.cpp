#include "operator/reconciler/step_actuator.h"

#include <gtest/gtest.h>

#include "controllers/render/member_set.h"
#include "tests/reconciler/cluster_fixture.h"
#include "tests/reconciler/io_fixture.h"

namespace zkop::reconciler {
namespace {

using planner::MemberSlot;
using testing::makeCluster;
using testing::statusJson;
using zookeeper::ZkError;

// Records what the actuator asks of ZooKeeper; answers as scripted.
struct AdminLog {
  std::vector<zookeeper::SessionConfig> sessions;
  std::vector<zookeeper::ReconfigRequest> reconfigs;
  int barriers = 0;
  std::optional<ZkError> connectError;
  std::optional<ZkError> reconfigError;
  std::optional<ZkError> barrierError;
};

class FakeAdmin final : public zookeeper::ZooKeeperAdmin {
 public:
  explicit FakeAdmin(AdminLog& log) : log_(log) {}
  std::expected<render::DynamicConfig, ZkError> config() override {
    return render::DynamicConfig{};
  }
  std::expected<render::DynamicConfig, ZkError> reconfig(
      const zookeeper::ReconfigRequest& request) override {
    log_.reconfigs.push_back(request);
    if (log_.reconfigError) return std::unexpected(*log_.reconfigError);
    return render::DynamicConfig{};
  }
  std::expected<void, ZkError> writeBarrier() override {
    ++log_.barriers;
    if (log_.barrierError) return std::unexpected(*log_.barrierError);
    return {};
  }

 private:
  AdminLog& log_;
};

constexpr const char* kPods = "/api/v1/namespaces/ns/pods/";
constexpr const char* kClaims = "/api/v1/namespaces/ns/persistentvolumeclaims/";

// zk-0..2 (myids 1..3) running and answering on 10.0.0.1..3, myid 3 leads; client port 2281.
struct StepActuatorTest : testing::IoTest {
  AdminLog admin;
  api::ZookeeperCluster cluster;
  Observation observation;
  SuperUserCredentials credentials{.user = "super", .password = "pw"};

  StepActuatorTest() { setCluster(Json::object()); }

  void setCluster(const Json& extraSpec) {
    Json spec = {{"replicas", 3}, {"version", "3.8.4"}, {"ports", {{"client", 2281}}}};
    spec.update(extraSpec);
    cluster = makeCluster(
        spec, {{"myids", {{"zk-0", "1"}, {"zk-1", "2"}, {"zk-2", "3"}}}, {"highestMyid", 3}});
    observation = Observation{};
    observation.facts.cluster = cluster;
    const auto members = render::MemberSet::fromStatus(cluster);
    observation.facts.committed = render::initialConfig(cluster, members);
    observation.facts.committed->version = 0x100000003;
    for (const auto& m : members.members()) {
      observation.facts.pods[m.pod] = {
          .ready = true, .ip = "10.0.0." + std::to_string(m.myid), .version = "3.8.4"};
      observation.kube.pods[m.pod] = {{"metadata", {{"name", m.pod}, {"uid", "uid-" + m.pod}}}};
      observe::MemberProbe probe;
      probe.answered = true;
      probe.status.mode = m.myid == 3 ? observe::ServerMode::Leader : observe::ServerMode::Follower;
      observation.facts.probes[m.myid] = probe;
    }
  }

  AdminFactory factory() {
    return [this](const zookeeper::SessionConfig& config)
               -> std::expected<std::unique_ptr<zookeeper::ZooKeeperAdmin>, ZkError> {
      admin.sessions.push_back(config);
      if (admin.connectError) return std::unexpected(*admin.connectError);
      return std::make_unique<FakeAdmin>(admin);
    };
  }

  std::expected<StepEffect, runtime::ReconcileError> perform(const planner::Step& step) {
    StepActuator actuator(client, factory());
    return actuator.perform(
        StepContext{.cluster = cluster, .observation = observation, .credentials = credentials},
        step);
  }

  std::vector<runtime::HttpRequest> sent() const { return transport->requests(); }
};

// ---- pods and volumes -----------------------------------------------------------------------

TEST_F(StepActuatorTest, RestartMemberDeletesExactlyThatPodWithAUidPrecondition) {
  transport->expectJson("DELETE", std::string(kPods) + "zk-1", 200, "{}");
  auto effect =
      perform(planner::RestartMember{.slot = MemberSlot::managed("default", 1), .myid = 2});
  ASSERT_TRUE(effect) << effect.error().describe();
  EXPECT_FALSE(effect->barrierConfigVersion.has_value());
  const auto requests = sent();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "DELETE");
  EXPECT_EQ(requests[0].path, std::string(kPods) + "zk-1");
  const auto body = Json::parse(requests[0].body);
  EXPECT_EQ(body["preconditions"]["uid"], "uid-zk-1")
      << "a replacement the StatefulSet already made is left alone";
  EXPECT_TRUE(admin.sessions.empty()) << "a restart needs no ZooKeeper session";
}

TEST_F(StepActuatorTest, RestartOfAPodAlreadyGoneDoesNothing) {
  observation.kube.pods.erase("zk-1");
  auto effect =
      perform(planner::RestartMember{.slot = MemberSlot::managed("default", 1), .myid = 2});
  ASSERT_TRUE(effect) << effect.error().describe();
  EXPECT_TRUE(sent().empty());
}

TEST_F(StepActuatorTest, DeleteRacesAreNotErrors) {
  // 404: gone meanwhile; 409: the uid precondition failed (already replaced).
  transport->expectJson("DELETE", std::string(kPods) + "zk-1", 404, statusJson(404, "NotFound"));
  EXPECT_TRUE(
      perform(planner::RestartMember{.slot = MemberSlot::managed("default", 1), .myid = 2}));
  transport->expectJson("DELETE", std::string(kPods) + "zk-1", 409, statusJson(409, "Conflict"));
  EXPECT_TRUE(
      perform(planner::RestartMember{.slot = MemberSlot::managed("default", 1), .myid = 2}));
}

TEST_F(StepActuatorTest, DeleteFailureNamesThePod) {
  transport->expectJson("DELETE", std::string(kPods) + "zk-2", 403, statusJson(403, "Forbidden"));
  auto effect = perform(planner::StopMember{.slot = MemberSlot::managed("default", 2), .myid = 3});
  ASSERT_FALSE(effect);
  EXPECT_EQ(effect.error().step, "delete pod zk-2");
}

TEST_F(StepActuatorTest, StopMemberDeletesThePod) {
  transport->expectJson("DELETE", std::string(kPods) + "zk-2", 200, "{}");
  auto effect = perform(planner::StopMember{
      .slot = MemberSlot::managed("default", 2), .myid = 3, .decommission = true});
  ASSERT_TRUE(effect) << effect.error().describe();
  ASSERT_EQ(sent().size(), 1u);
  EXPECT_EQ(sent()[0].path, std::string(kPods) + "zk-2");
}

TEST_F(StepActuatorTest, StartMemberDeletesThePodOnlyWhenItsContainerIsDown) {
  const planner::StartMember start{.slot = MemberSlot::managed("default", 1), .myid = 2};
  auto running = perform(start);
  ASSERT_TRUE(running) << running.error().describe();
  EXPECT_TRUE(sent().empty()) << "the StatefulSet starts it; nothing to delete";

  observation.facts.pods["zk-1"].containerDown = true;
  observation.facts.pods["zk-1"].terminating = true;
  EXPECT_TRUE(perform(start));
  EXPECT_TRUE(sent().empty()) << "already on its way out";

  observation.facts.pods["zk-1"].terminating = false;
  transport->expectJson("DELETE", std::string(kPods) + "zk-1", 200, "{}");
  auto waiting = perform(start);
  ASSERT_TRUE(waiting) << waiting.error().describe();
  ASSERT_EQ(sent().size(), 1u) << "a pod waiting out a crash back-off starts now";
  EXPECT_EQ(sent()[0].method, "DELETE");
  EXPECT_EQ(sent()[0].path, std::string(kPods) + "zk-1");
  EXPECT_EQ(Json::parse(sent()[0].body)["preconditions"]["uid"], "uid-zk-1");
}

TEST_F(StepActuatorTest, StartMemberWithoutAPodDoesNothing) {
  observation.facts.pods.erase("zk-1");
  observation.kube.pods.erase("zk-1");
  EXPECT_TRUE(perform(planner::StartMember{.slot = MemberSlot::managed("default", 1), .myid = 2}));
  EXPECT_TRUE(sent().empty());
}

TEST_F(StepActuatorTest, CleanDataDirDeletesTheClaimAndThePod) {
  transport->expectJson("DELETE", std::string(kClaims) + "data-zk-1", 200, "{}");
  transport->expectJson("DELETE", std::string(kPods) + "zk-1", 200, "{}");
  auto effect =
      perform(planner::CleanDataDir{.slot = MemberSlot::managed("default", 1), .myid = 2});
  ASSERT_TRUE(effect) << effect.error().describe();
  const auto requests = sent();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, std::string(kClaims) + "data-zk-1");
  EXPECT_EQ(requests[1].path, std::string(kPods) + "zk-1");
  EXPECT_EQ(Json::parse(requests[1].body)["preconditions"]["uid"], "uid-zk-1");
}

TEST_F(StepActuatorTest, CleanDataDirOfAPooledMember) {
  setCluster({{"pools", {{{"name", "east"}, {"replicas", 3}}}}});
  observation.kube.pods["zk-east-1"] = {{"metadata", {{"name", "zk-east-1"}, {"uid", "u-e1"}}}};
  transport->expectJson("DELETE", std::string(kClaims) + "data-zk-east-1", 200, "{}");
  transport->expectJson("DELETE", std::string(kPods) + "zk-east-1", 200, "{}");
  auto effect = perform(planner::CleanDataDir{.slot = MemberSlot::managed("east", 1), .myid = 2});
  ASSERT_TRUE(effect) << effect.error().describe();
  EXPECT_EQ(sent().size(), 2u);
  EXPECT_EQ(transport->pending(), 0u);
}

TEST_F(StepActuatorTest, CleanDataDirWithTheClaimAlreadyGoneStillDeletesThePod) {
  transport->expectJson("DELETE", std::string(kClaims) + "data-zk-1", 404,
                        statusJson(404, "NotFound"));
  transport->expectJson("DELETE", std::string(kPods) + "zk-1", 200, "{}");
  auto effect =
      perform(planner::CleanDataDir{.slot = MemberSlot::managed("default", 1), .myid = 2});
  ASSERT_TRUE(effect) << effect.error().describe();
  EXPECT_EQ(sent().size(), 2u);
}

TEST_F(StepActuatorTest, CleanDataDirKeepsThePodWhenTheClaimCannotBeDeleted) {
  transport->expectJson("DELETE", std::string(kClaims) + "data-zk-1", 403,
                        statusJson(403, "Forbidden"));
  auto effect =
      perform(planner::CleanDataDir{.slot = MemberSlot::managed("default", 1), .myid = 2});
  ASSERT_FALSE(effect);
  EXPECT_EQ(effect.error().step, "delete data volume data-zk-1");
  EXPECT_EQ(sent().size(), 1u) << "the pod would come back on its old data";
}

// ---- reconfig -------------------------------------------------------------------------------

TEST_F(StepActuatorTest, ReconfigAddSendsTheJoiningServerLineConditionalOnTheVersion) {
  setCluster({{"replicas", 4}});
  const planner::Reconfig step{.change = planner::Reconfig::Change::Add,
                               .server = {.myid = 4,
                                          .slot = MemberSlot::managed("default", 3),
                                          .role = planner::Role::Participant},
                               .fromConfigVersion = 0x100000003};
  auto effect = perform(step);
  ASSERT_TRUE(effect) << effect.error().describe();
  ASSERT_EQ(admin.reconfigs.size(), 1u);
  const auto& request = admin.reconfigs[0];
  EXPECT_EQ(request.expectedVersion, 0x100000003u);
  EXPECT_TRUE(request.leaving.empty());
  ASSERT_EQ(request.joining.size(), 1u);
  EXPECT_EQ(request.joining[0].line(),
            "server.4=zk-3.zk-headless.ns.svc.cluster.local:2888:3888:participant;"
            "zk-3.zk-headless.ns.svc.cluster.local:2281");
  EXPECT_TRUE(sent().empty()) << "no Kubernetes writes";
}

TEST_F(StepActuatorTest, ReconfigSessionAuthenticatesAsTheSuperUserThroughAnsweringMembers) {
  setCluster(
      {{"externalMembers", {{{"myid", 10}, {"host", "vm1.example.com"}, {"clientPort", 2182}}}}});
  observation.facts.probes[2].answered = false;
  credentials = {.user = "admin", .password = "hunter2"};
  auto effect = perform(planner::HandOffLeadership{
      .slot = MemberSlot::managed("default", 2), .leaderMyid = 3, .fromConfigVersion = 7});
  ASSERT_TRUE(effect) << effect.error().describe();
  ASSERT_EQ(admin.sessions.size(), 1u);
  const auto& session = admin.sessions[0];
  EXPECT_EQ(session.connectString, "10.0.0.1:2281,10.0.0.3:2281,vm1.example.com:2182")
      << "managed members that answer (spec client port), then external members";
  ASSERT_TRUE(session.superUser.has_value());
  EXPECT_EQ(session.superUser->user, "admin");
  EXPECT_EQ(session.superUser->password, "hunter2");
}

TEST_F(StepActuatorTest, ReconfigChangeRoleSendsTheLineWithTheNewRole) {
  auto effect = perform(planner::Reconfig{.change = planner::Reconfig::Change::ChangeRole,
                                          .server = {.myid = 2,
                                                     .slot = MemberSlot::managed("default", 1),
                                                     .role = planner::Role::Observer},
                                          .fromConfigVersion = 9});
  ASSERT_TRUE(effect) << effect.error().describe();
  ASSERT_EQ(admin.reconfigs.size(), 1u);
  ASSERT_EQ(admin.reconfigs[0].joining.size(), 1u);
  EXPECT_EQ(admin.reconfigs[0].joining[0].myid, 2);
  EXPECT_EQ(admin.reconfigs[0].joining[0].role, api::MemberRole::Observer);
  EXPECT_TRUE(admin.reconfigs[0].leaving.empty());
  EXPECT_EQ(admin.reconfigs[0].expectedVersion, 9u);
}

TEST_F(StepActuatorTest, ReconfigRemoveSendsTheLeavingMyid) {
  auto effect =
      perform(planner::Reconfig{.change = planner::Reconfig::Change::Remove,
                                .server = {.myid = 2, .slot = MemberSlot::managed("default", 1)},
                                .fromConfigVersion = 0x100000003});
  ASSERT_TRUE(effect) << effect.error().describe();
  ASSERT_EQ(admin.reconfigs.size(), 1u);
  EXPECT_EQ(admin.reconfigs[0].leaving, std::vector<int>{2});
  EXPECT_TRUE(admin.reconfigs[0].joining.empty());
  EXPECT_EQ(admin.reconfigs[0].expectedVersion, 0x100000003u);
}

TEST_F(StepActuatorTest, HandOffLeadershipRemovesTheLeader) {
  auto effect = perform(planner::HandOffLeadership{.slot = MemberSlot::managed("default", 2),
                                                   .leaderMyid = 3,
                                                   .fromConfigVersion = 0x100000003});
  ASSERT_TRUE(effect) << effect.error().describe();
  ASSERT_EQ(admin.reconfigs.size(), 1u);
  EXPECT_EQ(admin.reconfigs[0].leaving, std::vector<int>{3});
  EXPECT_TRUE(admin.reconfigs[0].joining.empty());
  EXPECT_EQ(admin.reconfigs[0].expectedVersion, 0x100000003u);
  EXPECT_TRUE(sent().empty()) << "the leader's pod is not touched";
}

TEST_F(StepActuatorTest, ReconfigAddOfAnExternalMemberUsesItsSpecAddress) {
  setCluster({{"externalMembers",
               {{{"myid", 10},
                 {"host", "vm1.example.com"},
                 {"quorumPort", 2889},
                 {"role", "Observer"}}}}});
  auto effect =
      perform(planner::Reconfig{.change = planner::Reconfig::Change::Add,
                                .server = {.myid = 10,
                                           .slot = MemberSlot::external("vm1.example.com"),
                                           .role = planner::Role::Observer},
                                .fromConfigVersion = 1});
  ASSERT_TRUE(effect) << effect.error().describe();
  ASSERT_EQ(admin.reconfigs.size(), 1u);
  ASSERT_EQ(admin.reconfigs[0].joining.size(), 1u);
  EXPECT_EQ(admin.reconfigs[0].joining[0].host, "vm1.example.com");
  EXPECT_EQ(admin.reconfigs[0].joining[0].quorumPort, 2889);
}

TEST_F(StepActuatorTest, ReconfigAddOfAnUnknownExternalMyidIsRefusedBeforeConnecting) {
  auto effect = perform(planner::Reconfig{.change = planner::Reconfig::Change::Add,
                                          .server = {.myid = 12,
                                                     .slot = MemberSlot::external("nowhere"),
                                                     .role = planner::Role::Observer},
                                          .fromConfigVersion = 1});
  ASSERT_FALSE(effect);
  EXPECT_NE(effect.error().describe().find("12"), std::string::npos);
  EXPECT_TRUE(admin.reconfigs.empty());
}

TEST_F(StepActuatorTest, AReconfigErrorComesBackNamingTheStep) {
  admin.reconfigError = ZkError{ZkError::Kind::BadVersion, "reconfig: bad version"};
  const planner::Step step =
      planner::Reconfig{.change = planner::Reconfig::Change::Remove,
                        .server = {.myid = 2, .slot = MemberSlot::managed("default", 1)},
                        .fromConfigVersion = 5};
  auto effect = perform(step);
  ASSERT_FALSE(effect);
  EXPECT_EQ(effect.error().step, planner::describe(step));
  EXPECT_NE(effect.error().describe().find("myid 2"), std::string::npos)
      << effect.error().describe();
  EXPECT_NE(effect.error().message.find("bad version"), std::string::npos);
}

TEST_F(StepActuatorTest, AHandOffErrorComesBackNamingTheStep) {
  admin.reconfigError = ZkError{ZkError::Kind::NoQuorum, "no quorum"};
  const planner::Step step = planner::HandOffLeadership{
      .slot = MemberSlot::managed("default", 2), .leaderMyid = 3, .fromConfigVersion = 5};
  auto effect = perform(step);
  ASSERT_FALSE(effect);
  EXPECT_EQ(effect.error().step, planner::describe(step));
}

TEST_F(StepActuatorTest, ConnectFailureIsAnError) {
  admin.connectError = ZkError{ZkError::Kind::Connection, "timed out"};
  auto effect = perform(planner::WriteBarrier{.configVersion = 3});
  ASSERT_FALSE(effect);
  EXPECT_NE(effect.error().describe().find("timed out"), std::string::npos);
  EXPECT_EQ(admin.barriers, 0);
}

TEST_F(StepActuatorTest, NoAnsweringMemberMeansNoSession) {
  for (auto& [myid, probe] : observation.facts.probes) probe.answered = false;
  auto effect = perform(planner::HandOffLeadership{
      .slot = MemberSlot::managed("default", 2), .leaderMyid = 3, .fromConfigVersion = 5});
  ASSERT_FALSE(effect);
  EXPECT_NE(effect.error().describe().find("no member answers"), std::string::npos);
  EXPECT_TRUE(admin.sessions.empty());
}

// ---- barrier and records ------------------------------------------------------------------

TEST_F(StepActuatorTest, WriteBarrierReturnsTheBarriersConfigVersion) {
  auto effect = perform(planner::WriteBarrier{.configVersion = 0x200000001});
  ASSERT_TRUE(effect) << effect.error().describe();
  EXPECT_EQ(admin.barriers, 1);
  EXPECT_EQ(effect->barrierConfigVersion, 0x200000001);
  EXPECT_TRUE(admin.reconfigs.empty());
}

TEST_F(StepActuatorTest, AFailedBarrierRecordsNothing) {
  admin.barrierError = ZkError{ZkError::Kind::Connection, "connection loss"};
  auto effect = perform(planner::WriteBarrier{.configVersion = 0x200000001});
  ASSERT_FALSE(effect);
  EXPECT_EQ(effect.error().step, "write barrier");
}

TEST_F(StepActuatorTest, RecordStepsAndWaitsTouchNothing) {
  planner::ServerList list;
  list.version = 2;
  for (const planner::Step& step :
       {planner::Step{planner::AssignMyid{.slot = MemberSlot::managed("default", 1), .newMyid = 4}},
        planner::Step{planner::WriteServerList{.list = list}},
        planner::Step{planner::Wait{.evidence = "sync"}},
        planner::Step{planner::Blocked{.reason = "no"}}, planner::Step{planner::Done{}}}) {
    auto effect = perform(step);
    ASSERT_TRUE(effect) << planner::describe(step);
    EXPECT_FALSE(effect->barrierConfigVersion.has_value());
  }
  EXPECT_TRUE(sent().empty());
  EXPECT_TRUE(admin.sessions.empty());
}

}  // namespace
}  // namespace zkop::reconciler
