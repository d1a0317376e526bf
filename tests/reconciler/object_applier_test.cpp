#include "operator/reconciler/object_applier.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "controllers/api/defaults.h"
#include "controllers/render/render.h"
#include "tests/reconciler/cluster_fixture.h"
#include "tests/reconciler/io_fixture.h"
#include "tests/runtime/fake_api_server.h"

namespace zkop::reconciler {
namespace {

using ApplyObject = testing::IoTest;
using testing::statusJson;

// ---- containsFields -----------------------------------------------------------------------

TEST(ContainsFields, NestedObjectsKeyByKey) {
  const zkop::Json actual = {{"a", {{"b", {{"c", 1}, {"d", "x"}}}, {"e", true}}}};
  EXPECT_TRUE(containsFields(actual, {{"a", {{"b", {{"c", 1}}}}}}));
  EXPECT_TRUE(containsFields(actual, Json::object()));
  EXPECT_FALSE(containsFields(actual, {{"a", {{"b", {{"c", 2}}}}}})) << "a nested value differs";
  EXPECT_FALSE(containsFields(actual, {{"a", {{"b", {{"z", 1}}}}}})) << "a nested key is missing";
  EXPECT_FALSE(containsFields(actual, {{"a", {{"e", false}}}}));
  EXPECT_FALSE(containsFields(actual, {{"a", "text"}})) << "object vs string";
  EXPECT_FALSE(containsFields(Json::array(), Json::object())) << "array vs object";
}

TEST(ContainsFields, ExtraServerFieldsAreIgnored) {
  const zkop::Json wanted = {{"metadata", {{"name", "zk-config"}, {"labels", {{"app", "zk"}}}}},
                             {"data", {{"zoo.cfg", "tickTime=2000\n"}}}};
  Json actual = wanted;
  actual["metadata"]["uid"] = "u-1";
  actual["metadata"]["resourceVersion"] = "42";
  actual["metadata"]["labels"]["added-by-someone"] = "x";
  actual["metadata"]["managedFields"] = Json::array({{{"manager", "zkop"}}});
  actual["status"] = {{"phase", "whatever"}};
  EXPECT_TRUE(containsFields(actual, wanted));
  EXPECT_FALSE(containsFields(wanted, actual)) << "the other way round it is not contained";
}

TEST(ContainsFields, ArraysElementByElement) {
  const zkop::Json actual = {
      {"containers",
       {{{"name", "zk"}, {"image", "zk:3.8.4"}, {"terminationMessagePath", "/dev/termination-log"}},
        {{"name", "sidecar"}, {"image", "s:1"}, {"imagePullPolicy", "IfNotPresent"}}}}};
  EXPECT_TRUE(containsFields(
      actual, {{"containers", {{{"name", "zk"}, {"image", "zk:3.8.4"}}, {{"name", "sidecar"}}}}}))
      << "server defaults inside elements are ignored";
  EXPECT_FALSE(containsFields(
      actual, {{"containers", {{{"name", "zk"}, {"image", "zk:3.8.5"}}, {{"name", "sidecar"}}}}}))
      << "an element differs";
  EXPECT_FALSE(containsFields(actual, {{"containers", {{{"name", "zk"}}}}}))
      << "fewer elements: the list changed";
  EXPECT_FALSE(containsFields(actual, {{"containers", {{{"name", "sidecar"}}, {{"name", "zk"}}}}}))
      << "order matters";
  EXPECT_FALSE(containsFields({{"args", {"a", "b"}}}, {{"args", {"a", "b", "c"}}}));
  EXPECT_TRUE(containsFields({{"args", {"a", "b"}}}, {{"args", {"a", "b"}}}));
  EXPECT_FALSE(containsFields({{"args", "a"}}, {{"args", Json::array({"a"})}}))
      << "string vs array";
}

TEST(ContainsFields, NumbersCompareAsNumbers) {
  EXPECT_TRUE(containsFields({{"replicas", 1.0}}, {{"replicas", 1}}));
  EXPECT_TRUE(containsFields({{"replicas", 1}}, {{"replicas", 1.0}}));
  EXPECT_TRUE(containsFields({{"replicas", 3u}}, {{"replicas", 3}}));
  EXPECT_FALSE(containsFields({{"replicas", 2.0}}, {{"replicas", 1}}));
  EXPECT_FALSE(containsFields({{"replicas", 1.5}}, {{"replicas", 1}}));
  EXPECT_FALSE(containsFields({{"replicas", "1"}}, {{"replicas", 1}})) << "string vs number";
}

TEST(ContainsFields, ScalarsAndNull) {
  EXPECT_TRUE(containsFields({{"a", nullptr}}, {{"a", nullptr}}));
  EXPECT_FALSE(containsFields(Json::object(), {{"a", nullptr}})) << "a key must be present";
  EXPECT_FALSE(containsFields({{"a", false}}, {{"a", nullptr}}));
  EXPECT_TRUE(containsFields({{"s", "x"}}, {{"s", "x"}}));
  EXPECT_FALSE(containsFields({{"s", "x"}}, {{"s", "X"}}));
}

// ---- applyObject --------------------------------------------------------------------------

Json configMap() {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata",
           {{"name", "zk-config"},
            {"namespace", "ns"},
            {"labels", {{"app.kubernetes.io/instance", "zk"}}},
            {"ownerReferences", {{{"kind", "ZookeeperCluster"}, {"name", "zk"}, {"uid", "u"}}}}}},
          {"data", {{"zoo.cfg", "tickTime=2000\n"}, {"myids", "zk-0=1\n"}}}};
}

Json statefulSet() {
  return {{"apiVersion", "apps/v1"},
          {"kind", "StatefulSet"},
          {"metadata", {{"name", "zk"}, {"namespace", "ns"}, {"labels", {{"app", "zk"}}}}},
          {"spec",
           {{"replicas", 3},
            {"serviceName", "zk-headless"},
            {"podManagementPolicy", "Parallel"},
            {"selector", {{"matchLabels", {{"app", "zk"}}}}},
            {"updateStrategy", {{"type", "OnDelete"}}},
            {"template",
             {{"metadata", {{"labels", {{"app", "zk"}}}}},
              {"spec", {{"containers", {{{"name", "zookeeper"}, {"image", "zk:3.8.4"}}}}}}}},
            {"volumeClaimTemplates",
             {{{"metadata", {{"name", "data"}}},
               {"spec", {{"resources", {{"requests", {{"storage", "1Gi"}}}}}}}}}}}}};
}

// What the API server returns for `object`: the same, plus fields it adds.
Json asStored(Json object) {
  object["metadata"]["uid"] = "server-uid";
  object["metadata"]["resourceVersion"] = "17";
  object["metadata"]["creationTimestamp"] = "2026-01-01T00:00:00Z";
  if (object["kind"] == "StatefulSet") {
    object["spec"]["revisionHistoryLimit"] = 10;
    object["spec"]["template"]["spec"]["containers"][0]["terminationMessagePolicy"] = "File";
    object["spec"]["template"]["spec"]["dnsPolicy"] = "ClusterFirst";
    object["status"] = {{"replicas", 3}, {"readyReplicas", 3}};
  }
  return object;
}

constexpr const char* kConfigMapPath = "/api/v1/namespaces/ns/configmaps/zk-config";
constexpr const char* kStatefulSetPath = "/apis/apps/v1/namespaces/ns/statefulsets/zk";

TEST_F(ApplyObject, MissingObjectIsCreated) {
  transport->expectJson("GET", kConfigMapPath, 404, statusJson(404, "NotFound"));
  transport->expectJson("POST", "/api/v1/namespaces/ns/configmaps", 201,
                        asStored(configMap()).dump());
  auto result = applyObject(*client, configMap());
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(*result, ApplyResult::Created);
  const auto sent = transport->requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].method, "POST");
  EXPECT_EQ(sent[1].path, "/api/v1/namespaces/ns/configmaps?fieldManager=zkop");
  EXPECT_EQ(Json::parse(sent[1].body), configMap()) << "created as rendered, owner reference too";
}

TEST_F(ApplyObject, IdenticalObjectIsNotWritten) {
  transport->expectJson("GET", kConfigMapPath, 200, asStored(configMap()).dump());
  auto result = applyObject(*client, configMap());
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(*result, ApplyResult::Unchanged);
  EXPECT_EQ(transport->requests().size(), 1u) << "a settled cluster costs no writes";
}

TEST_F(ApplyObject, IdenticalStatefulSetWithServerDefaultsIsNotWritten) {
  transport->expectJson("GET", kStatefulSetPath, 200, asStored(statefulSet()).dump());
  auto result = applyObject(*client, statefulSet());
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(*result, ApplyResult::Unchanged);
  EXPECT_EQ(transport->requests().size(), 1u);
}

TEST_F(ApplyObject, DifferingObjectIsMergePatchedWithWhatZkopOwns) {
  auto stored = asStored(configMap());
  stored["data"]["myids"] = "zk-0=1\nzk-1=2\n";
  transport->expectJson("GET", kConfigMapPath, 200, stored.dump());
  transport->expectJson("PATCH", kConfigMapPath, 200, asStored(configMap()).dump());
  auto result = applyObject(*client, configMap());
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(*result, ApplyResult::Patched);
  const auto sent = transport->requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].method, "PATCH");
  EXPECT_EQ(sent[1].path, std::string(kConfigMapPath) + "?fieldManager=zkop");
  EXPECT_EQ(sent[1].headers.at("Content-Type"), "application/merge-patch+json");
  const auto patch = Json::parse(sent[1].body);
  EXPECT_EQ(patch["data"], configMap()["data"]);
  EXPECT_EQ(patch["metadata"]["labels"], configMap()["metadata"]["labels"]);
  EXPECT_FALSE(patch["metadata"].contains("name"));
  EXPECT_FALSE(patch["metadata"].contains("ownerReferences"));
  EXPECT_FALSE(patch.contains("kind"));
}

TEST_F(ApplyObject, ALabelChangeAloneIsPatched) {
  auto stored = asStored(configMap());
  stored["metadata"]["labels"]["app.kubernetes.io/instance"] = "other";
  transport->expectJson("GET", kConfigMapPath, 200, stored.dump());
  transport->expectJson("PATCH", kConfigMapPath, 200, "{}");
  auto result = applyObject(*client, configMap());
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(*result, ApplyResult::Patched);
}

TEST_F(ApplyObject, StatefulSetPatchLeavesImmutableFieldsOut) {
  auto stored = asStored(statefulSet());
  stored["spec"]["replicas"] = 2;
  transport->expectJson("GET", kStatefulSetPath, 200, stored.dump());
  transport->expectJson("PATCH", kStatefulSetPath, 200, asStored(statefulSet()).dump());
  auto result = applyObject(*client, statefulSet());
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(*result, ApplyResult::Patched);
  const auto sent = transport->requests();
  ASSERT_EQ(sent.size(), 2u);
  const auto patch = Json::parse(sent[1].body);
  const auto& spec = patch["spec"];
  EXPECT_EQ(spec["replicas"], 3);
  EXPECT_EQ(spec["template"], statefulSet()["spec"]["template"]);
  EXPECT_EQ(spec["updateStrategy"], statefulSet()["spec"]["updateStrategy"]);
  for (const char* immutable :
       {"volumeClaimTemplates", "selector", "serviceName", "podManagementPolicy"}) {
    EXPECT_FALSE(spec.contains(immutable)) << immutable;
  }
}

TEST_F(ApplyObject, StatefulSetDifferingOnlyInImmutableFieldsIsNotWritten) {
  // The API refuses to change these; a patch would fail on every pass.
  auto stored = asStored(statefulSet());
  stored["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"] = "2Gi";
  stored["spec"]["podManagementPolicy"] = "OrderedReady";
  transport->expectJson("GET", kStatefulSetPath, 200, stored.dump());
  auto result = applyObject(*client, statefulSet());
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(*result, ApplyResult::Unchanged);
  EXPECT_EQ(transport->requests().size(), 1u);
}

TEST_F(ApplyObject, ServicePatchLeavesClusterIpOut) {
  const zkop::Json service = {{"apiVersion", "v1"},
                              {"kind", "Service"},
                              {"metadata", {{"name", "zk-headless"}, {"namespace", "ns"}}},
                              {"spec",
                               {{"clusterIP", "None"},
                                {"publishNotReadyAddresses", true},
                                {"ports", {{{"name", "client"}, {"port", 2181}}}}}}};
  auto stored = service;
  stored["spec"]["ports"][0]["port"] = 2182;
  transport->expectJson("GET", "/api/v1/namespaces/ns/services/zk-headless", 200, stored.dump());
  transport->expectJson("PATCH", "/api/v1/namespaces/ns/services/zk-headless", 200, "{}");
  auto result = applyObject(*client, service);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(*result, ApplyResult::Patched);
  const auto patch = Json::parse(transport->requests()[1].body);
  EXPECT_FALSE(patch["spec"].contains("clusterIP"));
  EXPECT_EQ(patch["spec"]["ports"][0]["port"], 2181);
}

TEST_F(ApplyObject, ReadErrorOtherThanNotFoundIsReturnedWithoutWriting) {
  transport->expectJson("GET", kConfigMapPath, 403, statusJson(403, "Forbidden"));
  auto result = applyObject(*client, configMap());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().step, "read ConfigMap zk-config");
  EXPECT_EQ(transport->requests().size(), 1u);
}

TEST_F(ApplyObject, CreateAndPatchFailuresNameTheObject) {
  transport->expectJson("GET", kConfigMapPath, 404, statusJson(404, "NotFound"));
  transport->expectJson("POST", "/api/v1/namespaces/ns/configmaps", 409,
                        statusJson(409, "AlreadyExists"));
  auto created = applyObject(*client, configMap());
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().step, "create ConfigMap zk-config");

  auto stored = asStored(statefulSet());
  stored["spec"]["replicas"] = 1;
  transport->expectJson("GET", kStatefulSetPath, 200, stored.dump());
  transport->expectJson("PATCH", kStatefulSetPath, 422, statusJson(422, "Invalid"));
  auto patched = applyObject(*client, statefulSet());
  ASSERT_FALSE(patched);
  EXPECT_EQ(patched.error().step, "update StatefulSet zk");
}

TEST_F(ApplyObject, UnknownKindIsRefusedWithoutARequest) {
  const zkop::Json pod = {
      {"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", "p"}, {"namespace", "ns"}}}};
  auto result = applyObject(*client, pod);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().describe().find("Pod"), std::string::npos);
  EXPECT_TRUE(transport->requests().empty());
}

// The rendered objects of a cluster against an in-memory API server: the first pass creates
// them, a settled pass writes nothing, a resize patches only the StatefulSet.
struct RenderedRoundTrip : ::testing::TestWithParam<const char*> {
  std::shared_ptr<runtime::testing::FakeApiServer> server =
      std::make_shared<runtime::testing::FakeApiServer>();
  runtime::Client client{server};

  std::vector<ApplyResult> applyAll(const std::vector<Json>& objects) {
    std::vector<ApplyResult> out;
    for (const auto& object : objects) {
      auto result = applyObject(client, object);
      EXPECT_TRUE(result) << (result ? "" : result.error().describe());
      if (result) out.push_back(*result);
    }
    return out;
  }
  int writes() const {
    int n = 0;
    for (const auto& r : server->requests()) n += r.method != "GET";
    return n;
  }
};

TEST_P(RenderedRoundTrip, CreatedOnceThenNoWritesUntilSomethingChanges) {
  const auto cluster = testing::makeCluster(Json::parse(GetParam()));
  const auto members = render::initialMemberSet(cluster);
  auto committed = render::initialConfig(cluster, members);
  std::map<std::string, int> pods;
  for (const auto& pool : api::effectivePools(cluster.spec)) pods[pool.name] = 1;
  std::set<std::string> parked;
  auto render = [&] {
    return render::renderAll({.cluster = cluster,
                              .members = members,
                              .committed = committed,
                              .podsPerPool = &pods,
                              .parkedPods = &parked});
  };

  const auto objects = render();
  ASSERT_FALSE(objects.empty());
  for (auto r : applyAll(objects)) EXPECT_EQ(r, ApplyResult::Created);
  const int created = writes();
  EXPECT_EQ(created, static_cast<int>(objects.size()));

  for (auto r : applyAll(render())) EXPECT_EQ(r, ApplyResult::Unchanged);
  EXPECT_EQ(writes(), created) << "a settled cluster costs no API writes";

  const auto pool = pods.begin()->first;
  pods[pool] = 3;
  const auto resized = applyAll(render());
  EXPECT_EQ(std::ranges::count(resized, ApplyResult::Patched), 1) << "only the StatefulSet";
  EXPECT_EQ(writes(), created + 1);
  bool found = false;
  for (const auto& r : server->requests()) {
    if (r.method != "PATCH") continue;
    found = true;
    EXPECT_NE(r.path.find("/statefulsets/"), std::string::npos) << r.path;
    EXPECT_EQ(Json::parse(r.body)["spec"]["replicas"], 3);
  }
  EXPECT_TRUE(found);
  for (auto r : applyAll(render())) EXPECT_EQ(r, ApplyResult::Unchanged);

  parked.insert(members.members().front().pod);
  const auto parkedPass = applyAll(render());
  EXPECT_EQ(std::ranges::count(parkedPass, ApplyResult::Patched), 1) << "only the ConfigMap";
  for (auto r : applyAll(render())) EXPECT_EQ(r, ApplyResult::Unchanged);
}

INSTANTIATE_TEST_SUITE_P(
    Specs, RenderedRoundTrip,
    ::testing::Values(R"({"replicas": 3, "version": "3.8.4"})",
                      R"({"pools": [{"name": "east", "replicas": 2, "leaderPriority": 5},
                                    {"name": "west", "replicas": 1, "observers": 1}],
                          "version": "3.8.4"})",
                      R"({"replicas": 3, "reconfigMode": "Static", "version": "3.4.14",
                          "externalMembers": [{"myid": 10, "host": "vm1.example.com"}],
                          "allowEvenReplicas": true})"));

}  // namespace
}  // namespace zkop::reconciler

TEST(ContainsFields, ResourceQuantitiesCompareByValueAsTheApiServerCanonicalizesThem) {
  const zkop::Json wanted = {{"resources", {{"limits", {{"memory", "1024Mi"}, {"cpu", "0.5"}}}}}};
  const zkop::Json stored = {{"resources", {{"limits", {{"memory", "1Gi"}, {"cpu", "500m"}}}}}};
  EXPECT_TRUE(zkop::reconciler::containsFields(stored, wanted));
  const zkop::Json other = {{"resources", {{"limits", {{"memory", "2Gi"}, {"cpu", "500m"}}}}}};
  EXPECT_FALSE(zkop::reconciler::containsFields(other, wanted));
  // Outside requests/limits strings are compared as strings.
  EXPECT_FALSE(zkop::reconciler::containsFields(zkop::Json{{"labels", {{"a", "1Gi"}}}},
                                                zkop::Json{{"labels", {{"a", "1024Mi"}}}}));
}
